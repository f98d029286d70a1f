#pragma once
// Binds the sign-in actions (InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge,
// AdminRespondToAuthChallenge, GetTokensFromRefreshToken, RevokeToken) to the SignInService.

#include "api/cognito/dispatcher.h"
#include "auth/sign_in_service.h"

namespace cognate::api {

void RegisterAuthActions(CognitoDispatcher& dispatcher, auth::SignInService& sign_in);

}  // namespace cognate::api
