// CodeStore on SQLite: one code per (pool, user, purpose), removed with its user (ON DELETE
// CASCADE). Consuming is a conditional DELETE, so of two racing requests only one gets the code.

#include "store/sqlite/sqlite_stores.h"

namespace cognate::store::sqlite {
namespace {

CodeRecord ReadCode(const Statement& row) {
  CodeRecord code;
  code.pool_id = row.Text(0);
  code.username_key = row.Text(1);
  code.purpose = row.Text(2);
  code.code_hash = row.Text(3);
  code.created_ms = row.Int(4);
  code.expires_ms = row.Int(5);
  code.failed_attempts = row.Int(6);
  code.window_ms = row.Int(7);
  code.sends_in_window = row.Int(8);
  return code;
}

class SqliteCodeStore final : public CodeStore {
 public:
  explicit SqliteCodeStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Status PutCode(const CodeRecord& code) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto violation = conn.TryExec(
          "INSERT INTO codes (pool_id, username_key, purpose, code_hash, created_ms, expires_ms, "
          "failed_attempts, window_ms, sends_in_window) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
          "ON CONFLICT (pool_id, username_key, purpose) DO UPDATE SET "
          "code_hash = excluded.code_hash, created_ms = excluded.created_ms, "
          "expires_ms = excluded.expires_ms, failed_attempts = excluded.failed_attempts, "
          "window_ms = excluded.window_ms, sends_in_window = excluded.sends_in_window",
          code.pool_id, code.username_key, code.purpose, code.code_hash, code.created_ms,
          code.expires_ms, code.failed_attempts, code.window_ms, code.sends_in_window);
      if (!violation.ok()) return std::move(violation).error();
      // The user was deleted meanwhile.
      if (*violation == Violation::kForeignKey) return UserNotFound();
      if (*violation != Violation::kNone) return UnexpectedViolation();
      return OkStatus();
    });
  }

  Result<std::optional<CodeRecord>> GetCode(const std::string& pool_id,
                                            const std::string& username_key,
                                            const std::string& purpose) override {
    return db_->Read([&](Connection& conn) {
      return conn.QueryOne(
          "SELECT pool_id, username_key, purpose, code_hash, created_ms, expires_ms, "
          "failed_attempts, window_ms, sends_in_window FROM codes "
          "WHERE pool_id = ?1 AND username_key = ?2 AND purpose = ?3",
          ReadCode, pool_id, username_key, purpose);
    });
  }

  Result<bool> ConsumeCode(const std::string& pool_id, const std::string& username_key,
                           const std::string& purpose, const std::string& code_hash,
                           int64_t now_ms) override {
    return db_->Write([&](Connection& conn) -> Result<bool> {
      auto changed = conn.Exec(
          "DELETE FROM codes WHERE pool_id = ?1 AND username_key = ?2 AND purpose = ?3 "
          "AND code_hash = ?4 AND expires_ms > ?5",
          pool_id, username_key, purpose, code_hash, now_ms);
      if (!changed.ok()) return std::move(changed).error();
      return *changed == 1;
    });
  }

  Result<int64_t> AddFailedAttempt(const std::string& pool_id, const std::string& username_key,
                                   const std::string& purpose) override {
    return db_->Write([&](Connection& conn) -> Result<int64_t> {
      auto changed = conn.Exec(
          "UPDATE codes SET failed_attempts = failed_attempts + 1 "
          "WHERE pool_id = ?1 AND username_key = ?2 AND purpose = ?3",
          pool_id, username_key, purpose);
      if (!changed.ok()) return std::move(changed).error();
      if (*changed == 0) return int64_t{0};
      // Same transaction: no other writer can have moved the count in between.
      auto count = conn.QueryOne(
          "SELECT failed_attempts FROM codes "
          "WHERE pool_id = ?1 AND username_key = ?2 AND purpose = ?3",
          [](const Statement& row) { return row.Int(0); }, pool_id, username_key, purpose);
      if (!count.ok()) return std::move(count).error();
      return count->value_or(0);
    });
  }

  Result<int64_t> PurgeExpiredCodes(int64_t now_ms, int64_t window_cutoff_ms,
                                    int limit) override {
    return db_->Write([&](Connection& conn) {
      return conn.Exec(
          "DELETE FROM codes WHERE rowid IN (SELECT rowid FROM codes "
          "WHERE expires_ms < ?1 AND window_ms < ?2 LIMIT ?3)",
          now_ms, window_cutoff_ms, int64_t{limit});
    });
  }

  Status DeleteCode(const std::string& pool_id, const std::string& username_key,
                    const std::string& purpose) override {
    return db_->Write([&](Connection& conn) -> Status {
      COGNATE_RETURN_IF_ERROR(
          conn.Exec("DELETE FROM codes WHERE pool_id = ?1 AND username_key = ?2 AND purpose = ?3",
                    pool_id, username_key, purpose));
      return OkStatus();
    });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<CodeStore> NewCodeStore(std::shared_ptr<Database> db) {
  return std::make_unique<SqliteCodeStore>(std::move(db));
}

}  // namespace cognate::store::sqlite
