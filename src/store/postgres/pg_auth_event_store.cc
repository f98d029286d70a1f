// AuthEventStore on PostgreSQL (see store/sqlite/auth_event_store.cc, which this mirrors).

#include <string>

#include "store/postgres/pg_stores.h"
#include "store/postgres/pg_user_rows.h"

namespace cognate::store::postgres {
namespace {

constexpr const char* kColumns =
    "pool_id, username_key, event_id, event_type, created_ms, response, challenges_json, "
    "client_id, context_sealed, feedback_value, feedback_provider, feedback_ms";

AuthEventRecord ReadEvent(const Rows& rows, int row) {
  AuthEventRecord event;
  event.pool_id = rows.Text(row, 0);
  event.username_key = rows.Text(row, 1);
  event.event_id = rows.Text(row, 2);
  event.event_type = rows.Text(row, 3);
  event.created_ms = rows.Int(row, 4);
  event.response = rows.Text(row, 5);
  event.challenges_json = rows.Text(row, 6);
  event.client_id = rows.Text(row, 7);
  event.context_sealed = rows.Text(row, 8);
  event.feedback_value = rows.Text(row, 9);
  event.feedback_provider = rows.Text(row, 10);
  event.feedback_ms = rows.Int(row, 11);
  return event;
}

std::vector<AuthEventRecord> ReadEvents(const Rows& rows) { return ReadAll(rows, ReadEvent); }

class PgAuthEventStore final : public AuthEventStore {
 public:
  explicit PgAuthEventStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Status PutEvent(const AuthEventRecord& e) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto put = conn.TryExec(
          "INSERT INTO auth_events (pool_id, username_key, event_id, event_type, created_ms, "
          "response, challenges_json, client_id, context_sealed) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
          "ON CONFLICT (pool_id, username_key, event_id) DO UPDATE SET "
          "response = EXCLUDED.response, challenges_json = EXCLUDED.challenges_json, "
          "context_sealed = EXCLUDED.context_sealed",
          {P(e.pool_id), P(e.username_key), P(e.event_id), P(e.event_type), P(e.created_ms),
           P(e.response), P(e.challenges_json), P(e.client_id), P(e.context_sealed)});
      if (!put.ok()) return std::move(put).error();
      // The failed statement aborted the transaction; returning the error ends it.
      if (put->first == Violation::kForeignKey) return UserNotFound();
      if (put->first != Violation::kNone) return UnexpectedViolation();
      return OkStatus();
    });
  }

  Result<std::optional<AuthEventRecord>> GetEvent(const std::string& pool_id,
                                                  const std::string& username_key,
                                                  const std::string& event_id) override {
    using Found = std::optional<AuthEventRecord>;
    return ReadReturning<Found>(*db_, [&](Connection& conn) -> Result<Found> {
      auto rows = conn.Exec(std::string("SELECT ") + kColumns +
                                " FROM auth_events WHERE pool_id = $1 AND username_key = $2 "
                                "AND event_id = $3",
                            {P(pool_id), P(username_key), P(event_id)});
      if (!rows.ok()) return std::move(rows).error();
      if (rows->size() == 0) return Found();
      return Found(ReadEvent(*rows, 0));
    });
  }

  Result<std::vector<AuthEventRecord>> ListEvents(const std::string& pool_id,
                                                  const std::string& username_key,
                                                  const std::optional<AuthEventCursor>& after,
                                                  int limit) override {
    using Events = std::vector<AuthEventRecord>;
    return ReadReturning<Events>(*db_, [&](Connection& conn) -> Result<Events> {
      auto rows =
          after ? conn.Exec(std::string("SELECT ") + kColumns +
                                " FROM auth_events WHERE pool_id = $1 AND username_key = $2 "
                                "AND (created_ms < $3 OR (created_ms = $3 AND event_id < $4)) "
                                "ORDER BY created_ms DESC, event_id DESC LIMIT $5",
                            {P(pool_id), P(username_key), P(after->created_ms),
                             P(after->event_id), P(int64_t{limit})})
                : conn.Exec(std::string("SELECT ") + kColumns +
                                " FROM auth_events WHERE pool_id = $1 AND username_key = $2 "
                                "ORDER BY created_ms DESC, event_id DESC LIMIT $3",
                            {P(pool_id), P(username_key), P(int64_t{limit})});
      if (!rows.ok()) return std::move(rows).error();
      return ReadEvents(*rows);
    });
  }

  Result<bool> SetFeedback(const std::string& pool_id, const std::string& username_key,
                           const std::string& event_id, const std::string& value,
                           const std::string& provider, int64_t feedback_ms) override {
    return WriteReturning<bool>(*db_, [&](Connection& conn) -> Result<bool> {
      auto changed = conn.Exec(
          "UPDATE auth_events SET feedback_value = $4, feedback_provider = $5, feedback_ms = $6 "
          "WHERE pool_id = $1 AND username_key = $2 AND event_id = $3",
          {P(pool_id), P(username_key), P(event_id), P(value), P(provider), P(feedback_ms)});
      if (!changed.ok()) return std::move(changed).error();
      return changed->affected() == 1;
    });
  }

  Result<int64_t> PurgeEventsBefore(int64_t cutoff_ms, int limit) override {
    return WriteReturning<int64_t>(*db_, [&](Connection& conn) -> Result<int64_t> {
      // DELETE has no LIMIT in PostgreSQL: the rows to go are chosen by their primary key.
      auto deleted = conn.Exec(
          "DELETE FROM auth_events WHERE (pool_id, username_key, event_id) IN ("
          "SELECT pool_id, username_key, event_id FROM auth_events "
          "WHERE created_ms < $1 ORDER BY created_ms LIMIT $2)",
          {P(cutoff_ms), P(int64_t{limit})});
      if (!deleted.ok()) return std::move(deleted).error();
      return deleted->affected();
    });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<AuthEventStore> NewAuthEventStore(std::shared_ptr<Database> db) {
  return std::make_unique<PgAuthEventStore>(std::move(db));
}

}  // namespace cognate::store::postgres
