// SignInService: CUSTOM_AUTH (cognito-wire.md §6.1, §7.2). The pool's DefineAuthChallenge
// trigger decides after each step, from the history of challenges so far, whether to issue
// tokens, fail, or ask another challenge: CUSTOM_CHALLENGE (made by CreateAuthChallenge and
// judged by VerifyAuthChallengeResponse) or, when the client started with SRP_A,
// PASSWORD_VERIFIER. The history and the private challenge parameters travel sealed in the
// single-use Session (or, for SRP, in the SECRET_BLOCK), so nothing is stored between steps but
// the session's nonce.

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "auth/sign_in_service.h"
#include "identity/json_fields.h"
#include "identity/secret_hash.h"
#include "identity/token_validity.h"
#include "identity/trigger_events.h"

namespace cognate::auth {
namespace json = boost::json;
using triggers::Trigger;
using triggers::TriggerCall;

namespace {

constexpr std::string_view kCustomChallenge = "CUSTOM_CHALLENGE";
// Rounds a flow may take before it fails: bounds the history a session carries.
constexpr std::size_t kMaxCustomRounds = 10;
// The sealed state must keep the Session within SessionType's 2048 characters.
constexpr std::size_t kMaxCustomStateBytes = 1200;

// The history as the triggers see it: [{challengeName, challengeResult, challengeMetadata}].
json::array SessionList(const json::array& history) {
  json::array out;
  for (const json::value& v : history) {
    const json::array& entry = v.as_array();
    json::object item{{"challengeName", entry.at(0)}, {"challengeResult", entry.at(1)}};
    if (!entry.at(2).as_string().empty()) item["challengeMetadata"] = entry.at(2);
    out.push_back(std::move(item));
  }
  return out;
}

// A map of strings from a trigger's answer (numbers and booleans are written as text).
Result<json::object> StringMap(const json::object& response, std::string_view name) {
  json::object out;
  const json::value* given = response.if_contains(name);
  if (given == nullptr || given->is_null()) return out;
  if (!given->is_object()) return triggers::TriggerInvalidResponse(std::string(name) + " must be a map.");
  for (const auto& kv : given->get_object()) {
    out[kv.key()] = kv.value().is_string() ? kv.value() : json::value(json::serialize(kv.value()));
  }
  return out;
}

}  // namespace

json::object SignInService::TriggerAttributes(const store::UserRecord* user) const {
  json::object attrs;
  if (user == nullptr) return attrs;
  auto stored = identity::ParseStoredObject(user->attributes_json);
  if (stored.ok()) attrs = std::move(*stored);
  identity::DropReservedAttributes(attrs);
  attrs["sub"] = user->sub;
  attrs["cognito:user_status"] = user->status;
  return attrs;
}

Result<json::object> SignInService::CustomAuthFlow(const Call& call, const json::object& params) {
  if (!FlowAllowed(call, "ALLOW_CUSTOM_AUTH")) {
    return Error::InvalidParameter("Auth flow not enabled for this client");
  }
  if (!directory_.triggers().Configured(call.pool.config, Trigger::kDefineAuthChallenge)) {
    return Error::InvalidParameter(
        "Custom auth lambda trigger is not configured for the user pool.");
  }
  std::optional<std::string> username = identity::GetString(params, "USERNAME");
  if (!username || username->empty()) return MissingParameter("USERNAME");
  COGNATE_RETURN_IF_ERROR(identity::CheckSecretHash(call.client.id(), call.client.secret, *username,
                                                    identity::GetString(params, "SECRET_HASH")));
  auto found = directory_.Find(call.pool, *username);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value() && !HidesUserExistence(call)) return identity::UserNotFound();
  const store::UserRecord* user = found->has_value() ? &**found : nullptr;
  COGNATE_RETURN_IF_ERROR(PreAuthentication(call, *username, user));
  if (user != nullptr) {
    if (IsLockedOut(*user)) return Error::NotAuthorized("Password attempts exceeded");
    if (user->status == "RESET_REQUIRED") {
      return Error::Make("PasswordResetRequiredException", "Password reset required for the user");
    }
    COGNATE_RETURN_IF_ERROR(PasswordVerified(call, *user));  // disabled, unconfirmed
  }
  // InitiateAuth's ClientMetadata goes to PreAuthentication only (cognito-wire.md §7.2).
  CustomStep step{user, user != nullptr ? user->username : *username, json::array{},
                  TriggerMetadata(call, false), identity::GetString(params, "SRP_A").value_or("")};
  if (identity::GetString(params, "CHALLENGE_NAME") == "SRP_A") {
    if (step.srp_a.empty()) return MissingParameter("SRP_A");
    step.history.push_back(json::array{"SRP_A", true, ""});
  }
  return DefineNext(call, step);
}

Result<json::object> SignInService::ContinueCustomAuth(const Call& call,
                                                       const store::UserRecord& user,
                                                       const std::string& history,
                                                       bool password_verified) {
  boost::system::error_code ec;
  json::value parsed = json::parse(history, ec);
  if (ec || !parsed.is_array()) return InvalidSession();
  CustomStep step{&user, user.username, std::move(parsed.get_array()),
                  TriggerMetadata(call, false), ""};
  step.history.push_back(json::array{"PASSWORD_VERIFIER", password_verified, ""});
  return DefineNext(call, step);
}

