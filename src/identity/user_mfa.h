#pragma once
// A user's MFA settings and factors (UserRecord::mfa_json), and the pool's MFA configuration
// (MfaConfiguration plus the SetUserPoolMfaConfig members kept in the pool's config_json).
//
// mfa_json members: "sms", "totp", "email" (bools: the factor is enabled, SetUserMFAPreference
// or legacy SetUserSettings), "preferred" ("SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP"),
// "totp_secret" (the verified TOTP secret, KEK-sealed), "totp_pending" (associated by
// AssociateSoftwareToken, not yet verified, sealed), "totp_name" (FriendlyDeviceName),
// "totp_step" (the last accepted TOTP time step: a code is accepted once only).

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/kek.h"
#include "store/user_records.h"

namespace cognate::identity {

// Cognito's names of the MFA factors (ChallengeNameType / PreferredMfaSetting values).
inline constexpr std::string_view kSmsMfa = "SMS_MFA";
inline constexpr std::string_view kSoftwareTokenMfa = "SOFTWARE_TOKEN_MFA";
inline constexpr std::string_view kEmailOtp = "EMAIL_OTP";

struct UserMfa {
  bool sms_enabled = false;
  bool totp_enabled = false;
  bool email_enabled = false;
  std::string preferred;            // "" when none
  std::string totp_secret_sealed;   // "" when no TOTP factor was verified
  std::string totp_pending_sealed;  // "" when none is being set up
  std::string totp_device_name;
  int64_t totp_last_step = 0;
};

// "" and "{}" are the defaults; InternalErrorException when the stored text is corrupt.
Result<UserMfa> ParseUserMfa(std::string_view json);
std::string SerializeUserMfa(const UserMfa& mfa);

// TOTP secrets (raw bytes) sealed for one user: a sealed secret copied to another user or pool
// does not open.
std::string SealTotpSecret(const crypto::KeyEncryptionKey& kek, const store::UserRecord& user,
                           std::string_view secret);
Result<std::string> OpenTotpSecret(const crypto::KeyEncryptionKey& kek,
                                   const store::UserRecord& user, std::string_view sealed);

struct PoolMfa {
  std::string mode = "OFF";  // MfaConfiguration: OFF | ON | OPTIONAL
  bool sms = false;          // SmsMfaConfiguration or SmsConfiguration present
  bool totp = false;         // SoftwareTokenMfaConfiguration.Enabled
  bool email = false;        // EmailMfaConfiguration present
};
PoolMfa PoolMfaOf(const boost::json::object& pool_config);

// The factors the user can be challenged with, in Cognito's order (SMS, TOTP, email): enabled
// by the user, allowed by the pool, and with what they need (a phone_number, a verified TOTP
// secret, an email).
std::vector<std::string> UsableFactors(const PoolMfa& pool, const UserMfa& mfa,
                                       const boost::json::object& attributes);

// Adds GetUser/AdminGetUser's UserMFASettingList and PreferredMfaSetting (and the legacy
// MFAOptions when SMS is enabled) to `out`; adds nothing when the user has no factor enabled.
void AddMfaSettings(boost::json::object& out, const UserMfa& mfa);

}  // namespace cognate::identity
