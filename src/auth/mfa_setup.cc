// SignInService: MFA_SETUP (cognito-wire.md §6.3, §6.5). A pool with MFA ON sends a user who has
// no factor here; the client then calls AssociateSoftwareToken and VerifySoftwareToken with the
// challenge's Session (each answers with a new one) and finally answers MFA_SETUP with the
// Session VerifySoftwareToken returned. Every step spends the session it was given.

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "auth/sign_in_service.h"
#include "identity/json_fields.h"
#include "identity/software_token.h"
#include "identity/user_mfa.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

constexpr std::string_view kMfaSetup = "MFA_SETUP";
constexpr std::string_view kAssociated = "associated";
constexpr std::string_view kVerified = "verified";

}  // namespace

Result<json::object> SignInService::MfaSetupChallenge(const Call& call,
                                                      const store::UserRecord& user) {
  if (!identity::PoolMfaOf(call.pool.config).totp) {
    // SMS and email need a phone number or an email the user does not have; neither can be
    // added before sign-in.
    return Error::Make("MFAMethodNotFoundException",
                       "The user has no MFA method and none can be set up in this pool.");
  }
  json::array can_setup{identity::kSoftwareTokenMfa};
  return SessionChallenge(call, user, kMfaSetup,
                          json::object{{"MFAS_CAN_SETUP", json::serialize(can_setup)}}, "");
}

Result<SignInService::SetupStep> SignInService::OpenSetupStep(const json::object& request) {
  std::optional<std::string> sealed = identity::GetString(request, "Session");
  Result<ChallengeSession> session = sessions_.Open(sealed.value_or(""));
  if (!session.ok()) return std::move(session).error();
  if (session->challenge != kMfaSetup) return InvalidSession();
  auto pool = directory_.LoadPool(session->pool_id);
  if (!pool.ok()) return InvalidSession();
  auto client = directory_.LoadClient(pool->id(), session->client_id);
  if (!client.ok()) return InvalidSession();
  auto user = directory_.stores().users->GetUser(pool->id(), session->username_key);
  if (!user.ok()) return std::move(user).error();
  if (!user->has_value() || (*user)->password_changed_ms != session->password_changed_ms) {
    return InvalidSession();
  }
  if (!(*user)->enabled) return Error::NotAuthorized("User is disabled.");
  Call call{std::move(*pool), std::move(*client), false};
  COGNATE_RETURN_IF_ERROR(CheckSessionLive(call, **user, *session));
  return SetupStep{std::move(call), std::move(**user), std::move(*session)};
}

Result<json::object> SignInService::AssociateSoftwareTokenInSession(const json::object& request) {
  Result<SetupStep> step = OpenSetupStep(request);
  if (!step.ok()) return std::move(step).error();
  auto secret =
      identity::AssociateSoftwareToken(directory_, step->call.pool, step->user.username_key);
  if (!secret.ok()) return std::move(secret).error();
  COGNATE_RETURN_IF_ERROR(SpendSession(step->call, step->user, step->session, ""));
  auto next = SessionChallenge(step->call, step->user, kMfaSetup, {}, std::string(kAssociated));
  if (!next.ok()) return std::move(next).error();
  return json::object{{"SecretCode", *secret}, {"Session", next->at("Session")}};
}

Result<json::object> SignInService::VerifySoftwareTokenInSession(const json::object& request) {
  Result<SetupStep> step = OpenSetupStep(request);
  if (!step.ok()) return std::move(step).error();
  // A wrong code leaves the session usable: the user may type the code again (the pending
  // secret counts the wrong codes, identity/software_token.h).
  COGNATE_RETURN_IF_ERROR(identity::VerifySoftwareToken(
      directory_, step->call.pool, step->user.username_key,
      identity::GetString(request, "UserCode").value_or(""),
      identity::GetString(request, "FriendlyDeviceName").value_or(""), true));
  COGNATE_RETURN_IF_ERROR(SpendSession(step->call, step->user, step->session, ""));
  auto next = SessionChallenge(step->call, step->user, kMfaSetup, {}, std::string(kVerified));
  if (!next.ok()) return std::move(next).error();
  return json::object{{"Status", "SUCCESS"}, {"Session", next->at("Session")}};
}

Result<json::object> SignInService::AnswerMfaSetup(const Call& call,
                                                   const ChallengeSession& session,
                                                   const json::object& responses) {
  Result<store::UserRecord> user = SessionUser(call, session, responses);
  if (!user.ok()) return std::move(user).error();
  if (session.detail != kVerified) {
    return Error::InvalidParameter(
        "Software token MFA must be associated and verified with this session first.");
  }
  COGNATE_RETURN_IF_ERROR(SpendSession(call, *user, session, ""));
  return IssueTokens(call, *user);
}

}  // namespace cognate::auth
