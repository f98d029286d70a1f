#include "identity/software_token.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "crypto/random.h"
#include "crypto/totp.h"
#include "identity/user_mfa.h"

namespace cognate::identity {
namespace {

Error CodeMismatch() {
  return Error::Make("EnableSoftwareTokenMFAException",
                     "Code mismatch and fail enable Software Token MFA");
}

// What a verification attempt found; decided inside the optimistic update, reported after it
// (a wrong code is an error to the caller but still a write: the failure count).
enum class Outcome { kVerified, kMismatch };

// A wrong code against the pending secret; the last allowed one drops the secret.
void CountFailure(UserMfa& mfa) {
  if (++mfa.totp_pending_failures >= kMaxSoftwareTokenVerifyFailures) {
    mfa.totp_pending_sealed.clear();
    mfa.totp_pending_failures = 0;
  }
}

// The pending secret, verified by a code of `step`, becomes the user's TOTP secret.
void Promote(UserMfa& mfa, int64_t step, std::string_view friendly_name, bool enable) {
  mfa.totp_secret_sealed = std::move(mfa.totp_pending_sealed);
  mfa.totp_pending_sealed.clear();
  mfa.totp_pending_failures = 0;
  mfa.totp_last_step = step;  // that code cannot also sign in
  mfa.totp_device_name = std::string(friendly_name);
  if (enable) {
    mfa.totp_enabled = true;
    mfa.preferred = std::string(kSoftwareTokenMfa);
  }
}

}  // namespace

Status CheckPoolAllowsSoftwareToken(const PoolContext& pool) {
  if (PoolMfaOf(pool.config).totp) return OkStatus();
  return Error::Make("SoftwareTokenMFANotFoundException",
                     "Software Token MFA has not been enabled by the userPool");
}

Result<std::string> AssociateSoftwareToken(UserDirectory& directory, const PoolContext& pool,
                                           std::string_view username_key) {
  COGNATE_RETURN_IF_ERROR(CheckPoolAllowsSoftwareToken(pool));
  const std::string secret = crypto::RandomBytes(crypto::kTotpSecretBytes);
  Status stored = EditUserMfa(directory, pool, username_key,
                              [&](store::UserRecord& user, const boost::json::object&,
                                  UserMfa& mfa) -> Status {
                                mfa.totp_pending_sealed =
                                    SealTotpSecret(directory.kek(), user, secret);
                                mfa.totp_pending_failures = 0;
                                return OkStatus();
                              });
  COGNATE_RETURN_IF_ERROR(stored);
  return crypto::Base32Encode(secret);
}

Status VerifySoftwareToken(UserDirectory& directory, const PoolContext& pool,
                           std::string_view username_key, std::string_view code,
                           std::string_view friendly_name, bool enable) {
  COGNATE_RETURN_IF_ERROR(CheckPoolAllowsSoftwareToken(pool));
  if (friendly_name.size() > kMaxFriendlyDeviceNameLength) {
    return Error::InvalidParameter("FriendlyDeviceName must be at most " +
                                   std::to_string(kMaxFriendlyDeviceNameLength) +
                                   " characters long.");
  }
  const int64_t now_s = directory.clock().NowMs() / 1000;
  Outcome outcome = Outcome::kMismatch;
  Status updated = EditUserMfa(
      directory, pool, username_key,
      [&](store::UserRecord& user, const boost::json::object&, UserMfa& mfa) -> Status {
        if (mfa.totp_pending_sealed.empty()) {
          return Error::InvalidParameter(
              "Software token has not been associated with the user. Call "
              "AssociateSoftwareToken first.");
        }
        auto secret = OpenTotpSecret(directory.kek(), user, mfa.totp_pending_sealed);
        if (!secret.ok()) return Error::Internal("The TOTP secret cannot be opened.");
        // The pending secret is new: no code of it was ever accepted, whatever the old one's step.
        std::optional<int64_t> step = crypto::MatchTotp(*secret, code, now_s, 0);
        outcome = step ? Outcome::kVerified : Outcome::kMismatch;
        if (step) {
          Promote(mfa, *step, friendly_name, enable);
        } else {
          CountFailure(mfa);
        }
        return OkStatus();
      });
  COGNATE_RETURN_IF_ERROR(updated);
  return outcome == Outcome::kVerified ? OkStatus() : Status(CodeMismatch());
}

}  // namespace cognate::identity
