// SignInService: the second factor (cognito-wire.md §6.2 step 8, §6.3). After the password
// (or SRP claim, or a new password) is accepted, the pool's MfaConfiguration and the user's
// factors decide: tokens, SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP, SELECT_MFA_TYPE when several
// are enabled and none is preferred, or MFA_SETUP when MFA is ON and the user has nothing to
// answer with. The failure count of the password step is kept until the second factor is
// answered, so a known password does not reset the count of wrong codes.

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <algorithm>
#include <utility>

#include "auth/sign_in_service.h"
#include "identity/json_fields.h"
#include "identity/totp_factor.h"
#include "identity/user_mfa.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

constexpr std::string_view kSelectMfaType = "SELECT_MFA_TYPE";

// The ChallengeResponses member that carries the code of `challenge`.
std::string_view CodeMember(std::string_view challenge) {
  if (challenge == "SMS_MFA") return "SMS_MFA_CODE";
  if (challenge == "SOFTWARE_TOKEN_MFA") return "SOFTWARE_TOKEN_MFA_CODE";
  if (challenge == "EMAIL_OTP") return "EMAIL_OTP_CODE";
  return "SMS_OTP_CODE";
}

bool HasValue(const json::object& attrs, std::string_view name) {
  return !identity::GetString(attrs, name).value_or("").empty();
}

}  // namespace

// PostAuthentication may still refuse the sign-in: the failure count is kept until it agrees.
Result<json::object> SignInService::IssueTokens(const Call& call, const store::UserRecord& user,
                                                TokenEvent event) {
  COGNATE_RETURN_IF_ERROR(PostAuthentication(call, user));
  COGNATE_RETURN_IF_ERROR(ForgetFailures(call, user));
  if (call.hosted) {
    // The authorization code issues the tokens (HostedTokens).
    return json::object{{"SignedIn", json::object{{"UsernameKey", user.username_key},
                                                  {"Sub", user.sub},
                                                  {"AuthTime", clock_.NowSeconds()}}}};
  }
  return issuer_.SignIn(call.pool, call.client, user, PreTokenHook(call, user, event));
}

Result<json::object> SignInService::MfaStep(const Call& call, const store::UserRecord& user,
                                            TokenEvent event) {
  identity::PoolMfa pool = identity::PoolMfaOf(call.pool.config);
  if (pool.mode == "OFF") return IssueTokens(call, user, event);
  auto mfa = identity::ParseUserMfa(user.mfa_json);
  if (!mfa.ok()) return std::move(mfa).error();
  auto attrs = identity::ParseStoredObject(user.attributes_json);
  if (!attrs.ok()) return std::move(attrs).error();
  std::vector<std::string> factors = identity::UsableFactors(pool, *mfa, *attrs);
  if (factors.empty()) {
    if (pool.mode != "ON") return IssueTokens(call, user, event);
    // Required MFA: a factor the user can receive without setting anything up, else set-up.
    if (pool.sms && HasValue(*attrs, "phone_number")) return MfaChallenge(call, user, "SMS_MFA");
    if (pool.email && HasValue(*attrs, "email")) return MfaChallenge(call, user, "EMAIL_OTP");
    return MfaSetupChallenge(call, user);
  }
  if (factors.size() == 1) return MfaChallenge(call, user, factors.front());
  if (std::find(factors.begin(), factors.end(), mfa->preferred) != factors.end()) {
    return MfaChallenge(call, user, mfa->preferred);
  }
  json::array choices(factors.begin(), factors.end());
  std::string list = json::serialize(choices);
  return SessionChallenge(call, user, kSelectMfaType, json::object{{"MFAS_CAN_CHOOSE", list}},
                          list);
}

Result<json::object> SignInService::MfaChallenge(const Call& call, const store::UserRecord& user,
                                                 std::string_view factor) {
  if (factor == identity::kSoftwareTokenMfa) {
    return SessionChallenge(call, user, factor, json::object{}, "");
  }
  return CodeChallenge(call, user, factor, "");
}

Result<json::object> SignInService::AnswerCode(const Call& call, const ChallengeSession& session,
                                               const json::object& responses) {
  Result<store::UserRecord> user = SessionUser(call, session, responses);
  if (!user.ok()) return std::move(user).error();
  std::string code = identity::GetString(responses, CodeMember(session.challenge)).value_or("");
  if (code.empty()) return MissingParameter(CodeMember(session.challenge));
  if (session.challenge == identity::kSoftwareTokenMfa) {
    COGNATE_RETURN_IF_ERROR(CheckSessionLive(call, *user, session));
    Status totp = identity::ConsumeTotpCode(directory_, call.pool, user->username_key, code);
    if (!totp.ok()) {
      if (!totp.error().Is("CodeMismatchException")) return totp.error();
      return WrongAnswer(call, *user, session);
    }
    COGNATE_RETURN_IF_ERROR(SpendSession(call, *user, session, ""));
  } else {
    COGNATE_RETURN_IF_ERROR(SpendSession(call, *user, session, code));
  }
  return IssueTokens(call, *user);
}

Result<json::object> SignInService::AnswerSelectMfaType(const Call& call,
                                                        const ChallengeSession& session,
                                                        const json::object& responses) {
  Result<store::UserRecord> user = SessionUser(call, session, responses);
  if (!user.ok()) return std::move(user).error();
  Result<std::string> answer = OfferedAnswer(session, responses, "MFAS_CAN_CHOOSE");
  if (!answer.ok()) return std::move(answer).error();
  COGNATE_RETURN_IF_ERROR(SpendSession(call, *user, session, ""));
  return MfaChallenge(call, *user, *answer);
}

}  // namespace cognate::auth
