// AccessKeyStore on PostgreSQL: the admin API's access keys.

#include "store/postgres/pg_stores.h"

namespace cognate::store::postgres {
namespace {

class PgAccessKeyStore final : public AccessKeyStore {
 public:
  explicit PgAccessKeyStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Status PutAccessKey(const AccessKeyRecord& key) override {
    return db_->Write([&](Connection& conn) -> Status {
      // An upsert updates in place, so a concurrent reader never sees the key missing.
      auto put = conn.Exec(
          "INSERT INTO access_keys (access_key_id, secret_sealed, policy_json, description, "
          "created_ms) VALUES ($1, $2, $3, $4, $5) "
          "ON CONFLICT (access_key_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, "
          "policy_json = excluded.policy_json, description = excluded.description, "
          "created_ms = excluded.created_ms",
          {P(key.access_key_id), P(key.secret_sealed), P(key.policy_json), P(key.description),
           P(key.created_ms)});
      if (!put.ok()) return std::move(put).error();
      return OkStatus();
    });
  }

  Result<std::optional<AccessKeyRecord>> GetAccessKey(const std::string& access_key_id) override {
    std::optional<AccessKeyRecord> found;
    Status status = db_->Read([&](Connection& conn) -> Status {
      auto rows = conn.Exec(
          "SELECT access_key_id, secret_sealed, policy_json, description, created_ms "
          "FROM access_keys WHERE access_key_id = $1",
          {P(access_key_id)});
      if (!rows.ok()) return std::move(rows).error();
      if (rows->size() == 0) {
        found.reset();
        return OkStatus();
      }
      AccessKeyRecord key;
      key.access_key_id = rows->Text(0, 0);
      key.secret_sealed = rows->Text(0, 1);
      key.policy_json = rows->Text(0, 2);
      key.description = rows->Text(0, 3);
      key.created_ms = rows->Int(0, 4);
      found = std::move(key);
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return found;
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<AccessKeyStore> NewAccessKeyStore(std::shared_ptr<Database> db) {
  return std::make_unique<PgAccessKeyStore>(std::move(db));
}

}  // namespace cognate::store::postgres
