// PoolStore on SQLite. Deleting a pool relies on ON DELETE CASCADE (foreign_keys=ON on every
// connection) to remove its clients and keys in the same statement.

#include "store/sqlite/sqlite_stores.h"

namespace cognate::store::sqlite {
namespace {

UserPoolRecord ReadPool(const Statement& row) {
  UserPoolRecord pool;
  pool.id = row.Text(0);
  pool.name = row.Text(1);
  pool.created_ms = row.Int(2);
  pool.modified_ms = row.Int(3);
  pool.config_json = row.Text(4);
  pool.version = row.Int(5);
  return pool;
}

class SqlitePoolStore final : public PoolStore {
 public:
  explicit SqlitePoolStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Status CreatePool(const UserPoolRecord& pool,
                    const std::vector<SigningKeyRecord>& keys) override {
    return db_->Write([&](Connection& conn) -> Status {
      COGNATE_RETURN_IF_ERROR(
          conn.Exec("INSERT INTO user_pools (id, name, created_ms, modified_ms, config_json) "
                    "VALUES (?1, ?2, ?3, ?4, ?5)",
                    pool.id, pool.name, pool.created_ms, pool.modified_ms, pool.config_json));
      for (const SigningKeyRecord& key : keys) COGNATE_RETURN_IF_ERROR(InsertKey(conn, key));
      return OkStatus();
    });
  }

  Result<std::optional<UserPoolRecord>> GetPool(const std::string& pool_id) override {
    return db_->Read([&](Connection& conn) {
      return conn.QueryOne(
          "SELECT id, name, created_ms, modified_ms, config_json, version FROM user_pools "
          "WHERE id = ?1",
          ReadPool, pool_id);
    });
  }

  Status UpdatePool(const UserPoolRecord& pool) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec(
          "UPDATE user_pools SET name = ?2, modified_ms = ?3, config_json = ?4, "
          "version = version + 1 WHERE id = ?1 AND version = ?5",
          pool.id, pool.name, pool.modified_ms, pool.config_json, pool.version);
      if (!changed.ok()) return std::move(changed).error();
      if (*changed > 0) return OkStatus();
      auto exists = PoolExists(conn, pool.id);
      if (!exists.ok()) return std::move(exists).error();
      return *exists ? Error::ConcurrentModification() : PoolNotFound(pool.id);
    });
  }

  Status DeletePool(const std::string& pool_id) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec("DELETE FROM user_pools WHERE id = ?1", pool_id);
      if (!changed.ok()) return std::move(changed).error();
      if (*changed == 0) return PoolNotFound(pool_id);
      return OkStatus();
    });
  }

  Result<Page<UserPoolRecord>> ListPools(const std::string& after, int limit) override {
    if (limit <= 0) return Page<UserPoolRecord>{};
    auto rows = db_->Read([&](Connection& conn) {
      return conn.Query(
          "SELECT id, name, created_ms, modified_ms, config_json, version FROM user_pools "
          "WHERE id > ?1 ORDER BY id LIMIT ?2",
          ReadPool, after, int64_t{limit} + 1);
    });
    if (!rows.ok()) return std::move(rows).error();
    return MakePage(std::move(rows).value(), limit,
                    [](const UserPoolRecord& pool) { return pool.id; });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<PoolStore> NewPoolStore(std::shared_ptr<Database> db) {
  return std::make_unique<SqlitePoolStore>(std::move(db));
}

Result<bool> PoolExists(Connection& conn, const std::string& pool_id) {
  auto found = conn.QueryOne(
      "SELECT 1 FROM user_pools WHERE id = ?1", [](const Statement&) { return true; }, pool_id);
  if (!found.ok()) return std::move(found).error();
  return found->has_value();
}

}  // namespace cognate::store::sqlite
