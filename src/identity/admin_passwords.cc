// UserService: AdminSetUserPassword.

#include <utility>

#include "identity/json_fields.h"
#include "identity/password_history.h"
#include "identity/password_policy.h"
#include "identity/password_setter.h"
#include "identity/user_service.h"

namespace cognate::identity {
namespace json = boost::json;

Result<json::object> UserService::AdminSetUserPasswordStep(const json::object& request,
                                                            events::PendingEvent& event) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  // Existence first: an unknown user is reported as such whatever the password.
  auto user = RequireUser(*pool, request);
  if (!user.ok()) return std::move(user).error();
  event.SetSubject({pool->id(), user->username_key, ""});
  std::string password = GetString(request, "Password").value_or("");
  COGNATE_RETURN_IF_ERROR(CheckPasswordPolicy(pool->config, password));
  // Temporary or permanent alike: the model lists the history error for the action as a whole.
  COGNATE_RETURN_IF_ERROR(CheckPasswordHistory(hasher_, pool->config, *user, password));
  bool permanent = GetBool(request, "Permanent").value_or(false);
  const PasswordSecrets secrets = MakePasswordSecrets(hasher_, directory_.kek(), *user, password);
  int64_t now_ms = directory_.clock().NowMs();
  auto saved =
      UpdateUser(*pool, user->username, [&](store::UserRecord& current, json::object&) -> Status {
        secrets.ApplyTo(current);
        current.password_changed_ms = now_ms;
        current.status = permanent ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD";
        current.failed_sign_ins = 0;
        current.locked_until_ms = 0;
        return OkStatus();
      });
  if (!saved.ok()) return std::move(saved).error();
  return json::object();
}

Result<json::object> UserService::AdminSetUserPassword(const json::object& request) {
  events::PendingEvent event(directory_.events(), events::EventType::kPasswordChange);
  return event.Finish(AdminSetUserPasswordStep(request, event));
}

}  // namespace cognate::identity
