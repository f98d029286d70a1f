// UserService: ForgotPassword (with UserMigration_ForgotPassword for an unknown name,
// user_migration.cc), ConfirmForgotPassword (with PostConfirmation_ConfirmForgotPassword,
// post_confirmation.h) and AdminResetUserPassword (the reset-code flows).

#include <functional>
#include <string>
#include <utility>

#include "identity/codes.h"
#include "identity/json_fields.h"
#include "identity/password_history.h"
#include "identity/password_policy.h"
#include "identity/password_setter.h"
#include "identity/post_confirmation.h"
#include "identity/trigger_events.h"
#include "identity/user_service.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

Error CodeMismatch() {
  return Error::Make("CodeMismatchException",
                     "Invalid verification code provided, please try again.");
}

// The reset code of ForgotPassword, sent where the pool's recovery setting says.
Result<json::object> SendResetCode(const CodeDelivery& codes, const PoolContext& pool,
                                   const store::UserRecord& user, std::string_view client_id,
                                   const json::object& request) {
  auto attrs = ParseStoredObject(user.attributes_json);
  if (!attrs.ok()) return std::move(attrs).error();
  auto attribute = RecoveryCodeAttribute(pool, *attrs);
  if (!attribute.ok()) return std::move(attribute).error();
  return codes.Send(pool, user, kCodePurposeReset, *attribute, "forgot-password", client_id,
                    ClientMetadataOf(request));
}

// Reverts a reset when PostConfirmation fails (post_confirmation.h): the password, status and
// lockout as `before`, unless the password changed again since (`new_hash` is gone).
std::function<Status(store::UserRecord&, json::object&)> UndoReset(store::UserRecord before,
                                                                   std::string new_hash) {
  return [before = std::move(before), new_hash = std::move(new_hash)](
             store::UserRecord& user, json::object&) -> Status {
    if (user.password_hash != new_hash) return OkStatus();
    user.password_hash = before.password_hash;
    user.srp_verifier_sealed = before.srp_verifier_sealed;
    user.password_history_json = before.password_history_json;
    user.password_changed_ms = before.password_changed_ms;
    user.status = before.status;
    user.failed_sign_ins = before.failed_sign_ins;
    user.last_failure_ms = before.last_failure_ms;
    user.locked_until_ms = before.locked_until_ms;
    return OkStatus();
  };
}

// The reset code row as it is before being spent, for putting back when the reset fails after
// the code was accepted (PostConfirmation, or a password the history refuses); std::nullopt when
// neither can happen.
Result<std::optional<store::CodeRecord>> ResetCodeToKeep(const UserDirectory& directory,
                                                         const PoolContext& pool,
                                                         const store::UserRecord& user) {
  if (PasswordHistorySize(pool.config) == 0)
    return CodeToRestore(directory, pool, user, kCodePurposeReset);
  return directory.stores().codes->GetCode(pool.id(), user.username_key,
                                           std::string(kCodePurposeReset));
}

}  // namespace

Result<json::object> UserService::ForgotPasswordStep(const json::object& request,
                                                      events::PendingEvent& event) {
  auto call = OpenPublicCall(request);
  if (!call.ok()) return std::move(call).error();
  const PoolContext& pool = call->pool;
  auto found = directory_.Find(pool, call->name);
  if (!found.ok()) return std::move(found).error();
  const bool migrated = !found->has_value();
  if (migrated) {
    auto created = MigrateForReset(*call, request);
    if (!created.ok()) return std::move(created).error();
    if (!created->has_value() && !call->hide_user_existence) return UserNotFound();
    if (!created->has_value())
      return json::object{{"CodeDeliveryDetails", CodeDelivery::SimulatedDetails(call->name)}};
    *found = std::move(*created);
  }
  const store::UserRecord& user = **found;
  event.SetSubject({pool.id(), user.username_key, call->client.id()});
  if (!user.enabled) return Error::NotAuthorized("User is disabled.");
  // An invited user has never chosen a password: it signs in with the temporary one.
  if (user.status == "FORCE_CHANGE_PASSWORD")
    return Error::NotAuthorized("User password cannot be reset in the current state.");
  auto details = SendResetCode(codes_, pool, user, call->client.id(), request);
  // A migrated user the code did not reach is not kept: the same call can be retried.
  if (!details.ok() && migrated)
    (void)directory_.stores().users->DeleteUser(pool.id(), user.username_key);
  if (!details.ok()) return std::move(details).error();
  return json::object{{"CodeDeliveryDetails", std::move(*details)}};
}

Result<json::object> UserService::ConfirmForgotPasswordStep(const json::object& request,
                                                             events::PendingEvent& event) {
  auto call = OpenPublicCall(request);
  if (!call.ok()) return std::move(call).error();
  const PoolContext& pool = call->pool;
  auto found = FindCallUser(*call);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return CodeMismatch();
  const store::UserRecord& user = **found;
  event.SetSubject({pool.id(), user.username_key, call->client.id()});
  // The policy is checked before the code is spent, so a weak password costs no new code.
  std::string password = GetString(request, "Password").value_or("");
  COGNATE_RETURN_IF_ERROR(CheckPasswordPolicy(pool.config, password));
  auto spent = ResetCodeToKeep(directory_, pool, user);
  if (!spent.ok()) return std::move(spent).error();
  COGNATE_RETURN_IF_ERROR(codes_.Verify(pool, user, kCodePurposeReset,
                                        GetString(request, "ConfirmationCode").value_or("")));
  // History only after the code: before, anyone could test guesses of the current password.
  // A refused password leaves the code valid, so the user can choose another with it.
  Status fresh = CheckPasswordHistory(hasher_, pool.config, user, password);
  if (!fresh.ok()) {
    if (*spent) (void)RestoreCode(directory_, **spent);
    return std::move(fresh).error();
  }
  const PasswordSecrets secrets = MakePasswordSecrets(hasher_, directory_.kek(), user, password);
  int64_t now_ms = directory_.clock().NowMs();
  store::UserRecord before;
  auto saved =
      UpdateUser(pool, user.username, [&](store::UserRecord& current, json::object&) -> Status {
        before = current;
        secrets.ApplyTo(current);
        current.password_changed_ms = now_ms;
        // A reset proves the address, not the sign-up: UNCONFIRMED stays.
        if (current.status != "UNCONFIRMED") current.status = "CONFIRMED";
        current.failed_sign_ins = 0;
        current.locked_until_ms = 0;
        return OkStatus();
      });
  if (!saved.ok()) return std::move(saved).error();
  COGNATE_RETURN_IF_ERROR(AfterConfirmation(pool, *saved, kPostConfirmationForgotPassword,
                                            call->client.id(), request,
                                            UndoReset(before, secrets.password_hash), *spent));
  // Whoever knew the old password must not keep a session (after PostConfirmation agreed:
  // a revocation cannot be undone).
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
    auto details = codes_.Send(*pool, *user, kCodePurposeReset, *attribute, "admin-reset", "",
                               ClientMetadataOf(request));
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

Result<json::object> UserService::ForgotPassword(const json::object& request) {
  events::PendingEvent event(directory_.events(), events::EventType::kForgotPassword);
  return event.Finish(ForgotPasswordStep(request, event));
}

Result<json::object> UserService::ConfirmForgotPassword(const json::object& request) {
  events::PendingEvent event(directory_.events(), events::EventType::kForgotPassword);
  return event.Finish(ConfirmForgotPasswordStep(request, event));
}

}  // namespace cognate::identity
