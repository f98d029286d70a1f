#include "identity/totp_factor.h"

#include <string>
#include <utility>

#include "crypto/totp.h"
#include "identity/retry.h"
#include "identity/user_mfa.h"

namespace cognate::identity {

Error TotpCodeMismatch() {
  return Error::Make("CodeMismatchException", "Invalid code received for user");
}

Status ConsumeTotpCode(UserDirectory& directory, const PoolContext& pool,
                       std::string_view username_key, std::string_view code) {
  store::UserStore& users = *directory.stores().users;
  return RetryOnConflict([&]() -> Status {
    auto current = users.GetUser(pool.id(), std::string(username_key));
    if (!current.ok()) return std::move(current).error();
    if (!current->has_value()) return UserNotFound();
    store::UserRecord user = std::move(**current);
    auto mfa = ParseUserMfa(user.mfa_json);
    if (!mfa.ok()) return std::move(mfa).error();
    if (mfa->totp_secret_sealed.empty()) {
      return Error::Make("SoftwareTokenMFANotFoundException",
                         "Software Token MFA has not been enabled by the user.");
    }
    auto secret = OpenTotpSecret(directory.kek(), user, mfa->totp_secret_sealed);
    if (!secret.ok()) return Error::Internal("The TOTP secret cannot be opened.");
    auto step = crypto::MatchTotp(*secret, code, directory.clock().NowMs() / 1000,
                                  mfa->totp_last_step);
    if (!step) return TotpCodeMismatch();
    mfa->totp_last_step = *step;
    user.mfa_json = SerializeUserMfa(*mfa);
    return users.UpdateUser(user);
  });
}

}  // namespace cognate::identity
