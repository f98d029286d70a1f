// UserStore on SQLite. Usernames, subs and sign-in keys are unique by the tables' PRIMARY KEY and
// UNIQUE constraints, so two racing CreateUser calls cannot both win: the loser's insert fails
// inside its own transaction and nothing of it stays. Deleting a user relies on ON DELETE CASCADE
// for its keys, codes, refresh tokens and group memberships.

#include <algorithm>

#include "store/insert_each.h"
#include "store/sqlite/sqlite_stores.h"

namespace cognate::store::sqlite {
namespace {

// Statements are cached by their text, so each is built once and kept for the program (heap
// allocated: static objects must be trivially destructible).
const std::string& SelectUserSql() {
  static const auto* sql = new std::string(std::string("SELECT ") + kUserColumns +
                                           " FROM users u WHERE u.pool_id = ?1 AND "
                                           "u.username_key = ?2");
  return *sql;
}

const std::string& SelectBySubSql() {
  static const auto* sql = new std::string(std::string("SELECT ") + kUserColumns +
                                           " FROM users u WHERE u.pool_id = ?1 AND u.sub = ?2");
  return *sql;
}

const std::string& SelectByKeySql() {
  static const auto* sql = new std::string(
      std::string("SELECT ") + kUserColumns +
      " FROM user_keys k JOIN users u ON u.pool_id = k.pool_id AND "
      "u.username_key = k.username_key WHERE k.pool_id = ?1 AND k.kind = ?2 AND k.value_key = ?3");
  return *sql;
}

const std::string& SelectPageSql() {
  static const auto* sql = new std::string(std::string("SELECT ") + kUserColumns +
                                           " FROM users u WHERE u.pool_id = ?1 AND "
                                           "u.username_key > ?2 ORDER BY u.username_key LIMIT ?3");
  return *sql;
}

// One UPDATE, so concurrent failures all count; the version moves on so that no UpdateUser based
// on an earlier read can write the old count back. f.n is the count after this failure, from the
// row as it was: a failure after a quiet reset window (?4) starts again at 1. From the threshold
// (?5) on, the lock lasts one second, doubling per failure up to ?6; the shift is bounded before
// it could overflow. Below the threshold an existing lock stays as it is.
constexpr const char* kRecordFailure =
    "UPDATE users SET failed_sign_ins = f.n, last_failure_ms = ?3, version = users.version + 1, "
    "locked_until_ms = CASE "
    "WHEN f.n < ?5 THEN users.locked_until_ms "
    "WHEN f.n - ?5 >= 40 OR (1000 << (f.n - ?5)) > ?6 THEN ?3 + ?6 "
    "ELSE ?3 + (1000 << (f.n - ?5)) END "
    "FROM (SELECT CASE WHEN ?3 - last_failure_ms > ?4 THEN 1 ELSE failed_sign_ins + 1 END AS n "
    "FROM users WHERE pool_id = ?1 AND username_key = ?2) AS f "
    "WHERE users.pool_id = ?1 AND users.username_key = ?2";

Error UsernameExists() { return Error::Make("UsernameExistsException", "User already exists"); }

Error AliasExists(const std::string& kind) {
  return Error::Make("AliasExistsException",
                     "An account with the given " + kind + " already exists.");
}

// Inserts `keys` for the user: AliasExistsException when another user holds one. A key listed
// twice is one key, not a conflict with itself.
Status InsertKeys(Connection& conn, const std::string& pool_id, const std::string& username_key,
                  const std::vector<UserKey>& keys) {
  for (auto it = keys.begin(); it != keys.end(); ++it) {
    if (std::find(keys.begin(), it, *it) != it) continue;
    const UserKey& key = *it;
    auto violation = conn.TryExec(
        "INSERT INTO user_keys (pool_id, kind, value_key, username_key) VALUES (?1, ?2, ?3, ?4)",
        pool_id, key.kind, key.value_key, username_key);
    if (!violation.ok()) return std::move(violation).error();
    if (*violation == Violation::kPrimaryKey) return AliasExists(key.kind);
    if (*violation != Violation::kNone) return UnexpectedViolation();
  }
  return OkStatus();
}

// Runs inside UpdateUser's transaction, after its version check passed.
Status ReplaceKeys(Connection& conn, const UserRecord& user, const std::vector<UserKey>& keys,
                   bool release_taken) {
  if (release_taken) {
    for (const UserKey& key : keys) {
      COGNATE_RETURN_IF_ERROR(
          conn.Exec("DELETE FROM user_keys WHERE pool_id = ?1 AND kind = ?2 AND value_key = ?3 "
                    "AND username_key <> ?4",
                    user.pool_id, key.kind, key.value_key, user.username_key));
    }
  }
  COGNATE_RETURN_IF_ERROR(
      conn.Exec("DELETE FROM user_keys WHERE pool_id = ?1 AND username_key = ?2", user.pool_id,
                user.username_key));
  return InsertKeys(conn, user.pool_id, user.username_key, keys);
}

// Inserts the user and its keys inside the caller's write transaction (CreateUser's contract).
Status InsertUser(Connection& conn, const UserRecord& user, const std::vector<UserKey>& keys) {
  // Checked first so a missing pool is a 400, not a foreign-key failure (500).
  auto exists = PoolExists(conn, user.pool_id);
  if (!exists.ok()) return std::move(exists).error();
  if (!*exists) return PoolNotFound(user.pool_id);
  auto violation = conn.TryExec(
      "INSERT INTO users (pool_id, username_key, username, sub, status, enabled, "
      "password_hash, attributes_json, created_ms, modified_ms, password_changed_ms, "
      "tokens_valid_after_ms, failed_sign_ins, last_failure_ms, locked_until_ms, "
      "srp_verifier_sealed, mfa_json, password_history) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
      "?18)",
      user.pool_id, user.username_key, user.username, user.sub, user.status, user.enabled,
      user.password_hash, user.attributes_json, user.created_ms, user.modified_ms,
      user.password_changed_ms, user.tokens_valid_after_ms, user.failed_sign_ins,
      user.last_failure_ms, user.locked_until_ms, user.srp_verifier_sealed, user.mfa_json,
      user.password_history_json);
  if (!violation.ok()) return std::move(violation).error();
  if (*violation == Violation::kPrimaryKey) return UsernameExists();
  // A repeated sub is a caller bug (subs are random UUIDs), not a taken username.
  if (*violation != Violation::kNone) return UnexpectedViolation();
  // An error here rolls the user row back with the keys.
  return InsertKeys(conn, user.pool_id, user.username_key, keys);
}

class SqliteUserStore final : public UserStore {
 public:
  explicit SqliteUserStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Status CreateUser(const UserRecord& user, const std::vector<UserKey>& keys) override {
    return db_->Write([&](Connection& conn) { return InsertUser(conn, user, keys); });
  }

