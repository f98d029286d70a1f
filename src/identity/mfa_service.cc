// MfaService: who a call is about, and TOTP set-up with an access token. The pool's MFA
// configuration is in mfa_pool_config.cc, user preferences in mfa_preferences.cc.

#include "identity/mfa_service.h"

#include <string>
#include <utility>

#include "identity/json_fields.h"
#include "identity/software_token.h"

namespace cognate::identity {
namespace json = boost::json;

Result<SoftwareTokenCredentialKind> SoftwareTokenCredential(const json::object& request) {
  const bool token = GetString(request, "AccessToken").has_value();
  const bool session = GetString(request, "Session").has_value();
  if (token && session) {
    return Error::InvalidParameter("Only one of AccessToken or Session can be provided.");
  }
  if (!token && !session) {
    return Error::InvalidParameter("Either AccessToken or Session must be provided.");
  }
  return token ? SoftwareTokenCredentialKind::kAccessToken : SoftwareTokenCredentialKind::kSession;
}

MfaService::MfaService(UserDirectory& directory, auth::AccessGuard& guard)
    : directory_(directory), guard_(guard) {}

Result<MfaService::Target> MfaService::Caller(const json::object& request) const {
  auto caller = guard_.Authenticate(GetString(request, "AccessToken").value_or(""));
  if (!caller.ok()) return std::move(caller).error();
  return Target{std::move(caller->pool), caller->user.username_key, caller->user.sub};
}

Result<MfaService::Target> MfaService::AdminTarget(const json::object& request) const {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  auto user = directory_.Require(*pool, GetString(request, "Username").value_or(""));
  if (!user.ok()) return std::move(user).error();
  return Target{std::move(*pool), user->username_key, user->sub};
}

Status MfaService::Edit(const Target& target, const UserMfaEdit& edit) {
  return EditUserMfa(directory_, target.pool, target.username_key,
                     [&](store::UserRecord& user, const json::object& attributes,
                         UserMfa& mfa) -> Status {
                       if (user.sub != target.sub) return UserNotFound();
                       COGNATE_RETURN_IF_ERROR(edit(user, attributes, mfa));
                       user.modified_ms = directory_.clock().NowMs();
                       return OkStatus();
                     });
}

Result<json::object> MfaService::AssociateSoftwareToken(const json::object& request) {
  auto kind = SoftwareTokenCredential(request);
  if (!kind.ok()) return std::move(kind).error();
  if (*kind != SoftwareTokenCredentialKind::kAccessToken) {
    return Error::InvalidParameter("AccessToken is required.");
  }
  auto caller = Caller(request);
  if (!caller.ok()) return std::move(caller).error();
  auto secret = identity::AssociateSoftwareToken(directory_, caller->pool, caller->username_key);
  if (!secret.ok()) return std::move(secret).error();
  return json::object{{"SecretCode", std::move(*secret)}};
}

Result<json::object> MfaService::VerifySoftwareToken(const json::object& request) {
  auto kind = SoftwareTokenCredential(request);
  if (!kind.ok()) return std::move(kind).error();
  if (*kind != SoftwareTokenCredentialKind::kAccessToken) {
    return Error::InvalidParameter("AccessToken is required.");
  }
  auto caller = Caller(request);
  if (!caller.ok()) return std::move(caller).error();
  // With an access token the factor is only registered; SetUserMFAPreference enables it.
  COGNATE_RETURN_IF_ERROR(identity::VerifySoftwareToken(
      directory_, caller->pool, caller->username_key,
      GetString(request, "UserCode").value_or(""),
      GetString(request, "FriendlyDeviceName").value_or(""), /*enable=*/false));
  return json::object{{"Status", "SUCCESS"}};
}

}  // namespace cognate::identity
