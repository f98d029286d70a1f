#pragma once
// Binds the signed-in user's actions (access-token authorised) and AdminUserGlobalSignOut to the
// SelfService.

#include "api/cognito/dispatcher.h"
#include "identity/self_service.h"

namespace cognate::api {

void RegisterSelfServiceActions(CognitoDispatcher& dispatcher, identity::SelfService& service);

}  // namespace cognate::api
