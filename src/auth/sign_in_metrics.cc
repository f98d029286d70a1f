// SignInService: what each sign-in step ended in, counted in the server metrics (GET /metrics)
// and told to the listener (alerts).

#include <string_view>
#include <utility>

#include "auth/sign_in_service.h"
#include "metrics/server_metrics.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

// Refusals of the user's credentials or of a challenge answer. Other errors (bad requests,
// throttling, the store being away) are not sign-in failures.
bool IsRefusal(const Error& error) {
  for (std::string_view type :
       {"NotAuthorizedException", "UserNotFoundException", "CodeMismatchException",
        "ExpiredCodeException", "UserNotConfirmedException", "PasswordResetRequiredException"}) {
    if (error.Is(type)) return true;
  }
  return false;
}

}  // namespace

Result<json::object> SignInService::Recorded(const Call& call, Result<json::object> result,
                                             bool refresh, std::string_view username) const {
  if (refresh) return result;
  const std::string& pool = call.pool.id();
  if (!result.ok()) {
    if (IsRefusal(result.error())) {
      metrics::RecordSignIn(pool, false);
      if (listener_) listener_(pool, username, false);
    }
    return result;
  }
  if (result->contains("AuthenticationResult") || result->contains("SignedIn")) {
    metrics::RecordSignIn(pool, true);
    if (listener_) listener_(pool, username, true);
  } else if (const auto* name = result->if_contains("ChallengeName"); name && name->is_string()) {
    metrics::RecordChallenge(pool, name->as_string());
  }
  return result;
}

}  // namespace cognate::auth
