// SignInService: RespondToAuthChallenge/AdminRespondToAuthChallenge and the NEW_PASSWORD_REQUIRED
// challenge (cognito-wire.md §6.3): asked after a temporary password verified, answered with a
// new password and the required attributes the user still lacks.

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "auth/sign_in_service.h"
#include "identity/json_fields.h"
#include "identity/password_history.h"
#include "identity/password_policy.h"
#include "identity/password_setter.h"
#include "identity/retry.h"
#include "identity/secret_hash.h"
#include "identity/token_validity.h"
#include "identity/user_attributes.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

constexpr std::string_view kNewPasswordRequired = "NEW_PASSWORD_REQUIRED";
constexpr std::string_view kAttributePrefix = "userAttributes.";

// Required schema attributes (sub aside) without a value in `attrs`.
json::array MissingRequired(const json::object& pool_config, const json::object& attrs) {
  json::array missing;
  const json::array* schema = identity::GetArray(pool_config, "SchemaAttributes");
  if (schema == nullptr) return missing;
  for (const json::value& v : *schema) {
    const json::object* entry = v.if_object();
    if (entry == nullptr || !identity::GetBool(*entry, "Required").value_or(false)) continue;
    std::string name = identity::GetString(*entry, "Name").value_or("");
    if (name.empty() || name == "sub") continue;
    if (identity::GetString(attrs, name).value_or("").empty())
      missing.emplace_back(std::string(kAttributePrefix) + name);
  }
  return missing;
}

// The userAttributes.<name> members of the responses as an AttributeType list.
json::array WrittenAttributes(const json::object& responses) {
  json::array list;
  for (const auto& kv : responses) {
    std::string_view key = kv.key();
    if (!key.starts_with(kAttributePrefix) || !kv.value().is_string()) continue;
    list.push_back(
        json::object{{"Name", key.substr(kAttributePrefix.size())}, {"Value", kv.value()}});
  }
  return list;
}

// The client's WriteAttributes, when it lists any, bound what the answer may set.
Status CheckWritable(const json::object& client_config, const json::object& written) {
  const json::array* writable = identity::GetArray(client_config, "WriteAttributes");
  if (writable == nullptr || writable->empty()) return OkStatus();
  for (const auto& kv : written) {
    if (!identity::Contains(*writable, kv.key())) {
      return Error::NotAuthorized("A client attempted to write unauthorized attribute");
    }
  }
  return OkStatus();
}

// `written` applied to `attrs`; a changed email or phone number is no longer verified.
void ApplyAttributes(json::object& attrs, const json::object& written) {
  for (const auto& kv : written) {
    std::string name(kv.key());
    bool changed = identity::GetString(attrs, name) != identity::GetString(written, name);
    attrs[name] = kv.value();
    if (changed && (name == "email" || name == "phone_number")) attrs[name + "_verified"] = "false";
  }
}

}  // namespace

Result<json::object> SignInService::RespondToAuthChallenge(const json::object& request) {
  Result<Call> call = PublicCall(request);
  if (!call.ok()) return std::move(call).error();
  return RespondToChallenge(*call, request);
}

Result<json::object> SignInService::AdminRespondToAuthChallenge(const json::object& request) {
  Result<Call> call = AdminCall(request);
  if (!call.ok()) return std::move(call).error();
  return RespondToChallenge(*call, request);
}

Result<json::object> SignInService::RespondToChallenge(const Call& call,
                                                       const json::object& request) {
  const json::object* responses = identity::GetObject(request, "ChallengeResponses");
  const std::string username =
      responses ? identity::GetString(*responses, "USERNAME").value_or("") : std::string();
  const Call attempt = WithSessionEvent(call, request);
  return Recorded(attempt, AnswerChallenge(attempt, request), false, username,
                  identity::GetString(request, "ChallengeName").value_or(""));
}

Result<json::object> SignInService::AnswerChallenge(const Call& call,
                                                    const json::object& request) {
  std::string name = identity::GetString(request, "ChallengeName").value_or("");
  const json::object* given = identity::GetObject(request, "ChallengeResponses");
  const json::object responses = given ? *given : json::object();
  // PASSWORD_VERIFIER carries its state in SECRET_BLOCK; a Session is not needed.
  if (name == "PASSWORD_VERIFIER") return AnswerPasswordVerifier(call, responses);
  using Answer = Result<json::object> (SignInService::*)(const Call&, const ChallengeSession&,
                                                         const json::object&);
  static constexpr std::pair<std::string_view, Answer> kAnswers[] = {
      {kNewPasswordRequired, &SignInService::AnswerNewPassword},
      {"SMS_MFA", &SignInService::AnswerCode},
      {"SOFTWARE_TOKEN_MFA", &SignInService::AnswerCode},
      {"EMAIL_OTP", &SignInService::AnswerCode},
      {"SMS_OTP", &SignInService::AnswerCode},
      {"SELECT_MFA_TYPE", &SignInService::AnswerSelectMfaType},
      {"MFA_SETUP", &SignInService::AnswerMfaSetup},
      {"SELECT_CHALLENGE", &SignInService::AnswerSelectChallenge},
      {"CUSTOM_CHALLENGE", &SignInService::AnswerCustomChallenge},
  };
  for (const auto& [challenge, answer] : kAnswers) {
    if (challenge != name) continue;
    Result<ChallengeSession> session = OpenSession(call, request, name);
    if (!session.ok()) return std::move(session).error();
    return (this->*answer)(call, *session, responses);
  }
  return Error::InvalidParameter("Challenge " + name + " is not supported.");
}

