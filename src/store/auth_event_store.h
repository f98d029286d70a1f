#pragma once
// Auth events (AdminListUserAuthEvents): one row per sign-up, sign-in attempt, password change,
// ... of a user, removed with the user (ON DELETE CASCADE) or by the retention purge. The store
// keeps what it is given: the event's context (source address, user agent) arrives already
// sealed by the caller (events/auth_event_log.h), so the database never holds it in clear.
// Thread-safe like every store (stores.h).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace cognate::store {

struct AuthEventRecord {
  std::string pool_id;
  std::string username_key;
  std::string event_id;         // a UUID
  std::string event_type;       // "SignIn", "SignUp", ... (EventType, plus Cognate's "SignOut")
  int64_t created_ms = 0;
  std::string response;         // "Pass", "Fail", "InProgress"
  std::string challenges_json;  // [{"ChallengeName":..,"ChallengeResponse":..}], "[]" for none
  std::string client_id;        // "" when the action names none
  std::string context_sealed;   // opaque to the store
  std::string feedback_value{};  // "" until feedback is given; then "Valid" or "Invalid"
  std::string feedback_provider{};
  int64_t feedback_ms = 0;
};

// A position in a newest-first listing: the last event of the previous page.
struct AuthEventCursor {
  int64_t created_ms = 0;
  std::string event_id;
};

class AuthEventStore {
 public:
  virtual ~AuthEventStore() = default;
  // Inserts the event, or replaces response, challenges_json and context_sealed of the event
  // with this (pool, user, id): a sign-in updates its event as its challenges are answered
  // (type, creation time and feedback stay). UserNotFoundException (store's wording, "User does
  // not exist.") when the user does not exist.
  virtual Status PutEvent(const AuthEventRecord& event) = 0;
  virtual Result<std::optional<AuthEventRecord>> GetEvent(const std::string& pool_id,
                                                          const std::string& username_key,
                                                          const std::string& event_id) = 0;
  // The user's events newest first (created_ms, then event_id, descending), strictly after
  // `after` in that order when given, at most `limit`.
  virtual Result<std::vector<AuthEventRecord>> ListEvents(
      const std::string& pool_id, const std::string& username_key,
      const std::optional<AuthEventCursor>& after, int limit) = 0;
  // Sets the feedback of one event; false when there is no such event.
  virtual Result<bool> SetFeedback(const std::string& pool_id, const std::string& username_key,
                                   const std::string& event_id, const std::string& value,
                                   const std::string& provider, int64_t feedback_ms) = 0;
  // Deletes up to `limit` events created before `cutoff_ms` (oldest first); how many went.
  virtual Result<int64_t> PurgeEventsBefore(int64_t cutoff_ms, int limit) = 0;
};

}  // namespace cognate::store
