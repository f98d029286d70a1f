// UserService: ForgotPassword, ConfirmForgotPassword and AdminResetUserPassword (the reset-code
// flows).

#include <utility>

#include "identity/codes.h"
#include "identity/json_fields.h"
#include "identity/password_policy.h"
#include "identity/password_setter.h"
#include "identity/user_service.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

Error CodeMismatch() {
  return Error::Make("CodeMismatchException",
                     "Invalid verification code provided, please try again.");
}

}  // namespace

Result<json::object> UserService::ForgotPassword(const json::object& request) {
  auto call = OpenPublicCall(request);
  if (!call.ok()) return std::move(call).error();
  const PoolContext& pool = call->pool;
  auto found = FindCallUser(*call);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value())
    return json::object{{"CodeDeliveryDetails", CodeDelivery::SimulatedDetails(call->name)}};
  const store::UserRecord& user = **found;
  if (!user.enabled) return Error::NotAuthorized("User is disabled.");
  // An invited user has never chosen a password: it signs in with the temporary one.
  if (user.status == "FORCE_CHANGE_PASSWORD")
    return Error::NotAuthorized("User password cannot be reset in the current state.");
  auto attrs = ParseStoredObject(user.attributes_json);
  if (!attrs.ok()) return std::move(attrs).error();
  auto attribute = RecoveryCodeAttribute(pool, *attrs);
  if (!attribute.ok()) return std::move(attribute).error();
  auto details = codes_.Send(pool, user, kCodePurposeReset, *attribute, "forgot-password",
                             call->client.id());
  if (!details.ok()) return std::move(details).error();
  return json::object{{"CodeDeliveryDetails", std::move(*details)}};
}

Result<json::object> UserService::ConfirmForgotPassword(const json::object& request) {
  auto call = OpenPublicCall(request);
  if (!call.ok()) return std::move(call).error();
  const PoolContext& pool = call->pool;
  auto found = FindCallUser(*call);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return CodeMismatch();
  const store::UserRecord& user = **found;
  // The policy is checked before the code is spent, so a weak password costs no new code.
  std::string password = GetString(request, "Password").value_or("");
  COGNATE_RETURN_IF_ERROR(CheckPasswordPolicy(pool.config, password));
  COGNATE_RETURN_IF_ERROR(codes_.Verify(pool, user, kCodePurposeReset,
                                        GetString(request, "ConfirmationCode").value_or("")));
  const PasswordSecrets secrets = MakePasswordSecrets(hasher_, directory_.kek(), user, password);
  int64_t now_ms = directory_.clock().NowMs();
  auto saved =
      UpdateUser(pool, user.username, [&](store::UserRecord& current, json::object&) -> Status {
        secrets.ApplyTo(current);
        current.password_changed_ms = now_ms;
        // A reset proves the address, not the sign-up: UNCONFIRMED stays.
        if (current.status != "UNCONFIRMED") current.status = "CONFIRMED";
        current.failed_sign_ins = 0;
        current.locked_until_ms = 0;
        return OkStatus();
      });
  if (!saved.ok()) return std::move(saved).error();
  // Whoever knew the old password must not keep a session.
  COGNATE_RETURN_IF_ERROR(
      directory_.stores().refresh_tokens->RevokeUserTokens(pool.id(), saved->username_key));
  return json::object();
}

Result<json::object> UserService::AdminResetUserPassword(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  auto user = RequireUser(*pool, request);
  if (!user.ok()) return std::move(user).error();
  if (user->status == "UNCONFIRMED")
    return Error::NotAuthorized("User password cannot be reset in the current state.");
  auto attrs = ParseStoredObject(user->attributes_json);
  if (!attrs.ok()) return std::move(attrs).error();
  // A code goes out only when the user has a recovery channel; without one the admin sets the
  // password (AdminSetUserPassword) and the user still cannot sign in with the old one.
  auto attribute = RecoveryCodeAttribute(*pool, *attrs);
  if (attribute.ok()) {
    auto details = codes_.Send(*pool, *user, kCodePurposeReset, *attribute, "admin-reset");
    if (!details.ok()) return std::move(details).error();
  }
  auto saved =
      UpdateUser(*pool, user->username, [](store::UserRecord& current, json::object&) -> Status {
        current.status = "RESET_REQUIRED";
        return OkStatus();
      });
  if (!saved.ok()) return std::move(saved).error();
  return json::object();
}

}  // namespace cognate::identity