Result<json::object> SignInService::NewPasswordChallenge(const Call& call,
                                                         const store::UserRecord& user) {
  auto attrs = identity::ParseStoredObject(user.attributes_json);
  if (!attrs.ok()) return std::move(attrs).error();
  json::array required = MissingRequired(call.pool.config, *attrs);
  json::object shown = *attrs;  // what the user may see and edit
  identity::DropReservedAttributes(shown);
  for (const char* hidden : {"sub", "email_verified", "phone_number_verified"}) shown.erase(hidden);
  ChallengeSession session{call.pool.id(),           call.client.id(),
                           user.username_key,        std::string(kNewPasswordRequired),
                           user.password_changed_ms, 0};
  session.event_id = call.event_id;
  int64_t validity_s = identity::EffectiveTokenLifetimes(call.client.config).auth_session_seconds;
  return json::object{
      {"ChallengeName", kNewPasswordRequired},
      {"Session", sessions_.Seal(session, validity_s)},
      {"ChallengeParameters", json::object{{"USER_ID_FOR_SRP", user.username},
                                           {"requiredAttributes", json::serialize(required)},
                                           {"userAttributes", json::serialize(shown)}}}};
}

Result<json::object> SignInService::AnswerNewPassword(const Call& call,
                                                      const ChallengeSession& session,
                                                      const json::object& responses) {
  Result<store::UserRecord> user = ChallengedUser(call, session, responses);
  if (!user.ok()) return std::move(user).error();
  std::optional<std::string> password = identity::GetString(responses, "NEW_PASSWORD");
  if (!password || password->empty()) return MissingParameter("NEW_PASSWORD");
  Result<json::object> written = NewAttributes(call, *user, responses);
  if (!written.ok()) return std::move(written).error();
  COGNATE_RETURN_IF_ERROR(identity::CheckPasswordPolicy(call.pool.config, *password));
  // The temporary password is the current one, so answering with it is a reuse too.
  COGNATE_RETURN_IF_ERROR(
      identity::CheckPasswordHistory(hasher_, call.pool.config, *user, *password));
  Result<store::UserRecord> updated = StoreNewPassword(
      call, session, identity::MakePasswordSecrets(hasher_, kek_, *user, *password), *written);
  if (!updated.ok()) return std::move(updated).error();
  return MfaStep(call, *updated, TokenEvent::kNewPasswordChallenge);
}

// The user the answer is for: the session's, still waiting for this answer.
Result<store::UserRecord> SignInService::ChallengedUser(const Call& call,
                                                        const ChallengeSession& session,
                                                        const json::object& responses) const {
  Result<store::UserRecord> user = SessionUser(call, session, responses);
  if (!user.ok()) return user;
  if (user->status != "FORCE_CHANGE_PASSWORD") return SessionAlreadyUsed();
  return user;
}

// The checked userAttributes.<name> answers, once they leave no required attribute empty.
Result<json::object> SignInService::NewAttributes(const Call& call, const store::UserRecord& user,
                                                  const json::object& responses) const {
  auto written =
      identity::ValidateAttributes(call.pool.config, WrittenAttributes(responses),
                                   call.admin ? identity::AttributeWriteMode::kAdminUpdate
                                              : identity::AttributeWriteMode::kUserUpdate);
  if (!written.ok()) return std::move(written).error();
  COGNATE_RETURN_IF_ERROR(CheckWritable(call.client.config, *written));
  auto attrs = identity::ParseStoredObject(user.attributes_json);
  if (!attrs.ok()) return std::move(attrs).error();
  ApplyAttributes(*attrs, *written);
  COGNATE_RETURN_IF_ERROR(identity::CheckRequiredAttributes(call.pool.config, *attrs));
  return written;
}

// The user leaves FORCE_CHANGE_PASSWORD in one optimistic update: of two answers racing with
// one session, the second re-reads a CONFIRMED user and is refused, so a session works once.
Result<store::UserRecord> SignInService::StoreNewPassword(const Call& call,
                                                          const ChallengeSession& session,
                                                          const identity::PasswordSecrets& secrets,
                                                          const json::object& written) {
  store::UserStore& users = *directory_.stores().users;
  return identity::RetryOnConflict([&]() -> Result<store::UserRecord> {
    auto current = users.GetUser(call.pool.id(), session.username_key);
    if (!current.ok()) return std::move(current).error();
    if (!current->has_value()) return UnknownUser(call);
    store::UserRecord user = std::move(**current);
    if (user.status != "FORCE_CHANGE_PASSWORD" ||
        user.password_changed_ms != session.password_changed_ms) {
      return SessionAlreadyUsed();
    }
    auto attrs = identity::ParseStoredObject(user.attributes_json);
    if (!attrs.ok()) return std::move(attrs).error();
    ApplyAttributes(*attrs, written);
    int64_t now_ms = clock_.NowMs();
    secrets.ApplyTo(user);
    user.status = "CONFIRMED";
    user.password_changed_ms = now_ms;
    user.modified_ms = now_ms;
    user.attributes_json = json::serialize(*attrs);
    std::vector<store::UserKey> keys = identity::UserDirectory::KeysFor(call.pool, *attrs);
    COGNATE_RETURN_IF_ERROR(users.UpdateUser(user, &keys));
    ++user.version;
    return user;
  });
}

}  // namespace cognate::auth
