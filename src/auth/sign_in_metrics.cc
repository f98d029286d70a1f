// SignInService: what each sign-in step ended in, counted in the server metrics (GET /metrics),
// told to the listener (alerts) and kept as the attempt's auth event (events/auth_event_log.h).
//
// One auth event per sign-in attempt: (Admin)InitiateAuth starts it with a new id that every
// challenge Session of the attempt carries, and each answer updates the same event: its
// response (InProgress while a challenge is pending, Pass once tokens are issued, Fail on a
// refusal) and its ChallengeResponses (Password for a password or SRP claim, Mfa for a code).
// SRP's first round (PASSWORD_VERIFIER) proves nothing yet, so the event starts with its answer.

#include <string_view>
#include <utility>

#include "auth/sign_in_service.h"
#include "crypto/random.h"
#include "identity/json_fields.h"
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

// The ChallengeName of ChallengeResponses that a flow or an answered challenge stands for.
std::optional<std::string> ChallengeOf(std::string_view step) {
  for (std::string_view password : {"USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH",
                                    "ADMIN_NO_SRP_AUTH", "PASSWORD_VERIFIER"}) {
    if (step == password) return "Password";
  }
  for (std::string_view code :
       {"SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP", "SMS_OTP", "MFA_SETUP"}) {
    if (step == code) return "Mfa";
  }
  return std::nullopt;
}

}  // namespace

SignInService::Call SignInService::WithSessionEvent(Call call,
                                                    const json::object& request) const {
  if (auto sealed = identity::GetString(request, "Session")) {
    if (auto session = sessions_.Open(*sealed); session.ok() && !session->event_id.empty()) {
      call.event_id = session->event_id;
      call.event_user = session->username_key;
      return call;
    }
  }
  call.event_id = crypto::RandomUuid();
  return call;
}

std::string SignInService::RecordSignInEvent(const Call& call,
                                             const Result<json::object>& result,
                                             std::string_view username,
                                             std::string_view step) const {
  events::AuthEventLog* log = directory_.events();
  if (log == nullptr || call.event_id.empty()) return "";
  std::string_view response;
  bool success = true;
  if (!result.ok()) {
    if (!IsRefusal(result.error())) return "";
    response = events::kFail;
    success = false;
  } else if (result->contains("AuthenticationResult") || result->contains("SignedIn")) {
    response = events::kPass;
  } else if (const auto* next = result->if_contains("ChallengeName"); next && next->is_string()) {
    if (next->as_string() == "PASSWORD_VERIFIER") return "";
    response = events::kInProgress;
  } else {
    return "";
  }
  events::EventSubject who{call.pool.id(), call.event_user, call.client.id()};
  if (who.username_key.empty()) {
    // A name nobody has records nothing (and a lookup failure only loses the event).
    auto user = directory_.Find(call.pool, username);
    if (!user.ok() || !user->has_value()) return "";
    who.username_key = (*user)->username_key;
  }
  std::optional<events::ChallengeResult> challenge;
  if (std::optional<std::string> name = ChallengeOf(step)) {
    challenge = events::ChallengeResult{std::move(*name), success};
  }
  log->RecordSignInStep(who, call.event_id, response, challenge);
  return who.username_key;
}

Result<json::object> SignInService::Recorded(const Call& call, Result<json::object> result,
                                             bool refresh, std::string_view username,
                                             std::string_view step) const {
  if (refresh) return result;
  const std::string user_key = RecordSignInEvent(call, result, username, step);
  const std::string_view event_id = user_key.empty() ? std::string_view() : call.event_id;
  const std::string& pool = call.pool.id();
  if (!result.ok()) {
    if (IsRefusal(result.error())) {
      metrics::RecordSignIn(pool, false);
      if (listener_) listener_(pool, username, false, event_id, user_key);
    }
    return result;
  }
  if (result->contains("AuthenticationResult") || result->contains("SignedIn")) {
    metrics::RecordSignIn(pool, true);
    if (listener_) listener_(pool, username, true, event_id, user_key);
  } else if (const auto* name = result->if_contains("ChallengeName"); name && name->is_string()) {
    metrics::RecordChallenge(pool, name->as_string());
  }
  return result;
}

}  // namespace cognate::auth
