// CodeStore on PostgreSQL (see store/sqlite/code_store.cc, which this mirrors): one code per
// (pool, user, purpose), removed with its user (ON DELETE CASCADE). Consuming is a conditional
// DELETE, so of two racing requests only one gets the code (the other's transaction either
// finds it gone or fails to serialize and is retried, then finds it gone).

#include <string>

#include "store/postgres/pg_stores.h"
#include "store/postgres/pg_user_rows.h"

namespace cognate::store::postgres {
namespace {

CodeRecord ReadCode(const Rows& rows, int row) {
  CodeRecord code;
  code.pool_id = rows.Text(row, 0);
  code.username_key = rows.Text(row, 1);
  code.purpose = rows.Text(row, 2);
  code.code_hash = rows.Text(row, 3);
  code.created_ms = rows.Int(row, 4);
  code.expires_ms = rows.Int(row, 5);
  code.failed_attempts = rows.Int(row, 6);
  code.window_ms = rows.Int(row, 7);
  code.sends_in_window = rows.Int(row, 8);
  return code;
}

class PgCodeStore final : public CodeStore {
 public:
  explicit PgCodeStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Status PutCode(const CodeRecord& code) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto put = conn.TryExec(
          "INSERT INTO codes (pool_id, username_key, purpose, code_hash, created_ms, expires_ms, "
          "failed_attempts, window_ms, sends_in_window) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
          "ON CONFLICT (pool_id, username_key, purpose) DO UPDATE SET "
          "code_hash = EXCLUDED.code_hash, created_ms = EXCLUDED.created_ms, "
          "expires_ms = EXCLUDED.expires_ms, failed_attempts = EXCLUDED.failed_attempts, "
          "window_ms = EXCLUDED.window_ms, sends_in_window = EXCLUDED.sends_in_window",
          {P(code.pool_id), P(code.username_key), P(code.purpose), P(code.code_hash),
           P(code.created_ms), P(code.expires_ms), P(code.failed_attempts), P(code.window_ms),
           P(code.sends_in_window)});
      if (!put.ok()) return std::move(put).error();
      // The user does not exist (or was deleted meanwhile). The failed statement aborted the
      // transaction; returning the error ends it.
      if (put->first == Violation::kForeignKey) return UserNotFound();
      if (put->first != Violation::kNone) return UnexpectedViolation();
      return OkStatus();
    });
  }

  Result<std::optional<CodeRecord>> GetCode(const std::string& pool_id,
                                            const std::string& username_key,
                                            const std::string& purpose) override {
    return ReadReturning<std::optional<CodeRecord>>(
        *db_, [&](Connection& conn) -> Result<std::optional<CodeRecord>> {
          auto rows = conn.Exec(
              "SELECT pool_id, username_key, purpose, code_hash, created_ms, expires_ms, "
              "failed_attempts, window_ms, sends_in_window FROM codes "
              "WHERE pool_id = $1 AND username_key = $2 AND purpose = $3",
              {P(pool_id), P(username_key), P(purpose)});
          if (!rows.ok()) return std::move(rows).error();
          if (rows->size() == 0) return std::optional<CodeRecord>();
          return std::optional<CodeRecord>(ReadCode(*rows, 0));
        });
  }

  Result<bool> ConsumeCode(const std::string& pool_id, const std::string& username_key,
                           const std::string& purpose, const std::string& code_hash,
                           int64_t now_ms) override {
    return WriteReturning<bool>(*db_, [&](Connection& conn) -> Result<bool> {
      auto deleted = conn.Exec(
          "DELETE FROM codes WHERE pool_id = $1 AND username_key = $2 AND purpose = $3 "
          "AND code_hash = $4 AND expires_ms > $5",
          {P(pool_id), P(username_key), P(purpose), P(code_hash), P(now_ms)});
      if (!deleted.ok()) return std::move(deleted).error();
      return deleted->affected() == 1;
    });
  }

  Result<int64_t> AddFailedAttempt(const std::string& pool_id, const std::string& username_key,
                                   const std::string& purpose) override {
    return WriteReturning<int64_t>(*db_, [&](Connection& conn) -> Result<int64_t> {
      // RETURNING gives the count this statement wrote, so no other writer can come between.
      auto rows = conn.Exec(
          "UPDATE codes SET failed_attempts = failed_attempts + 1 "
          "WHERE pool_id = $1 AND username_key = $2 AND purpose = $3 RETURNING failed_attempts",
          {P(pool_id), P(username_key), P(purpose)});
      if (!rows.ok()) return std::move(rows).error();
      if (rows->size() == 0) return int64_t{0};
      return rows->Int(0, 0);
    });
  }

  Result<int64_t> PurgeExpiredCodes(int64_t now_ms, int64_t window_cutoff_ms,
                                    int limit) override {
    return WriteReturning<int64_t>(*db_, [&](Connection& conn) -> Result<int64_t> {
      // DELETE has no LIMIT in PostgreSQL: the rows to go are chosen by their primary key.
      auto deleted = conn.Exec(
          "DELETE FROM codes WHERE (pool_id, username_key, purpose) IN ("
          "SELECT pool_id, username_key, purpose FROM codes "
          "WHERE expires_ms < $1 AND window_ms < $2 LIMIT $3)",
          {P(now_ms), P(window_cutoff_ms), P(int64_t{limit})});
      if (!deleted.ok()) return std::move(deleted).error();
      return deleted->affected();
    });
  }

  Status DeleteCode(const std::string& pool_id, const std::string& username_key,
                    const std::string& purpose) override {
    return db_->Write([&](Connection& conn) -> Status {
      COGNATE_RETURN_IF_ERROR(
          conn.Exec("DELETE FROM codes WHERE pool_id = $1 AND username_key = $2 AND purpose = $3",
                    {P(pool_id), P(username_key), P(purpose)}));
      return OkStatus();
    });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<CodeStore> NewCodeStore(std::shared_ptr<Database> db) {
  return std::make_unique<PgCodeStore>(std::move(db));
}

}  // namespace cognate::store::postgres
