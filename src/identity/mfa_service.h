#pragma once
// MFA settings: the pool's (SetUserPoolMfaConfig, GetUserPoolMfaConfig), a user's factors and
// preference (SetUserMFAPreference, AdminSetUserMFAPreference, the legacy SetUserSettings and
// AdminSetUserSettings) and TOTP set-up with an access token (AssociateSoftwareToken,
// VerifySoftwareToken; the Session variants belong to auth::SignInService, and api/ routes each
// call by SoftwareTokenCredential). Sign-in challenges are auth/'s; the stored forms are
// user_mfa.h's.
//
// Like the other services: each method takes the request object (already checked against the
// service model) and returns Cognito's response object or an Error with Cognito's type and
// message. Every update is optimistic and retried on conflict. Thread-safe.
//
// SetUserPoolMfaConfig replaces the whole MFA configuration, as on Cognito:
//   - MfaConfiguration omitted means OFF, and the factor members of that call are dropped.
//   - OFF given with a factor (SmsMfaConfiguration, SoftwareTokenMfaConfiguration with Enabled
//     true, EmailMfaConfiguration): InvalidParameterException "Invalid MFA configuration given,
//     can't turn off MFA and configure an MFA together."
//   - ON/OPTIONAL without one: InvalidParameterException "Invalid MFA configuration given, can't
//     disable all MFAs with a required or optional configuration."
//   - SmsMfaConfiguration's SmsAuthenticationMessage and SmsConfiguration are the pool's own
//     members (DescribeUserPool shows them); WebAuthnConfiguration is kept until replaced.
// GetUserPoolMfaConfig shows MfaConfiguration always and only the factors configured.
//
// SetUserMFAPreference / AdminSetUserMFAPreference: each of SMSMfaSettings,
// SoftwareTokenMfaSettings and EmailMfaSettings may set Enabled and PreferredMfa; an omitted
// member changes nothing. InvalidParameterException when enabling TOTP without a verified
// secret, SMS without a phone_number or email MFA without an email, when more than one factor
// is made preferred, or when the preferred factor would not be enabled. Disabling the
// preferred factor, or PreferredMfa false on it, clears the preference.
//
// SetUserSettings / AdminSetUserSettings (legacy): MFAOptions [{DeliveryMedium: SMS,
// AttributeName: phone_number}] enables SMS MFA (phone_number needed), [] disables it;
// anything else is InvalidParameterException.

#include <boost/json/object.hpp>

#include "auth/access_guard.h"
#include "common/result.h"
#include "identity/user_directory.h"
#include "identity/user_mfa.h"

namespace cognate::identity {

// Which credential an AssociateSoftwareToken / VerifySoftwareToken request carries.
enum class SoftwareTokenCredentialKind { kAccessToken, kSession };
// InvalidParameterException unless exactly one of AccessToken and Session is present.
Result<SoftwareTokenCredentialKind> SoftwareTokenCredential(const boost::json::object& request);

class MfaService {
 public:
  // Both must outlive the service.
  MfaService(UserDirectory& directory, auth::AccessGuard& guard);

  // mfa_pool_config.cc
  Result<boost::json::object> SetUserPoolMfaConfig(const boost::json::object& request);
  Result<boost::json::object> GetUserPoolMfaConfig(const boost::json::object& request);

  // mfa_preferences.cc
  Result<boost::json::object> SetUserMFAPreference(const boost::json::object& request);
  Result<boost::json::object> AdminSetUserMFAPreference(const boost::json::object& request);
  Result<boost::json::object> SetUserSettings(const boost::json::object& request);
  Result<boost::json::object> AdminSetUserSettings(const boost::json::object& request);

  // mfa_service.cc: the AccessToken variants (a request with a Session is refused here).
  // AssociateSoftwareToken answers {SecretCode}; VerifySoftwareToken {Status: SUCCESS}.
  Result<boost::json::object> AssociateSoftwareToken(const boost::json::object& request);
  Result<boost::json::object> VerifySoftwareToken(const boost::json::object& request);

 private:
  // The user a request is about: its pool, key and sub (checked again when writing, so a user
  // deleted and re-created meanwhile is not changed in the old one's name).
  struct Target {
    PoolContext pool;
    std::string username_key;
    std::string sub;
  };

  Result<Target> Caller(const boost::json::object& request) const;      // AccessToken
  Result<Target> AdminTarget(const boost::json::object& request) const;  // UserPoolId+Username
  // EditUserMfa on the target's user, refusing a different user under the same name, and
  // stamping modified_ms.
  Status Edit(const Target& target, const UserMfaEdit& edit);

  UserDirectory& directory_;
  auth::AccessGuard& guard_;
};

}  // namespace cognate::identity
