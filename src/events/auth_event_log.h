#pragma once
// Auth events (AdminListUserAuthEvents): what happened to a user's account — sign-up, each
// sign-in attempt, password resets and changes, resent codes, sign-outs — with the outcome, the
// app client, the source address and user agent of the request, and any feedback on the event.
//
// The log is the only way events are written and read, so the rules live here:
//   - the context (IP address, user agent) is personal data: sealed with the KEK, aad binding
//     pool, user and event id, so a row copied to another user does not open;
//   - recording never fails the user's request: a write that fails is reported to the
//     `on_write_failure` hook (the server logs it) and dropped; a user that does not exist (or
//     was deleted meanwhile) simply gets no event;
//   - the feedback token of an event (UpdateAuthEventFeedback) is
//     base64url(HMAC-SHA256(kek.Derive("auth-event-feedback"), pool|username_key|event_id)),
//     checked in constant time.
// Thread-safe: no mutable state after construction.

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "crypto/kek.h"
#include "store/auth_event_store.h"

namespace cognate::events {

// Cognito's EventType values, and "SignOut", a Cognate extension (Cognito records no sign-out).
enum class EventType { kSignIn, kSignUp, kForgotPassword, kPasswordChange, kResendCode, kSignOut };
std::string_view EventTypeName(EventType type);

inline constexpr std::string_view kPass = "Pass";
inline constexpr std::string_view kFail = "Fail";
inline constexpr std::string_view kInProgress = "InProgress";

// One entry of ChallengeResponses: ChallengeName "Password" or "Mfa", and whether it passed.
struct ChallengeResult {
  std::string name;
  bool success = false;
};

// Whose event it is, and through which app client ("" when the action names none).
struct EventSubject {
  std::string pool_id;
  std::string username_key;
  std::string client_id;
};

// A page of AdminListUserAuthEvents.
struct EventPage {
  std::vector<store::AuthEventRecord> events;
  std::string next_token;  // "" on the last page
};

class AuthEventLog {
 public:
  using WriteFailure = std::function<void(const Error&)>;
  // `store`, `kek` and `clock` must outlive the log.
  AuthEventLog(store::AuthEventStore& store, const crypto::KeyEncryptionKey& kek,
               const Clock& clock, WriteFailure on_write_failure = nullptr);

  // Records a finished event of `type` with the current request's context
  // (common/request_meta.h). The new event's id, or "" when nothing was stored.
  std::string Record(const EventSubject& who, EventType type, std::string_view response);

  // One step of a sign-in attempt: the event `event_id` (created when there is none yet) gets
  // `response` and, when given, `challenge` appended to its ChallengeResponses.
  void RecordSignInStep(const EventSubject& who, const std::string& event_id,
                        std::string_view response, const std::optional<ChallengeResult>& challenge);

  // Newest first. `next_token` from a previous page ("" for the first); InvalidParameterException
  // for one this log did not make. `max_results` 1..60.
  Result<EventPage> List(const std::string& pool_id, const std::string& username_key,
                         const std::string& next_token, int max_results) const;
  Result<std::optional<store::AuthEventRecord>> Get(const std::string& pool_id,
                                                    const std::string& username_key,
                                                    const std::string& event_id) const;
  // False when there is no such event. `provider`: "Admin" or "Cognito".
  Result<bool> SetFeedback(const std::string& pool_id, const std::string& username_key,
                           const std::string& event_id, std::string_view value,
                           std::string_view provider) const;

  std::string FeedbackToken(std::string_view pool_id, std::string_view username_key,
                            std::string_view event_id) const;
  bool FeedbackTokenMatches(std::string_view pool_id, std::string_view username_key,
                            std::string_view event_id, std::string_view token) const;

  // AuthEventType as Cognito shapes it, the context opened (left out if it does not open).
  boost::json::object ToAuthEventType(const store::AuthEventRecord& event) const;

  // Deletes up to `limit` events older than `cutoff_ms`; how many went.
  Result<int64_t> PurgeBefore(int64_t cutoff_ms, int limit) const;

 private:
  std::string SealContext(const store::AuthEventRecord& event) const;
  void Put(const store::AuthEventRecord& event) const;

  store::AuthEventStore& store_;
  const crypto::KeyEncryptionKey& kek_;
  const Clock& clock_;
  WriteFailure on_write_failure_;
  std::string feedback_key_;
};

// An event of a non-sign-in action, filled in as the action learns who it is about and
// recorded with the action's outcome. `log` may be null (no events are recorded).
class PendingEvent {
 public:
  PendingEvent(AuthEventLog* log, EventType type) : log_(log), type_(type) {}
  void SetSubject(EventSubject who) { who_ = std::move(who); }
  // Records Pass for a success, Fail for a refusal (an error with a 4xx status) once a subject
  // is set; server errors and actions that never found their user record nothing. Returns
  // `result` unchanged.
  Result<boost::json::object> Finish(Result<boost::json::object> result);

 private:
  AuthEventLog* log_;
  EventType type_;
  std::optional<EventSubject> who_;
};

}  // namespace cognate::events
