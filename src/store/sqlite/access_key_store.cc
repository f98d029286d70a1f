// AccessKeyStore on SQLite: the admin API's access keys.

#include "store/sqlite/sqlite_stores.h"

namespace cognate::store::sqlite {
namespace {

AccessKeyRecord ReadAccessKey(const Statement& row) {
  AccessKeyRecord key;
  key.access_key_id = row.Text(0);
  key.secret_sealed = row.Text(1);
  key.policy_json = row.Text(2);
  key.description = row.Text(3);
  key.created_ms = row.Int(4);
  return key;
}

class SqliteAccessKeyStore final : public AccessKeyStore {
 public:
  explicit SqliteAccessKeyStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Status PutAccessKey(const AccessKeyRecord& key) override {
    return db_->Write([&](Connection& conn) -> Status {
      // An upsert rather than INSERT OR REPLACE: it updates in place (no delete + insert) and
      // reads the same in PostgreSQL.
      COGNATE_RETURN_IF_ERROR(conn.Exec(
          "INSERT INTO access_keys (access_key_id, secret_sealed, policy_json, description, "
          "created_ms) VALUES (?1, ?2, ?3, ?4, ?5) "
          "ON CONFLICT (access_key_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, "
          "policy_json = excluded.policy_json, description = excluded.description, "
          "created_ms = excluded.created_ms",
          key.access_key_id, key.secret_sealed, key.policy_json, key.description, key.created_ms));
      return OkStatus();
    });
  }

  Result<std::optional<AccessKeyRecord>> GetAccessKey(const std::string& access_key_id) override {
    return db_->Read([&](Connection& conn) {
      return conn.QueryOne(
          "SELECT access_key_id, secret_sealed, policy_json, description, created_ms "
          "FROM access_keys WHERE access_key_id = ?1",
          ReadAccessKey, access_key_id);
    });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<AccessKeyStore> NewAccessKeyStore(std::shared_ptr<Database> db) {
  return std::make_unique<SqliteAccessKeyStore>(std::move(db));
}

}  // namespace cognate::store::sqlite