  Result<std::vector<Status>> CreateUsers(const std::vector<NewUser>& users) override {
    std::vector<Status> results;
    Status batch = db_->Write(
        [&](Connection& conn) { return InsertEach(conn, users, InsertUser, results); });
    if (!batch.ok()) return std::move(batch).error();
    return results;
  }

  Result<std::optional<UserRecord>> GetUser(const std::string& pool_id,
                                            const std::string& username_key) override {
    return db_->Read([&](Connection& conn) {
      return conn.QueryOne(SelectUserSql(), ReadUser, pool_id, username_key);
    });
  }

  Result<std::optional<UserRecord>> FindByKey(const std::string& pool_id,
                                              const UserKey& key) override {
    return db_->Read([&](Connection& conn) {
      return conn.QueryOne(SelectByKeySql(), ReadUser, pool_id, key.kind, key.value_key);
    });
  }

  Result<std::optional<UserRecord>> FindBySub(const std::string& pool_id,
                                              const std::string& sub) override {
    return db_->Read(
        [&](Connection& conn) { return conn.QueryOne(SelectBySubSql(), ReadUser, pool_id, sub); });
  }

  Result<std::vector<UserKey>> GetKeys(const std::string& pool_id,
                                       const std::string& username_key) override {
    return db_->Read([&](Connection& conn) {
      return conn.Query(
          "SELECT kind, value_key FROM user_keys WHERE pool_id = ?1 AND username_key = ?2 "
          "ORDER BY kind, value_key",
          [](const Statement& row) {
            return UserKey{row.Text(0), row.Text(1)};
          },
          pool_id, username_key);
    });
  }

