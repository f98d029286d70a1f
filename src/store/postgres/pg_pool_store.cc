// PoolStore and KeyStore on PostgreSQL, together because CreatePool inserts the pool's first
// signing keys in its own transaction. Deleting a pool relies on ON DELETE CASCADE to remove its
// clients, keys and documents in the same statement.

#include "store/postgres/pg_stores.h"

namespace cognate::store::postgres {
namespace {

constexpr const char* kSelectPool =
    "SELECT id, name, created_ms, modified_ms, config_json, version FROM user_pools "
    "WHERE id = $1";
constexpr const char* kSelectPoolPage =
    "SELECT id, name, created_ms, modified_ms, config_json, version FROM user_pools "
    "WHERE id > $1 ORDER BY id LIMIT $2";

UserPoolRecord ReadPool(const Rows& rows, int row) {
  UserPoolRecord pool;
  pool.id = rows.Text(row, 0);
  pool.name = rows.Text(row, 1);
  pool.created_ms = rows.Int(row, 2);
  pool.modified_ms = rows.Int(row, 3);
  pool.config_json = rows.Text(row, 4);
  pool.version = rows.Int(row, 5);
  return pool;
}

SigningKeyRecord ReadKey(const Rows& rows, int row) {
  SigningKeyRecord key;
  key.pool_id = rows.Text(row, 0);
  key.kid = rows.Text(row, 1);
  key.use = rows.Text(row, 2);
  key.alg = rows.Text(row, 3);
  key.public_jwk_json = rows.Text(row, 4);
  key.private_key_sealed = rows.Text(row, 5);
  key.created_ms = rows.Int(row, 6);
  key.active = rows.Bool(row, 7);
  return key;
}

// A taken kid fails the statement (500) and with it the caller's whole transaction.
Status InsertKey(Connection& conn, const SigningKeyRecord& key) {
  auto inserted = conn.Exec(
      "INSERT INTO signing_keys (pool_id, kid, use, alg, public_jwk_json, private_key_sealed, "
      "created_ms, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {P(key.pool_id), P(key.kid), P(key.use), P(key.alg), P(key.public_jwk_json),
       P(key.private_key_sealed), P(key.created_ms), P(key.active)});
  if (!inserted.ok()) return std::move(inserted).error();
  return OkStatus();
}

class PgPoolStore final : public PoolStore {
 public:
  explicit PgPoolStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Status CreatePool(const UserPoolRecord& pool,
                    const std::vector<SigningKeyRecord>& keys) override {
    return db_->Write([&](Connection& conn) -> Status {
      // A taken id is a plain database error (500), as in SQLite; nothing runs after it.
      auto inserted = conn.Exec(
          "INSERT INTO user_pools (id, name, created_ms, modified_ms, config_json) "
          "VALUES ($1, $2, $3, $4, $5)",
          {P(pool.id), P(pool.name), P(pool.created_ms), P(pool.modified_ms),
           P(pool.config_json)});
      if (!inserted.ok()) return std::move(inserted).error();
      for (const SigningKeyRecord& key : keys) COGNATE_RETURN_IF_ERROR(InsertKey(conn, key));
      return OkStatus();
    });
  }

  Result<std::optional<UserPoolRecord>> GetPool(const std::string& pool_id) override {
    std::optional<UserPoolRecord> found;
    Status status = db_->Read([&](Connection& conn) -> Status {
      auto rows = conn.Exec(kSelectPool, {P(pool_id)});
      if (!rows.ok()) return std::move(rows).error();
      found = rows->size() > 0 ? std::optional(ReadPool(*rows, 0)) : std::nullopt;
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return found;
  }

  Status UpdatePool(const UserPoolRecord& pool) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec(
          "UPDATE user_pools SET name = $2, modified_ms = $3, config_json = $4, "
          "version = version + 1 WHERE id = $1 AND version = $5",
          {P(pool.id), P(pool.name), P(pool.modified_ms), P(pool.config_json),
           P(pool.version)});
      if (!changed.ok()) return std::move(changed).error();
      if (changed->affected() > 0) return OkStatus();
      auto exists = PoolExists(conn, pool.id);
      if (!exists.ok()) return std::move(exists).error();
      return *exists ? Error::ConcurrentModification() : PoolNotFound(pool.id);
    });
  }

  Status DeletePool(const std::string& pool_id) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec("DELETE FROM user_pools WHERE id = $1", {P(pool_id)});
      if (!changed.ok()) return std::move(changed).error();
      if (changed->affected() == 0) return PoolNotFound(pool_id);
      return OkStatus();
    });
  }

  Result<Page<UserPoolRecord>> ListPools(const std::string& after, int limit) override {
    if (limit <= 0) return Page<UserPoolRecord>{};
    std::vector<UserPoolRecord> pools;
    Status status = db_->Read([&](Connection& conn) -> Status {
      auto rows = conn.Exec(kSelectPoolPage, {P(after), P(int64_t{limit} + 1)});
      if (!rows.ok()) return std::move(rows).error();
      pools = ReadAll(*rows, ReadPool);
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return MakePage(std::move(pools), limit, [](const UserPoolRecord& pool) { return pool.id; });
  }

 private:
  std::shared_ptr<Database> db_;
};

class PgKeyStore final : public KeyStore {
 public:
  explicit PgKeyStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<std::vector<SigningKeyRecord>> ListKeys(const std::string& pool_id) override {
    std::vector<SigningKeyRecord> keys;
    Status status = db_->Read([&](Connection& conn) -> Status {
      // No rowid here: kid breaks ties between keys made in the same millisecond, so the
      // order is at least stable.
      auto rows = conn.Exec(
          "SELECT pool_id, kid, use, alg, public_jwk_json, private_key_sealed, created_ms, "
          "active FROM signing_keys WHERE pool_id = $1 ORDER BY created_ms, kid",
          {P(pool_id)});
      if (!rows.ok()) return std::move(rows).error();
      keys = ReadAll(*rows, ReadKey);
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return keys;
  }

  Status AddKey(const SigningKeyRecord& key) override {
    return db_->Write([&](Connection& conn) -> Status {
      // Checked first so a missing pool is a 400, not a foreign-key failure (500).
      auto exists = PoolExists(conn, key.pool_id);
      if (!exists.ok()) return std::move(exists).error();
      if (!*exists) return PoolNotFound(key.pool_id);
      return InsertKey(conn, key);
    });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<PoolStore> NewPoolStore(std::shared_ptr<Database> db) {
  return std::make_unique<PgPoolStore>(std::move(db));
}

std::unique_ptr<KeyStore> NewKeyStore(std::shared_ptr<Database> db) {
  return std::make_unique<PgKeyStore>(std::move(db));
}

}  // namespace cognate::store::postgres
