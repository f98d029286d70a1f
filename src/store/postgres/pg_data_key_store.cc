// DataKeyStore on PostgreSQL: wrapped data keys and one-off upgrade flags.

#include <chrono>

#include "store/postgres/pg_stores.h"

namespace cognate::store::postgres {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class PgDataKeyStore final : public DataKeyStore {
 public:
  explicit PgDataKeyStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<std::vector<DataKeyRecord>> ListDataKeys() override {
    std::vector<DataKeyRecord> keys;
    Status status = db_->Read([&](Connection& conn) -> Status {
      auto rows = conn.Exec(
          "SELECT id, master_id, wrapped, created_ms FROM data_keys ORDER BY created_ms, id, "
          "master_id");
      if (!rows.ok()) return std::move(rows).error();
      keys = ReadAll(*rows, [](const Rows& r, int i) {
        return DataKeyRecord{r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Int(i, 3)};
      });
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return keys;
  }

  Result<bool> AddDataKey(const DataKeyRecord& key) override {
    bool added = false;
    Status status = db_->Write([&](Connection& conn) -> Status {
      auto rows = conn.Exec(
          "INSERT INTO data_keys (id, master_id, wrapped, created_ms) VALUES ($1, $2, $3, $4) "
          "ON CONFLICT (id, master_id) DO NOTHING",
          {P(key.id), P(key.master_id), P(key.wrapped), P(key.created_ms)});
      if (!rows.ok()) return std::move(rows).error();
      added = rows->affected() == 1;
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return added;
  }

  Result<int64_t> RetireMasterKeys(const std::string& master_id) override {
    int64_t removed = 0;
    Status status = db_->Write([&](Connection& conn) -> Status {
      auto rows = conn.Exec("DELETE FROM data_keys WHERE master_id <> $1", {P(master_id)});
      if (!rows.ok()) return std::move(rows).error();
      removed = rows->affected();
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return removed;
  }

  Result<std::string> GetFlag(const std::string& name) override {
    std::string value;
    Status status = db_->Read([&](Connection& conn) -> Status {
      auto rows = conn.Exec("SELECT value FROM store_flags WHERE name = $1", {P(name)});
      if (!rows.ok()) return std::move(rows).error();
      value = rows->size() == 0 ? "" : rows->Text(0, 0);
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return value;
  }

  Status SetFlag(const std::string& name, const std::string& value) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto rows = conn.Exec(
          "INSERT INTO store_flags (name, value, set_ms) VALUES ($1, $2, $3) "
          "ON CONFLICT (name) DO UPDATE SET value = excluded.value, set_ms = excluded.set_ms",
          {P(name), P(value), P(NowMs())});
      return rows.ok() ? OkStatus() : std::move(rows).error();
    });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<DataKeyStore> NewDataKeyStore(std::shared_ptr<Database> db) {
  return std::make_unique<PgDataKeyStore>(std::move(db));
}

}  // namespace cognate::store::postgres