  Status UpdateUser(const UserRecord& user, const std::vector<UserKey>* keys,
                    bool release_taken) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec(
          "UPDATE users SET status = ?3, enabled = ?4, password_hash = ?5, attributes_json = ?6, "
          "modified_ms = ?7, password_changed_ms = ?8, tokens_valid_after_ms = ?9, "
          "failed_sign_ins = ?10, last_failure_ms = ?11, locked_until_ms = ?12, "
          "srp_verifier_sealed = ?14, mfa_json = ?15, password_history = ?16, "
          "version = version + 1 WHERE pool_id = ?1 AND username_key = ?2 AND version = ?13",
          user.pool_id, user.username_key, user.status, user.enabled, user.password_hash,
          user.attributes_json, user.modified_ms, user.password_changed_ms,
          user.tokens_valid_after_ms, user.failed_sign_ins, user.last_failure_ms,
          user.locked_until_ms, user.version, user.srp_verifier_sealed, user.mfa_json,
          user.password_history_json);
      if (!changed.ok()) return std::move(changed).error();
      if (*changed == 0) {
        auto exists = UserExists(conn, user.pool_id, user.username_key);
        if (!exists.ok()) return std::move(exists).error();
        return *exists ? Error::ConcurrentModification() : UserNotFound();
      }
      if (keys == nullptr) return OkStatus();
      return ReplaceKeys(conn, user, *keys, release_taken);
    });
  }

  Status DeleteUser(const std::string& pool_id, const std::string& username_key) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec("DELETE FROM users WHERE pool_id = ?1 AND username_key = ?2",
                               pool_id, username_key);
      if (!changed.ok()) return std::move(changed).error();
      if (*changed == 0) return UserNotFound();
      return OkStatus();
    });
  }

  Result<Page<UserRecord>> ListUsers(const std::string& pool_id, const std::string& after,
                                     int limit) override {
    if (limit <= 0) return Page<UserRecord>{};
    auto rows = db_->Read([&](Connection& conn) {
      return conn.Query(SelectPageSql(), ReadUser, pool_id, after, int64_t{limit} + 1);
    });
    if (!rows.ok()) return std::move(rows).error();
    return MakePage(std::move(rows).value(), limit,
                    [](const UserRecord& user) { return user.username_key; });
  }

  Result<int64_t> CountUsers(const std::string& pool_id) override {
    auto count = db_->Read([&](Connection& conn) {
      return conn.QueryOne(
          "SELECT COUNT(*) FROM users WHERE pool_id = ?1",
          [](const Statement& row) { return row.Int(0); }, pool_id);
    });
    if (!count.ok()) return std::move(count).error();
    return count->value_or(0);
  }

  Result<UserRecord> RecordSignInFailure(const std::string& pool_id,
                                         const std::string& username_key, int64_t now_ms,
                                         int64_t reset_after_ms, int64_t lock_threshold,
                                         int64_t max_lock_ms) override {
    return db_->Write([&](Connection& conn) -> Result<UserRecord> {
      auto changed = conn.Exec(kRecordFailure, pool_id, username_key, now_ms, reset_after_ms,
                               lock_threshold, max_lock_ms);
      if (!changed.ok()) return std::move(changed).error();
      if (*changed == 0) return UserNotFound();
      auto user = conn.QueryOne(SelectUserSql(), ReadUser, pool_id, username_key);
      if (!user.ok()) return std::move(user).error();
      if (!user->has_value()) return UserNotFound();
      return std::move(**user);
    });
  }

  Status ClearSignInFailures(const std::string& pool_id, const std::string& username_key) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec(
          "UPDATE users SET failed_sign_ins = 0, last_failure_ms = 0, locked_until_ms = 0, "
          "version = version + 1 WHERE pool_id = ?1 AND username_key = ?2",
          pool_id, username_key);
      if (!changed.ok()) return std::move(changed).error();
      if (*changed == 0) return UserNotFound();
      return OkStatus();
    });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<UserStore> NewUserStore(std::shared_ptr<Database> db) {
  return std::make_unique<SqliteUserStore>(std::move(db));
}

Error UnexpectedViolation() { return DbError(SQLITE_CONSTRAINT); }

Result<bool> UserExists(Connection& conn, const std::string& pool_id,
                        const std::string& username_key) {
  auto found = conn.QueryOne(
      "SELECT 1 FROM users WHERE pool_id = ?1 AND username_key = ?2",
      [](const Statement&) { return true; }, pool_id, username_key);
  if (!found.ok()) return std::move(found).error();
  return found->has_value();
}

UserRecord ReadUser(const Statement& row) {
  UserRecord user;
  user.pool_id = row.Text(0);
  user.username_key = row.Text(1);
  user.username = row.Text(2);
  user.sub = row.Text(3);
  user.status = row.Text(4);
  user.enabled = row.Int(5) != 0;
  user.password_hash = row.Text(6);
  user.attributes_json = row.Text(7);
  user.created_ms = row.Int(8);
  user.modified_ms = row.Int(9);
  user.password_changed_ms = row.Int(10);
  user.tokens_valid_after_ms = row.Int(11);
  user.failed_sign_ins = row.Int(12);
  user.last_failure_ms = row.Int(13);
  user.locked_until_ms = row.Int(14);
  user.version = row.Int(15);
  user.srp_verifier_sealed = row.Text(16);
  user.mfa_json = row.Text(17);
  user.password_history_json = row.Text(18);
  return user;
}

}  // namespace cognate::store::sqlite
