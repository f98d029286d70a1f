// SignInService: the choice-based USER_AUTH flow (cognito-wire.md §6.1, §6.3). The pool's
// Policies.SignInPolicy.AllowedFirstAuthFactors (default ["PASSWORD"]) and what the user has
// decide the first factors on offer: PASSWORD and PASSWORD_SRP, EMAIL_OTP with a verified email,
// SMS_OTP with a verified phone. A PREFERRED_CHALLENGE on offer starts at once; otherwise the
// client gets SELECT_CHALLENGE with AvailableChallenges and answers with its choice (and the
// PASSWORD or SRP_A it needs). WEB_AUTHN is not offered.

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <algorithm>
#include <utility>

#include "auth/sign_in_service.h"
#include "identity/json_fields.h"
#include "identity/secret_hash.h"
#include "identity/token_validity.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

constexpr std::string_view kSelectChallenge = "SELECT_CHALLENGE";

bool Verified(const json::object& attrs, std::string_view name) {
  return !identity::GetString(attrs, name).value_or("").empty() &&
         identity::GetString(attrs, std::string(name) + "_verified") == "true";
}

}  // namespace

std::vector<std::string> SignInService::FirstFactors(const Call& call,
                                                     const store::UserRecord& user) {
  json::array allowed{"PASSWORD"};
  if (const json::object* policies = identity::GetObject(call.pool.config, "Policies"))
    if (const json::object* sign_in = identity::GetObject(*policies, "SignInPolicy"))
      if (const json::array* factors = identity::GetArray(*sign_in, "AllowedFirstAuthFactors"))
        allowed = *factors;
  auto attrs = identity::ParseStoredObject(user.attributes_json);
  json::object none;
  const json::object& a = attrs.ok() ? *attrs : none;
  std::vector<std::string> offered;
  if (identity::Contains(allowed, "PASSWORD")) {
    offered.emplace_back("PASSWORD");
    offered.emplace_back("PASSWORD_SRP");
  }
  if (identity::Contains(allowed, "EMAIL_OTP") && Verified(a, "email")) {
    offered.emplace_back("EMAIL_OTP");
  }
  if (identity::Contains(allowed, "SMS_OTP") && Verified(a, "phone_number")) {
    offered.emplace_back("SMS_OTP");
  }
  return offered;
}

Result<json::object> SignInService::UserAuthFlow(const Call& call, const json::object& params) {
  if (!FlowAllowed(call, "ALLOW_USER_AUTH")) {
    return Error::InvalidParameter("Auth flow not enabled for this client");
  }
  std::optional<std::string> username = identity::GetString(params, "USERNAME");
  if (!username || username->empty()) return MissingParameter("USERNAME");
  COGNATE_RETURN_IF_ERROR(identity::CheckSecretHash(call.client.id(), call.client.secret, *username,
                                                    identity::GetString(params, "SECRET_HASH")));
  auto found = directory_.Find(call.pool, *username);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return UnknownUserAuth(call, *username, params);
  const store::UserRecord& user = **found;
  if (IsLockedOut(user)) return Error::NotAuthorized("Password attempts exceeded");
  std::vector<std::string> offered = FirstFactors(call, user);
  std::string preferred = identity::GetString(params, "PREFERRED_CHALLENGE").value_or("");
  if (std::find(offered.begin(), offered.end(), preferred) != offered.end()) {
    return StartFirstFactor(call, user, preferred, params);
  }
  json::array available(offered.begin(), offered.end());
  auto challenge = SessionChallenge(call, user, kSelectChallenge, json::object{},
                                    json::serialize(available));
  if (!challenge.ok()) return std::move(challenge).error();
  (*challenge)["AvailableChallenges"] = std::move(available);
  return challenge;
}

// With PreventUserExistenceErrors, a name nobody has gets what a user with only a password
// gets: the password factors, failing as a wrong password does when answered.
Result<json::object> SignInService::UnknownUserAuth(const Call& call, const std::string& name,
                                                    const json::object& params) {
  if (!HidesUserExistence(call)) return identity::UserNotFound();
  std::string preferred = identity::GetString(params, "PREFERRED_CHALLENGE").value_or("");
  if (preferred == "PASSWORD" || preferred == "PASSWORD_SRP") {
    store::UserRecord nobody;
    nobody.username = name;
    return StartFirstFactor(call, nobody, preferred, params);
  }
  json::array available{"PASSWORD", "PASSWORD_SRP"};
  ChallengeSession session{call.pool.id(), call.client.id(), name, std::string(kSelectChallenge),
                           0, 0, NewSessionNonce(), json::serialize(available)};
  int64_t validity_s = identity::EffectiveTokenLifetimes(call.client.config).auth_session_seconds;
  return json::object{{"ChallengeName", kSelectChallenge},
                      {"Session", sessions_.Seal(session, validity_s)},
                      {"ChallengeParameters", json::object{}},
                      {"AvailableChallenges", std::move(available)}};
}

Result<json::object> SignInService::StartFirstFactor(const Call& call,
                                                     const store::UserRecord& user,
                                                     std::string_view factor,
                                                     const json::object& params) {
  if (factor == "PASSWORD") {
    std::optional<std::string> password = identity::GetString(params, "PASSWORD");
    if (!password || password->empty()) return MissingParameter("PASSWORD");
    Result<store::UserRecord> verified = CheckPassword(call, user.username, *password);
    if (!verified.ok()) return std::move(verified).error();
    return FinishSignIn(call, *verified);
  }
  // PASSWORD asks PreAuthentication in CheckPassword; the others here (`user` has no
  // username_key when it stands for a name nobody has).
  const store::UserRecord* known = user.username_key.empty() ? nullptr : &user;
  if (factor == "PASSWORD_SRP") {
    std::optional<std::string> srp_a = identity::GetString(params, "SRP_A");
    if (!srp_a || srp_a->empty()) return MissingParameter("SRP_A");
    COGNATE_RETURN_IF_ERROR(PreAuthentication(call, user.username, known));
    if (user.status == "RESET_REQUIRED") {
      return Error::Make("PasswordResetRequiredException", "Password reset required for the user");
    }
    // No verifier (or no such user): a challenge nobody can answer.
    return SrpChallenge(call, user.username, *srp_a,
                        user.srp_verifier_sealed.empty() ? nullptr : &user);
  }
  // EMAIL_OTP / SMS_OTP: the code alone signs the user in, so the account must be usable.
  COGNATE_RETURN_IF_ERROR(PreAuthentication(call, user.username, known));
  if (!user.enabled) return Error::NotAuthorized("User is disabled.");
  if (user.status != "CONFIRMED") {
    return Error::Make("UserNotConfirmedException", "User is not confirmed.");
  }
  return CodeChallenge(call, user, factor, "first-factor");
}

Result<json::object> SignInService::AnswerSelectChallenge(const Call& call,
                                                          const ChallengeSession& session,
                                                          const json::object& responses) {
  Result<store::UserRecord> user = SessionUser(call, session, responses);
  if (!user.ok()) return std::move(user).error();
  Result<std::string> answer = OfferedAnswer(session, responses, "AvailableChallenges");
  if (!answer.ok()) return std::move(answer).error();
  COGNATE_RETURN_IF_ERROR(SpendSession(call, *user, session, ""));
  return StartFirstFactor(call, *user, *answer, responses);
}

}  // namespace cognate::auth
