#include "events/auth_event_log.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <algorithm>
#include <charconv>
#include <utility>

#include "common/request_meta.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "identity/json_fields.h"

namespace cognate::events {
namespace json = boost::json;
namespace {

constexpr int kMaxPage = 60;
constexpr std::size_t kMaxEventId = 64;
// Request headers are bounded by the server, but an event should not carry a whole one.
constexpr std::size_t kMaxDeviceName = 256;

// Binds a sealed context to its row: a context copied to another user's event does not open.
std::string ContextAad(const store::AuthEventRecord& e) {
  return "auth-event|" + e.pool_id + "|" + e.username_key + "|" + e.event_id;
}

json::array ParseChallenges(std::string_view text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_array()) return {};
  return std::move(parsed.as_array());
}

std::string NextToken(const store::AuthEventRecord& last) {
  return crypto::Base64UrlEncode(std::to_string(last.created_ms) + ":" + last.event_id);
}

std::optional<store::AuthEventCursor> ParseNextToken(std::string_view token) {
  if (token.size() > 256) return std::nullopt;
  std::optional<std::string> text = crypto::Base64UrlDecode(token);
  if (!text) return std::nullopt;
  std::size_t colon = text->find(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  store::AuthEventCursor cursor;
  const char* end = text->data() + colon;
  auto [ptr, ec] = std::from_chars(text->data(), end, cursor.created_ms);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  cursor.event_id = text->substr(colon + 1);
  if (cursor.event_id.empty() || cursor.event_id.size() > kMaxEventId) return std::nullopt;
  return cursor;
}

}  // namespace

std::string_view EventTypeName(EventType type) {
  switch (type) {
    case EventType::kSignIn: return "SignIn";
    case EventType::kSignUp: return "SignUp";
    case EventType::kForgotPassword: return "ForgotPassword";
    case EventType::kPasswordChange: return "PasswordChange";
    case EventType::kResendCode: return "ResendCode";
    case EventType::kSignOut: return "SignOut";
  }
  return "SignIn";
}

AuthEventLog::AuthEventLog(store::AuthEventStore& store, const crypto::KeyEncryptionKey& kek,
                           const Clock& clock, WriteFailure on_write_failure)
    : store_(store),
      kek_(kek),
      clock_(clock),
      on_write_failure_(std::move(on_write_failure)),
      feedback_key_(kek.Derive("auth-event-feedback")) {}

std::string AuthEventLog::SealContext(const store::AuthEventRecord& event) const {
  json::object context;
  if (const RequestMeta* meta = CurrentRequestMeta()) {
    if (!meta->source_ip.empty()) context["IpAddress"] = meta->source_ip;
    if (!meta->user_agent.empty())
      context["DeviceName"] = meta->user_agent.substr(0, kMaxDeviceName);
  }
  return kek_.Seal(json::serialize(context), ContextAad(event));
}

void AuthEventLog::Put(const store::AuthEventRecord& event) const {
  Status put = store_.PutEvent(event);
  // A user deleted meanwhile has no events to keep.
  if (put.ok() || put.error().Is("ResourceNotFoundException")) return;
  if (on_write_failure_) on_write_failure_(put.error());
}

std::string AuthEventLog::Record(const EventSubject& who, EventType type,
                                 std::string_view response) {
  store::AuthEventRecord event{.pool_id = who.pool_id,
                               .username_key = who.username_key,
                               .event_id = crypto::RandomUuid(),
                               .event_type = std::string(EventTypeName(type)),
                               .created_ms = clock_.NowMs(),
                               .response = std::string(response),
                               .challenges_json = "[]",
                               .client_id = who.client_id,
                               .context_sealed = ""};
  event.context_sealed = SealContext(event);
  Put(event);
  return event.event_id;
}

void AuthEventLog::RecordSignInStep(const EventSubject& who, const std::string& event_id,
                                    std::string_view response,
                                    const std::optional<ChallengeResult>& challenge) {
  store::AuthEventRecord event{.pool_id = who.pool_id,
                               .username_key = who.username_key,
                               .event_id = event_id,
                               .event_type = std::string(EventTypeName(EventType::kSignIn)),
                               .created_ms = clock_.NowMs(),
                               .response = std::string(response),
                               .challenges_json = "[]",
                               .client_id = who.client_id,
                               .context_sealed = ""};
  json::array challenges;
  auto earlier = store_.GetEvent(who.pool_id, who.username_key, event_id);
  // A finished sign-in stays as it ended: a later answer with its Session (a replay) is an
  // attempt of its own.
  if (earlier.ok() && earlier->has_value() && (*earlier)->response == kPass) {
    event.event_id = crypto::RandomUuid();
  } else if (earlier.ok() && earlier->has_value()) {
    challenges = ParseChallenges((*earlier)->challenges_json);
    event.created_ms = (*earlier)->created_ms;
  }
  if (challenge) {
    challenges.push_back(json::object{{"ChallengeName", challenge->name},
                                      {"ChallengeResponse", challenge->success ? "Success"
                                                                               : "Failure"}});
  }
  event.challenges_json = json::serialize(challenges);
  event.context_sealed = SealContext(event);
  Put(event);
}

Result<EventPage> AuthEventLog::List(const std::string& pool_id,
                                     const std::string& username_key,
                                     const std::string& next_token, int max_results) const {
  std::optional<store::AuthEventCursor> after;
  if (!next_token.empty()) {
    after = ParseNextToken(next_token);
    if (!after) return Error::InvalidParameter("Invalid NextToken.");
  }
  const int limit = std::clamp(max_results, 1, kMaxPage);
  // One row more than the page says whether another page follows.
  auto rows = store_.ListEvents(pool_id, username_key, after, limit + 1);
  if (!rows.ok()) return std::move(rows).error();
  EventPage page;
  page.events = std::move(*rows);
  if (static_cast<int>(page.events.size()) > limit) {
    page.events.resize(limit);
    page.next_token = NextToken(page.events.back());
  }
  return page;
}

Result<std::optional<store::AuthEventRecord>> AuthEventLog::Get(
    const std::string& pool_id, const std::string& username_key,
    const std::string& event_id) const {
  if (event_id.empty() || event_id.size() > kMaxEventId)
    return std::optional<store::AuthEventRecord>();
  return store_.GetEvent(pool_id, username_key, event_id);
}

Result<bool> AuthEventLog::SetFeedback(const std::string& pool_id,
                                       const std::string& username_key,
                                       const std::string& event_id, std::string_view value,
                                       std::string_view provider) const {
  if (event_id.empty() || event_id.size() > kMaxEventId) return false;
  return store_.SetFeedback(pool_id, username_key, event_id, std::string(value),
                            std::string(provider), clock_.NowMs());
}

std::string AuthEventLog::FeedbackToken(std::string_view pool_id, std::string_view username_key,
                                        std::string_view event_id) const {
  std::string message;
  message.append(pool_id).append("|").append(username_key).append("|").append(event_id);
  return crypto::Base64UrlEncode(crypto::HmacSha256(feedback_key_, message));
}

bool AuthEventLog::FeedbackTokenMatches(std::string_view pool_id, std::string_view username_key,
                                        std::string_view event_id,
                                        std::string_view token) const {
  return crypto::ConstantTimeEquals(FeedbackToken(pool_id, username_key, event_id), token);
}

json::object AuthEventLog::ToAuthEventType(const store::AuthEventRecord& event) const {
  // Cognate has no risk engine: every event is reported as Cognito reports a harmless one.
  json::object out{{"EventId", event.event_id},
                   {"EventType", event.event_type},
                   {"CreationDate", identity::EpochSeconds(event.created_ms)},
                   {"EventResponse", event.response},
                   {"EventRisk", json::object{{"RiskDecision", "NoRisk"},
                                              {"RiskLevel", "Low"},
                                              {"CompromisedCredentialsDetected", false}}},
                   {"ChallengeResponses", ParseChallenges(event.challenges_json)}};
  if (Result<std::string> plain = kek_.Open(event.context_sealed, ContextAad(event)); plain.ok()) {
    boost::system::error_code ec;
    json::value context = json::parse(*plain, ec);
    if (!ec && context.is_object()) out["EventContextData"] = std::move(context.as_object());
  }
  if (!event.feedback_value.empty()) {
    out["EventFeedback"] = json::object{{"FeedbackValue", event.feedback_value},
                                        {"Provider", event.feedback_provider},
                                        {"FeedbackDate", identity::EpochSeconds(event.feedback_ms)}};
  }
  return out;
}

Result<int64_t> AuthEventLog::PurgeBefore(int64_t cutoff_ms, int limit) const {
  return store_.PurgeEventsBefore(cutoff_ms, limit);
}

Result<json::object> PendingEvent::Finish(Result<json::object> result) {
  if (log_ == nullptr || !who_) return result;
  if (result.ok()) {
    log_->Record(*who_, type_, kPass);
  } else if (result.error().http_status < 500) {
    log_->Record(*who_, type_, kFail);
  }
  return result;
}

}  // namespace cognate::events
