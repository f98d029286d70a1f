// KeyStore on SQLite: a pool's signing keys, listed oldest first.

#include "store/sqlite/sqlite_stores.h"

namespace cognate::store::sqlite {
namespace {

SigningKeyRecord ReadKey(const Statement& row) {
  SigningKeyRecord key;
  key.pool_id = row.Text(0);
  key.kid = row.Text(1);
  key.use = row.Text(2);
  key.alg = row.Text(3);
  key.public_jwk_json = row.Text(4);
  key.private_key_sealed = row.Text(5);
  key.created_ms = row.Int(6);
  key.active = row.Int(7) != 0;
  return key;
}

class SqliteKeyStore final : public KeyStore {
 public:
  explicit SqliteKeyStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<std::vector<SigningKeyRecord>> ListKeys(const std::string& pool_id) override {
    return db_->Read([&](Connection& conn) {
      // rowid breaks ties between keys made in the same millisecond: insertion order.
      return conn.Query(
          "SELECT pool_id, kid, use, alg, public_jwk_json, private_key_sealed, created_ms, "
          "active FROM signing_keys WHERE pool_id = ?1 ORDER BY created_ms, rowid",
          ReadKey, pool_id);
    });
  }

  Status AddKey(const SigningKeyRecord& key) override {
    return db_->Write([&](Connection& conn) -> Status {
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

std::unique_ptr<KeyStore> NewKeyStore(std::shared_ptr<Database> db) {
  return std::make_unique<SqliteKeyStore>(std::move(db));
}

Status InsertKey(Connection& conn, const SigningKeyRecord& key) {
  COGNATE_RETURN_IF_ERROR(conn.Exec(
      "INSERT INTO signing_keys (pool_id, kid, use, alg, public_jwk_json, private_key_sealed, "
      "created_ms, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
      key.pool_id, key.kid, key.use, key.alg, key.public_jwk_json, key.private_key_sealed,
      key.created_ms, key.active));
  return OkStatus();
}

}  // namespace cognate::store::sqlite
