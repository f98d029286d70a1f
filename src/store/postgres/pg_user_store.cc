// UserStore on PostgreSQL (see store/sqlite/user_store.cc, which this mirrors). Usernames, subs
// and sign-in keys are unique by the tables' PRIMARY KEY and UNIQUE constraints. A violation
// would abort the whole transaction, so the inserts that may meet a taken username or key say
// ON CONFLICT DO NOTHING and count the rows they wrote instead: the transaction stays usable and
// the caller's error rolls it back whole. Racing inserts of the same key end in a serialization
// failure, which Database::Write retries; the retry then finds the key taken. Deleting a user
// relies on ON DELETE CASCADE for its keys, codes, refresh tokens and group memberships.

#include <algorithm>
#include <string>
#include <vector>

#include "store/insert_each.h"
#include "store/postgres/pg_stores.h"
#include "store/postgres/pg_user_rows.h"

namespace cognate::store::postgres {
namespace {

const std::string& SelectUserSql() {
  static const auto* sql = new std::string(std::string("SELECT ") + kUserColumns +
                                           " FROM users u WHERE u.pool_id = $1 AND "
                                           "u.username_key = $2");
  return *sql;
}

const std::string& SelectBySubSql() {
  static const auto* sql = new std::string(std::string("SELECT ") + kUserColumns +
                                           " FROM users u WHERE u.pool_id = $1 AND u.sub = $2");
  return *sql;
}

const std::string& SelectByKeySql() {
  static const auto* sql = new std::string(
      std::string("SELECT ") + kUserColumns +
      " FROM user_keys k JOIN users u ON u.pool_id = k.pool_id AND "
      "u.username_key = k.username_key WHERE k.pool_id = $1 AND k.kind = $2 AND k.value_key = $3");
  return *sql;
}

const std::string& SelectPageSql() {
  static const auto* sql = new std::string(std::string("SELECT ") + kUserColumns +
                                           " FROM users u WHERE u.pool_id = $1 AND "
                                           "u.username_key > $2 ORDER BY u.username_key LIMIT $3");
  return *sql;
}

// The SQLite statement, with explicit parameter types: one UPDATE, so concurrent failures all
// count; the version moves on so that no UpdateUser based on an earlier read can write the old
// count back. f.n is the count after this failure, from the row as it was: a failure after a
// quiet reset window ($4) starts again at 1. From the threshold ($5) on, the lock lasts one
// second, doubling per failure up to $6; CASE tests in order, so the shift is only computed
// once it is known to be below 40 bits. Below the threshold an existing lock stays as it is.
constexpr const char* kRecordFailure =
    "UPDATE users SET failed_sign_ins = f.n, last_failure_ms = $3::BIGINT, "
    "version = users.version + 1, "
    "locked_until_ms = CASE "
    "WHEN f.n < $5::BIGINT THEN users.locked_until_ms "
    "WHEN f.n - $5::BIGINT >= 40 THEN $3::BIGINT + $6::BIGINT "
    "WHEN (CAST(1000 AS BIGINT) << CAST(f.n - $5::BIGINT AS INTEGER)) > $6::BIGINT "
    "THEN $3::BIGINT + $6::BIGINT "
    "ELSE $3::BIGINT + (CAST(1000 AS BIGINT) << CAST(f.n - $5::BIGINT AS INTEGER)) END "
    "FROM (SELECT CASE WHEN $3::BIGINT - last_failure_ms > $4::BIGINT THEN CAST(1 AS BIGINT) "
    "ELSE failed_sign_ins + 1 END AS n "
    "FROM users WHERE pool_id = $1 AND username_key = $2) AS f "
    "WHERE users.pool_id = $1 AND users.username_key = $2";

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
    auto inserted = conn.TryExec(
        "INSERT INTO user_keys (pool_id, kind, value_key, username_key) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (pool_id, kind, value_key) DO NOTHING",
        {P(pool_id), P(key.kind), P(key.value_key), P(username_key)});
    if (!inserted.ok()) return std::move(inserted).error();
    if (inserted->first != Violation::kNone) return UnexpectedViolation();
    if (inserted->second->affected() == 0) return AliasExists(key.kind);
  }
  return OkStatus();
}

// Runs inside UpdateUser's transaction, after its version check passed.
Status ReplaceKeys(Connection& conn, const UserRecord& user, const std::vector<UserKey>& keys,
                   bool release_taken) {
  if (release_taken) {
    for (const UserKey& key : keys) {
      COGNATE_RETURN_IF_ERROR(conn.Exec(
          "DELETE FROM user_keys WHERE pool_id = $1 AND kind = $2 AND value_key = $3 "
          "AND username_key <> $4",
          {P(user.pool_id), P(key.kind), P(key.value_key), P(user.username_key)}));
    }
  }
  COGNATE_RETURN_IF_ERROR(
      conn.Exec("DELETE FROM user_keys WHERE pool_id = $1 AND username_key = $2",
                {P(user.pool_id), P(user.username_key)}));
  return InsertKeys(conn, user.pool_id, user.username_key, keys);
}

