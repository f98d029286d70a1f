#include "identity/totp_factor.h"

#include <string>
#include <utility>

#include "crypto/totp.h"
#include "identity/user_mfa.h"

namespace cognate::identity {

Error TotpCodeMismatch() {
  return Error::Make("CodeMismatchException", "Invalid code received for user");
}

Status ConsumeTotpCode(UserDirectory& directory, const PoolContext& pool,
                       std::string_view username_key, std::string_view code) {
  return EditUserMfa(directory, pool, username_key,
                     [&](store::UserRecord& user, const boost::json::object&, UserMfa& mfa) {
    if (mfa.totp_secret_sealed.empty()) {
      return Status(Error::Make("SoftwareTokenMFANotFoundException",
                                "Software Token MFA has not been enabled by the user."));
    }
    auto secret = OpenTotpSecret(directory.kek(), user, mfa.totp_secret_sealed);
    if (!secret.ok()) return Status(Error::Internal("The TOTP secret cannot be opened."));
    auto step = crypto::MatchTotp(*secret, code, directory.clock().NowMs() / 1000,
                                  mfa.totp_last_step);
    if (!step) return Status(TotpCodeMismatch());
    mfa.totp_last_step = *step;
    return OkStatus();
  });
}

}  // namespace cognate::identity
