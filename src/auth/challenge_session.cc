#include "auth/challenge_session.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "crypto/encoding.h"
#include "crypto/random.h"
#include "identity/json_fields.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

constexpr std::string_view kAad = "challenge-session";
constexpr std::size_t kNonceBytes = 12;

}  // namespace

std::string NewSessionNonce() {
  return crypto::Base64UrlEncode(crypto::RandomBytes(kNonceBytes));
}

Error MissingParameter(std::string_view name) {
  return Error::InvalidParameter("Missing required parameter " + std::string(name));
}

Error IncorrectPassword() { return Error::NotAuthorized("Incorrect username or password."); }

Error InvalidSession() { return Error::NotAuthorized("Invalid session for the user."); }

Error ExpiredSession() {
  return Error::NotAuthorized("Invalid session for the user, session is expired.");
}

Error SessionAlreadyUsed() {
  return Error::NotAuthorized("Invalid session for the user, session can only be used once.");
}

ChallengeSessions::ChallengeSessions(const crypto::KeyEncryptionKey& kek, const Clock& clock)
    : kek_(kek), clock_(clock) {}

std::string ChallengeSessions::Seal(const ChallengeSession& session, int64_t validity_s) const {
  json::object content{{"p", session.pool_id},
                       {"c", session.client_id},
                       {"u", session.username_key},
                       {"ch", session.challenge},
                       {"pcm", session.password_changed_ms},
                       {"exp", clock_.NowMs() + validity_s * 1000},
                       {"n", session.nonce.empty() ? NewSessionNonce() : session.nonce}};
  if (!session.detail.empty()) content["d"] = session.detail;
  if (!session.event_id.empty()) content["ev"] = session.event_id;
  return kek_.Seal(json::serialize(content), kAad);
}

Result<ChallengeSession> ChallengeSessions::Open(std::string_view sealed) const {
  Result<std::string> plain = kek_.Open(sealed, kAad);
  if (!plain.ok()) return InvalidSession();
  boost::system::error_code ec;
  json::value parsed = json::parse(*plain, ec);
  if (ec || !parsed.is_object()) return InvalidSession();
  const json::object& o = parsed.get_object();
  ChallengeSession session;
  std::optional<std::string> pool = identity::GetString(o, "p");
  std::optional<std::string> client = identity::GetString(o, "c");
  std::optional<std::string> user = identity::GetString(o, "u");
  std::optional<std::string> challenge = identity::GetString(o, "ch");
  std::optional<int64_t> changed = identity::GetInt(o, "pcm");
  std::optional<int64_t> expires = identity::GetInt(o, "exp");
  std::optional<std::string> nonce = identity::GetString(o, "n");
  if (!pool || !client || !user || !challenge || !changed || !expires || !nonce) {
    return InvalidSession();
  }
  if (clock_.NowMs() >= *expires) return ExpiredSession();
  return ChallengeSession{std::move(*pool),      std::move(*client), std::move(*user),
                          std::move(*challenge), *changed,           *expires,
                          std::move(*nonce),     identity::GetString(o, "d").value_or(""),
                          identity::GetString(o, "ev").value_or("")};
}

}  // namespace cognate::auth
