#pragma once
// Binds the MFA settings actions to the MfaService: SetUserPoolMfaConfig, GetUserPoolMfaConfig,
// SetUserMFAPreference, AdminSetUserMFAPreference, SetUserSettings, AdminSetUserSettings,
// AssociateSoftwareToken and VerifySoftwareToken. The last two go to the SignInService when the
// request carries a Session (the MFA_SETUP challenge) instead of an AccessToken; a request with
// both or neither is refused (InvalidParameterException).

#include "api/cognito/dispatcher.h"
#include "auth/sign_in_service.h"
#include "identity/mfa_service.h"

namespace cognate::api {

// Both must outlive the dispatcher.
void RegisterMfaActions(CognitoDispatcher& dispatcher, identity::MfaService& mfa,
                        auth::SignInService& sign_in);

}  // namespace cognate::api
