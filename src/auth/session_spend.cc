// SignInService: single-use challenge sessions (cognito-wire.md §6.4). A challenge that must be
// answered once registers its session's nonce in the CodeStore (purpose "session:<nonce>", the
// same lifetime as the session) with the hash of what answers it: the code sent by SMS or email,
// or the nonce itself. The answer spends the row atomically (CodeStore::ConsumeCode), so of two
// racing answers one wins; wrong codes are counted on the row and, after
// kMaxChallengeAnswers, the row and with it the session is gone. Wrong codes also count as
// failed sign-ins (lockout.cc), so new sessions do not buy an attacker new guesses.

#include <boost/json/parse.hpp>
#include <utility>

#include "auth/sign_in_service.h"
#include "identity/codes.h"
#include "identity/json_fields.h"
#include "identity/secret_hash.h"
#include "identity/token_validity.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

constexpr int64_t kMaxChallengeAnswers = 3;

std::string SessionPurpose(std::string_view nonce) { return "session:" + std::string(nonce); }

}  // namespace

Status SignInService::RegisterSession(const Call& call, const store::UserRecord& user,
                                      const ChallengeSession& session, std::string_view answer) {
  store::CodeRecord row;
  row.pool_id = call.pool.id();
  row.username_key = user.username_key;
  row.purpose = SessionPurpose(session.nonce);
  row.code_hash = identity::CodeHash(identity::CodeHashKey(kek_), row.pool_id, row.username_key,
                                     row.purpose,
                                     answer.empty() ? session.nonce : answer);
  row.created_ms = clock_.NowMs();
  row.expires_ms = session.expires_ms;
  return directory_.stores().codes->PutCode(row);
}

Status SignInService::CheckSessionLive(const Call& call, const store::UserRecord& user,
                                       const ChallengeSession& session) const {
  auto row = directory_.stores().codes->GetCode(call.pool.id(), user.username_key,
                                                SessionPurpose(session.nonce));
  if (!row.ok()) return std::move(row).error();
  if (!row->has_value() || (*row)->expires_ms <= clock_.NowMs()) return SessionAlreadyUsed();
  return OkStatus();
}

Status SignInService::SpendSession(const Call& call, const store::UserRecord& user,
                                   const ChallengeSession& session, std::string_view answer) {
  const std::string purpose = SessionPurpose(session.nonce);
  auto spent = directory_.stores().codes->ConsumeCode(
      call.pool.id(), user.username_key, purpose,
      identity::CodeHash(identity::CodeHashKey(kek_), call.pool.id(), user.username_key, purpose,
                         answer.empty() ? session.nonce : answer),
      clock_.NowMs());
  if (!spent.ok()) return std::move(spent).error();
  if (*spent) return OkStatus();
  COGNATE_RETURN_IF_ERROR(CheckSessionLive(call, user, session));
  if (answer.empty()) return SessionAlreadyUsed();  // raced with another answer
  return WrongAnswer(call, user, session);
}

Error SignInService::WrongAnswer(const Call& call, const store::UserRecord& user,
                                 const ChallengeSession& session) {
  store::CodeStore& codes = *directory_.stores().codes;
  const std::string purpose = SessionPurpose(session.nonce);
  auto attempts = codes.AddFailedAttempt(call.pool.id(), user.username_key, purpose);
  if (!attempts.ok()) return std::move(attempts).error();
  if (*attempts >= kMaxChallengeAnswers) {
    Status deleted = codes.DeleteCode(call.pool.id(), user.username_key, purpose);
    if (!deleted.ok()) return deleted.error();
  }
  Status counted = RecordFailure(call, user);
  if (!counted.ok()) return counted.error();
  return Error::Make("CodeMismatchException", "Invalid code received for user");
}

Result<std::string> SignInService::OfferedAnswer(const ChallengeSession& session,
                                                 const json::object& responses,
                                                 std::string_view list_name) {
  std::string answer = identity::GetString(responses, "ANSWER").value_or("");
  if (answer.empty()) return MissingParameter("ANSWER");
  boost::system::error_code ec;
  json::value offered = json::parse(session.detail, ec);
  if (ec || !offered.is_array() || !identity::Contains(offered.get_array(), answer)) {
    return Error::InvalidParameter("Invalid ANSWER: " + answer.substr(0, 32) + " is not one of " +
                                   std::string(list_name) + ".");
  }
  return answer;
}

Result<ChallengeSession> SignInService::OpenSession(const Call& call, const json::object& request,
                                                    std::string_view challenge) const {
  std::optional<std::string> sealed = identity::GetString(request, "Session");
  if (!sealed || sealed->empty()) return MissingParameter("Session");
  Result<ChallengeSession> session = sessions_.Open(*sealed);
  if (!session.ok()) return std::move(session).error();
  if (session->pool_id != call.pool.id() || session->client_id != call.client.id() ||
      session->challenge != challenge) {
    return InvalidSession();
  }
  return session;
}

Result<store::UserRecord> SignInService::SessionUser(const Call& call,
                                                     const ChallengeSession& session,
                                                     const json::object& responses) const {
  std::optional<std::string> username = identity::GetString(responses, "USERNAME");
  if (!username || username->empty()) return MissingParameter("USERNAME");
  COGNATE_RETURN_IF_ERROR(identity::CheckSecretHash(call.client.id(), call.client.secret, *username,
                                                    identity::GetString(responses, "SECRET_HASH")));
  auto found = directory_.Find(call.pool, *username);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return UnknownUser(call);
  store::UserRecord user = std::move(**found);
  if (user.username_key != session.username_key) return InvalidSession();
  // A password set since the session was made (perhaps by answering it) ends it.
  if (user.password_changed_ms != session.password_changed_ms) return SessionAlreadyUsed();
  if (!user.enabled) return Error::NotAuthorized("User is disabled.");
  if (IsLockedOut(user)) return Error::NotAuthorized("Password attempts exceeded");
  return user;
}

Result<json::object> SignInService::SessionChallenge(const Call& call,
                                                     const store::UserRecord& user,
                                                     std::string_view name,
                                                     json::object parameters,
                                                     std::string detail, std::string_view answer,
                                                     const delivery::OutgoingMessage* message) {
  int64_t validity_s = identity::EffectiveTokenLifetimes(call.client.config).auth_session_seconds;
  ChallengeSession session{call.pool.id(),           call.client.id(),
                           user.username_key,        std::string(name),
                           user.password_changed_ms, clock_.NowMs() + validity_s * 1000,
                           NewSessionNonce(),        std::move(detail),
                           call.event_id};
  COGNATE_RETURN_IF_ERROR(RegisterSession(call, user, session, answer));
  if (message != nullptr) {
    Status sent = sender_.Send(*message);
    if (!sent.ok()) {
      // Nothing half-made: the session's row goes with the code that never arrived.
      (void)directory_.stores().codes->DeleteCode(call.pool.id(), user.username_key,
                                                  SessionPurpose(session.nonce));
      return sent.error();
    }
  }
  return json::object{{"ChallengeName", name},
                      {"Session", sessions_.Seal(session, validity_s)},
                      {"ChallengeParameters", std::move(parameters)}};
}

}  // namespace cognate::auth
