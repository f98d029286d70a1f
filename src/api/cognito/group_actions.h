#pragma once
// Binds the user pool group actions to the GroupService.

#include "api/cognito/dispatcher.h"
#include "identity/group_service.h"

namespace cognate::api {

void RegisterGroupActions(CognitoDispatcher& dispatcher, identity::GroupService& groups);

}  // namespace cognate::api
