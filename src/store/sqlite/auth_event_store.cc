// AuthEventStore on SQLite: events keyed by (pool, user, event id), removed with their user
// (ON DELETE CASCADE); listed newest first through the (pool, user, created_ms) index.

#include "store/sqlite/sqlite_stores.h"

namespace cognate::store::sqlite {
namespace {

constexpr const char* kColumns =
    "pool_id, username_key, event_id, event_type, created_ms, response, challenges_json, "
    "client_id, context_sealed, feedback_value, feedback_provider, feedback_ms";

AuthEventRecord ReadEvent(const Statement& row) {
  AuthEventRecord event;
  event.pool_id = row.Text(0);
  event.username_key = row.Text(1);
  event.event_id = row.Text(2);
  event.event_type = row.Text(3);
  event.created_ms = row.Int(4);
  event.response = row.Text(5);
  event.challenges_json = row.Text(6);
  event.client_id = row.Text(7);
  event.context_sealed = row.Text(8);
  event.feedback_value = row.Text(9);
  event.feedback_provider = row.Text(10);
  event.feedback_ms = row.Int(11);
  return event;
}

class SqliteAuthEventStore final : public AuthEventStore {
 public:
  explicit SqliteAuthEventStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Status PutEvent(const AuthEventRecord& e) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto violation = conn.TryExec(
          "INSERT INTO auth_events (pool_id, username_key, event_id, event_type, created_ms, "
          "response, challenges_json, client_id, context_sealed) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
          "ON CONFLICT (pool_id, username_key, event_id) DO UPDATE SET "
          "response = excluded.response, challenges_json = excluded.challenges_json, "
          "context_sealed = excluded.context_sealed",
          e.pool_id, e.username_key, e.event_id, e.event_type, e.created_ms, e.response,
          e.challenges_json, e.client_id, e.context_sealed);
      if (!violation.ok()) return std::move(violation).error();
      if (*violation == Violation::kForeignKey) return UserNotFound();
      if (*violation != Violation::kNone) return UnexpectedViolation();
      return OkStatus();
    });
  }

  Result<std::optional<AuthEventRecord>> GetEvent(const std::string& pool_id,
                                                  const std::string& username_key,
                                                  const std::string& event_id) override {
    return db_->Read([&](Connection& conn) {
      return conn.QueryOne(std::string("SELECT ") + kColumns +
                               " FROM auth_events WHERE pool_id = ?1 AND username_key = ?2 "
                               "AND event_id = ?3",
                           ReadEvent, pool_id, username_key, event_id);
    });
  }

  Result<std::vector<AuthEventRecord>> ListEvents(const std::string& pool_id,
                                                  const std::string& username_key,
                                                  const std::optional<AuthEventCursor>& after,
                                                  int limit) override {
    return db_->Read([&](Connection& conn) -> Result<std::vector<AuthEventRecord>> {
      if (!after) {
        return conn.Query(std::string("SELECT ") + kColumns +
                              " FROM auth_events WHERE pool_id = ?1 AND username_key = ?2 "
                              "ORDER BY created_ms DESC, event_id DESC LIMIT ?3",
                          ReadEvent, pool_id, username_key, int64_t{limit});
      }
      return conn.Query(std::string("SELECT ") + kColumns +
                            " FROM auth_events WHERE pool_id = ?1 AND username_key = ?2 "
                            "AND (created_ms < ?3 OR (created_ms = ?3 AND event_id < ?4)) "
                            "ORDER BY created_ms DESC, event_id DESC LIMIT ?5",
                        ReadEvent, pool_id, username_key, after->created_ms, after->event_id,
                        int64_t{limit});
    });
  }

  Result<bool> SetFeedback(const std::string& pool_id, const std::string& username_key,
                           const std::string& event_id, const std::string& value,
                           const std::string& provider, int64_t feedback_ms) override {
    return db_->Write([&](Connection& conn) -> Result<bool> {
      auto changed = conn.Exec(
          "UPDATE auth_events SET feedback_value = ?4, feedback_provider = ?5, feedback_ms = ?6 "
          "WHERE pool_id = ?1 AND username_key = ?2 AND event_id = ?3",
          pool_id, username_key, event_id, value, provider, feedback_ms);
      if (!changed.ok()) return std::move(changed).error();
      return *changed == 1;
    });
  }

  Result<int64_t> PurgeEventsBefore(int64_t cutoff_ms, int limit) override {
    return db_->Write([&](Connection& conn) {
      return conn.Exec(
          "DELETE FROM auth_events WHERE rowid IN (SELECT rowid FROM auth_events "
          "WHERE created_ms < ?1 ORDER BY created_ms LIMIT ?2)",
          cutoff_ms, int64_t{limit});
    });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<AuthEventStore> NewAuthEventStore(std::shared_ptr<Database> db) {
  return std::make_unique<SqliteAuthEventStore>(std::move(db));
}

}  // namespace cognate::store::sqlite
