#pragma once
// Binds the sign-up, confirmation, forgotten-password and admin user-management actions to the
// UserService.

#include "api/cognito/dispatcher.h"
#include "identity/user_service.h"

namespace cognate::api {

void RegisterUserActions(CognitoDispatcher& dispatcher, identity::UserService& users);

}  // namespace cognate::api