// Asks DefineAuthChallenge what comes next and does it.
Result<json::object> SignInService::DefineNext(const Call& call, const CustomStep& step) {
  if (step.history.size() > kMaxCustomRounds) return IncorrectPassword();
  json::object request{{"userAttributes", TriggerAttributes(step.user)},
                       {"session", SessionList(step.history)}};
  identity::AddClientMetadata(request, step.client_metadata);
  if (step.user == nullptr) request["userNotFound"] = true;
  auto answer = directory_.triggers().Invoke(
      call.pool.id(), call.pool.config, Trigger::kDefineAuthChallenge,
      TriggerCall{"DefineAuthChallenge_Authentication", step.name, call.client.id(), request});
  if (!answer.ok()) return std::move(answer).error();
  if (identity::GetBool(*answer, "failAuthentication").value_or(false)) {
    return IncorrectPassword();
  }
  if (identity::GetBool(*answer, "issueTokens").value_or(false)) {
    if (step.user == nullptr) return IncorrectPassword();
    return IssueTokens(call, *step.user);
  }
  std::string next = identity::GetString(*answer, "challengeName").value_or("");
  if (next == kCustomChallenge) return CreateCustomChallenge(call, step);
  if (next == "PASSWORD_VERIFIER") {
    if (step.srp_a.empty()) {
      return Error::InvalidParameter("PASSWORD_VERIFIER needs SRP_A in the AuthParameters.");
    }
    // A name nobody has (or a user without a verifier) gets a challenge nobody can answer.
    const bool answerable = step.user != nullptr && !step.user->srp_verifier_sealed.empty();
    return SrpChallenge(call, step.name, step.srp_a, answerable ? step.user : nullptr,
                        json::serialize(step.history));
  }
  return triggers::TriggerInvalidResponse("DefineAuthChallenge asked for an unsupported challenge: " +
                               next.substr(0, 64));
}

Result<json::object> SignInService::CreateCustomChallenge(const Call& call,
                                                          const CustomStep& step) {
  json::object request{{"userAttributes", TriggerAttributes(step.user)},
                       {"challengeName", kCustomChallenge},
                       {"session", SessionList(step.history)}};
  identity::AddClientMetadata(request, step.client_metadata);
  if (step.user == nullptr) request["userNotFound"] = true;
  auto made = directory_.triggers().Invoke(
      call.pool.id(), call.pool.config, Trigger::kCreateAuthChallenge,
      TriggerCall{"CreateAuthChallenge_Authentication", step.name, call.client.id(), request});
  if (!made.ok()) return std::move(made).error();
  auto shown = StringMap(*made, "publicChallengeParameters");
  if (!shown.ok()) return std::move(shown).error();
  auto hidden = StringMap(*made, "privateChallengeParameters");
  if (!hidden.ok()) return std::move(hidden).error();
  json::object state{{"h", step.history},
                     {"p", std::move(*hidden)},
                     {"m", identity::GetString(*made, "challengeMetadata").value_or("")}};
  std::string detail = json::serialize(state);
  if (detail.size() > kMaxCustomStateBytes) {
    return triggers::TriggerInvalidResponse("The challenge parameters are too large.");
  }
  (*shown)["USERNAME"] = step.name;
  if (step.user == nullptr) return UnknownUserChallenge(call, step.name, std::move(*shown), detail);
  return SessionChallenge(call, *step.user, kCustomChallenge, std::move(*shown),
                          std::move(detail));
}

// With PreventUserExistenceErrors a name nobody has gets a challenge like anyone else's; its
// session cannot be registered (there is no user row) and its answer fails as a wrong one.
Result<json::object> SignInService::UnknownUserChallenge(const Call& call, const std::string& name,
                                                         json::object parameters,
                                                         const std::string& detail) {
  int64_t validity_s = identity::EffectiveTokenLifetimes(call.client.config).auth_session_seconds;
  ChallengeSession session{call.pool.id(), call.client.id(), name, std::string(kCustomChallenge),
                           0, 0, NewSessionNonce(), detail};
  return json::object{{"ChallengeName", kCustomChallenge},
                      {"Session", sessions_.Seal(session, validity_s)},
                      {"ChallengeParameters", std::move(parameters)}};
}

Result<json::object> SignInService::AnswerCustomChallenge(const Call& call,
                                                          const ChallengeSession& session,
                                                          const json::object& responses) {
  Result<store::UserRecord> user = SessionUser(call, session, responses);
  if (!user.ok()) return std::move(user).error();
  std::optional<std::string> answer = identity::GetString(responses, "ANSWER");
  if (!answer) return MissingParameter("ANSWER");
  boost::system::error_code ec;
  json::value state = json::parse(session.detail, ec);
  if (ec || !state.is_object()) return InvalidSession();
  // Spent after Verify answers: a receiver that is down costs the client no session.
  COGNATE_RETURN_IF_ERROR(CheckSessionLive(call, *user, session));
  const json::object& s = state.get_object();
  json::object request{{"userAttributes", TriggerAttributes(&*user)},
                       {"privateChallengeParameters", s.at("p")},
                       {"challengeAnswer", *answer}};
  identity::AddClientMetadata(request, TriggerMetadata(call, false));
  auto verdict = directory_.triggers().Invoke(
      call.pool.id(), call.pool.config, Trigger::kVerifyAuthChallengeResponse,
      TriggerCall{"VerifyAuthChallengeResponse_Authentication", user->username, call.client.id(),
                  request});
  if (!verdict.ok()) return std::move(verdict).error();
  COGNATE_RETURN_IF_ERROR(SpendSession(call, *user, session, ""));
  bool correct = identity::GetBool(*verdict, "answerCorrect").value_or(false);
  CustomStep step{&*user, user->username, s.at("h").as_array(), TriggerMetadata(call, false), ""};
  step.history.push_back(json::array{kCustomChallenge, correct, s.at("m")});
  return DefineNext(call, step);
}

}  // namespace cognate::auth