// The first user of `rows`, if any.
std::optional<UserRecord> FirstUser(const Rows& rows) {
  if (rows.size() == 0) return std::nullopt;
  return ReadUserRow(rows, 0);
}

std::vector<UserRecord> AllUsers(const Rows& rows) { return ReadAll(rows, ReadUserRow); }

// Inserts the user and its keys inside the caller's write transaction (CreateUser's contract).
Status InsertUser(Connection& conn, const UserRecord& user, const std::vector<UserKey>& keys) {
  // Checked first so a missing pool is a 400, not a foreign-key failure (500).
  auto exists = PoolExists(conn, user.pool_id);
  if (!exists.ok()) return std::move(exists).error();
  if (!*exists) return PoolNotFound(user.pool_id);
  auto inserted = conn.TryExec(
      "INSERT INTO users (pool_id, username_key, username, sub, status, enabled, "
      "password_hash, attributes_json, created_ms, modified_ms, password_changed_ms, "
      "tokens_valid_after_ms, failed_sign_ins, last_failure_ms, locked_until_ms, "
      "srp_verifier_sealed, mfa_json, password_history) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
      "$18) "
      "ON CONFLICT (pool_id, username_key) DO NOTHING",
      {P(user.pool_id), P(user.username_key), P(user.username), P(user.sub), P(user.status),
       P(user.enabled), P(user.password_hash), P(user.attributes_json), P(user.created_ms),
       P(user.modified_ms), P(user.password_changed_ms), P(user.tokens_valid_after_ms),
       P(user.failed_sign_ins), P(user.last_failure_ms), P(user.locked_until_ms),
       P(user.srp_verifier_sealed), P(user.mfa_json), P(user.password_history_json)});
  if (!inserted.ok()) return std::move(inserted).error();
  // A repeated sub is a caller bug (subs are random UUIDs), not a taken username.
  if (inserted->first != Violation::kNone) return UnexpectedViolation();
  if (inserted->second->affected() == 0) return UsernameExists();
  // An error here rolls the user row back with the keys.
  return InsertKeys(conn, user.pool_id, user.username_key, keys);
}

