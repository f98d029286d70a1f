#pragma once
// A user's MFA settings and factors (UserRecord::mfa_json), and the pool's MFA configuration
// (MfaConfiguration plus the SetUserPoolMfaConfig members kept in the pool's config_json).
//
// mfa_json members: "sms", "totp", "email" (bools: the factor is enabled, SetUserMFAPreference
// or legacy SetUserSettings), "preferred" ("SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP"),
// "totp_secret" (the verified TOTP secret, KEK-sealed), "totp_pending" (associated by
// AssociateSoftwareToken, not yet verified, sealed), "totp_name" (FriendlyDeviceName),
// "totp_step" (the last accepted TOTP time step: a code is accepted once only),
// "totp_failures" (wrong VerifySoftwareToken codes against the pending secret, software_token.h).

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/kek.h"
#include "identity/user_directory.h"
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
  int64_t totp_pending_failures = 0;  // reset by every AssociateSoftwareToken
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

// Re-reads the user, lets `edit` change its MFA settings (it sees the user's attributes and may
// touch the record, e.g. modified_ms) and stores them; the whole attempt runs again on a
// concurrent change (retry.h). An error from `edit` aborts without writing.
// UserNotFoundException when the user is gone.
using UserMfaEdit = std::function<Status(store::UserRecord& user,
                                         const boost::json::object& attributes, UserMfa& mfa)>;
Status EditUserMfa(UserDirectory& directory, const PoolContext& pool,
                   std::string_view username_key, const UserMfaEdit& edit);

struct PoolMfa {
  std::string mode = "OFF";  // MfaConfiguration: OFF | ON | OPTIONAL
  // SmsMfaConfiguration present; without that member, SmsConfiguration present (a pool made
  // by CreateUserPool). SetUserPoolMfaConfig without SMS stores "SmsMfaConfiguration": null,
  // which turns SMS off even when the pool keeps an SmsConfiguration for other messages.
  bool sms = false;
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