class PgUserStore final : public UserStore {
 public:
  explicit PgUserStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

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
    return ReadReturning<std::optional<UserRecord>>(
        *db_, [&](Connection& conn) -> Result<std::optional<UserRecord>> {
          auto rows = conn.Exec(SelectUserSql(), {P(pool_id), P(username_key)});
          if (!rows.ok()) return std::move(rows).error();
          return FirstUser(*rows);
        });
  }

  Result<std::optional<UserRecord>> FindByKey(const std::string& pool_id,
                                              const UserKey& key) override {
    return ReadReturning<std::optional<UserRecord>>(
        *db_, [&](Connection& conn) -> Result<std::optional<UserRecord>> {
          auto rows = conn.Exec(SelectByKeySql(), {P(pool_id), P(key.kind), P(key.value_key)});
          if (!rows.ok()) return std::move(rows).error();
          return FirstUser(*rows);
        });
  }

  Result<std::optional<UserRecord>> FindBySub(const std::string& pool_id,
                                              const std::string& sub) override {
    return ReadReturning<std::optional<UserRecord>>(
        *db_, [&](Connection& conn) -> Result<std::optional<UserRecord>> {
          auto rows = conn.Exec(SelectBySubSql(), {P(pool_id), P(sub)});
          if (!rows.ok()) return std::move(rows).error();
          return FirstUser(*rows);
        });
  }

  Result<std::vector<UserKey>> GetKeys(const std::string& pool_id,
                                       const std::string& username_key) override {
    return ReadReturning<std::vector<UserKey>>(
        *db_, [&](Connection& conn) -> Result<std::vector<UserKey>> {
          auto rows = conn.Exec(
              "SELECT kind, value_key FROM user_keys WHERE pool_id = $1 AND username_key = $2 "
              "ORDER BY kind, value_key",
              {P(pool_id), P(username_key)});
          if (!rows.ok()) return std::move(rows).error();
          std::vector<UserKey> keys;
          keys.reserve(rows->size());
          for (int i = 0; i < rows->size(); ++i) {
            keys.push_back(UserKey{rows->Text(i, 0), rows->Text(i, 1)});
          }
          return keys;
        });
  }

  Status UpdateUser(const UserRecord& user, const std::vector<UserKey>* keys,
                    bool release_taken) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec(
          "UPDATE users SET status = $3, enabled = $4, password_hash = $5, attributes_json = $6, "
          "modified_ms = $7, password_changed_ms = $8, tokens_valid_after_ms = $9, "
          "failed_sign_ins = $10, last_failure_ms = $11, locked_until_ms = $12, "
          "srp_verifier_sealed = $14, mfa_json = $15, password_history = $16, "
          "version = version + 1 WHERE pool_id = $1 AND username_key = $2 AND version = $13",
          {P(user.pool_id), P(user.username_key), P(user.status), P(user.enabled),
           P(user.password_hash), P(user.attributes_json), P(user.modified_ms),
           P(user.password_changed_ms), P(user.tokens_valid_after_ms), P(user.failed_sign_ins),
           P(user.last_failure_ms), P(user.locked_until_ms), P(user.version),
           P(user.srp_verifier_sealed), P(user.mfa_json), P(user.password_history_json)});
      if (!changed.ok()) return std::move(changed).error();
      if (changed->affected() == 0) {
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
      auto changed = conn.Exec("DELETE FROM users WHERE pool_id = $1 AND username_key = $2",
                               {P(pool_id), P(username_key)});
      if (!changed.ok()) return std::move(changed).error();
      if (changed->affected() == 0) return UserNotFound();
      return OkStatus();
    });
  }

  Result<Page<UserRecord>> ListUsers(const std::string& pool_id, const std::string& after,
                                     int limit) override {
    if (limit <= 0) return Page<UserRecord>{};
    auto rows = ReadReturning<std::vector<UserRecord>>(
        *db_, [&](Connection& conn) -> Result<std::vector<UserRecord>> {
          auto page = conn.Exec(SelectPageSql(), {P(pool_id), P(after), P(int64_t{limit} + 1)});
          if (!page.ok()) return std::move(page).error();
          return AllUsers(*page);
        });
    if (!rows.ok()) return std::move(rows).error();
    return MakePage(std::move(rows).value(), limit,
                    [](const UserRecord& user) { return user.username_key; });
  }

  Result<int64_t> CountUsers(const std::string& pool_id) override {
    return ReadReturning<int64_t>(*db_, [&](Connection& conn) -> Result<int64_t> {
      auto rows = conn.Exec("SELECT COUNT(*) FROM users WHERE pool_id = $1", {P(pool_id)});
      if (!rows.ok()) return std::move(rows).error();
      return rows->size() > 0 ? rows->Int(0, 0) : int64_t{0};
    });
  }

  Result<UserRecord> RecordSignInFailure(const std::string& pool_id,
                                         const std::string& username_key, int64_t now_ms,
                                         int64_t reset_after_ms, int64_t lock_threshold,
                                         int64_t max_lock_ms) override {
    return WriteReturning<UserRecord>(*db_, [&](Connection& conn) -> Result<UserRecord> {
      auto changed = conn.Exec(kRecordFailure, {P(pool_id), P(username_key), P(now_ms),
                                                P(reset_after_ms), P(lock_threshold),
                                                P(max_lock_ms)});
      if (!changed.ok()) return std::move(changed).error();
      if (changed->affected() == 0) return UserNotFound();
      auto rows = conn.Exec(SelectUserSql(), {P(pool_id), P(username_key)});
      if (!rows.ok()) return std::move(rows).error();
      if (rows->size() == 0) return UserNotFound();
      return ReadUserRow(*rows, 0);
    });
  }

  Status ClearSignInFailures(const std::string& pool_id, const std::string& username_key) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec(
          "UPDATE users SET failed_sign_ins = 0, last_failure_ms = 0, locked_until_ms = 0, "
          "version = version + 1 WHERE pool_id = $1 AND username_key = $2",
          {P(pool_id), P(username_key)});
      if (!changed.ok()) return std::move(changed).error();
      if (changed->affected() == 0) return UserNotFound();
      return OkStatus();
    });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<UserStore> NewUserStore(std::shared_ptr<Database> db) {
  return std::make_unique<PgUserStore>(std::move(db));
}

UserRecord ReadUserRow(const Rows& rows, int row) {
  UserRecord user;
  user.pool_id = rows.Text(row, 0);
  user.username_key = rows.Text(row, 1);
  user.username = rows.Text(row, 2);
  user.sub = rows.Text(row, 3);
  user.status = rows.Text(row, 4);
  user.enabled = rows.Bool(row, 5);
  user.password_hash = rows.Text(row, 6);
  user.attributes_json = rows.Text(row, 7);
  user.created_ms = rows.Int(row, 8);
  user.modified_ms = rows.Int(row, 9);
  user.password_changed_ms = rows.Int(row, 10);
  user.tokens_valid_after_ms = rows.Int(row, 11);
  user.failed_sign_ins = rows.Int(row, 12);
  user.last_failure_ms = rows.Int(row, 13);
  user.locked_until_ms = rows.Int(row, 14);
  user.version = rows.Int(row, 15);
  user.srp_verifier_sealed = rows.Text(row, 16);
  user.mfa_json = rows.Text(row, 17);
  user.password_history_json = rows.Text(row, 18);
  return user;
}

}  // namespace cognate::store::postgres
