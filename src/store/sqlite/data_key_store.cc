// DataKeyStore on SQLite: wrapped data keys and one-off upgrade flags.

#include <chrono>

#include "store/sqlite/sqlite_stores.h"

namespace cognate::store::sqlite {
namespace {

DataKeyRecord ReadDataKey(const Statement& row) {
  return {row.Text(0), row.Text(1), row.Text(2), row.Int(3)};
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class SqliteDataKeyStore final : public DataKeyStore {
 public:
  explicit SqliteDataKeyStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<std::vector<DataKeyRecord>> ListDataKeys() override {
    return db_->Read([&](Connection& conn) {
      return conn.Query(
          "SELECT id, master_id, wrapped, created_ms FROM data_keys ORDER BY created_ms, id, "
          "master_id",
          ReadDataKey);
    });
  }

  Result<bool> AddDataKey(const DataKeyRecord& key) override {
    return db_->Write([&](Connection& conn) -> Result<bool> {
      auto added = conn.Exec(
          "INSERT INTO data_keys (id, master_id, wrapped, created_ms) VALUES (?1, ?2, ?3, ?4) "
          "ON CONFLICT (id, master_id) DO NOTHING",
          key.id, key.master_id, key.wrapped, key.created_ms);
      if (!added.ok()) return std::move(added).error();
      return *added == 1;
    });
  }

  Result<int64_t> RetireMasterKeys(const std::string& master_id) override {
    return db_->Write([&](Connection& conn) {
      return conn.Exec("DELETE FROM data_keys WHERE master_id <> ?1", master_id);
    });
  }

  Result<std::string> GetFlag(const std::string& name) override {
    return db_->Read([&](Connection& conn) -> Result<std::string> {
      auto value = conn.QueryOne("SELECT value FROM store_flags WHERE name = ?1",
                                 [](const Statement& row) { return row.Text(0); }, name);
      if (!value.ok()) return std::move(value).error();
      return value->value_or("");
    });
  }

  Status SetFlag(const std::string& name, const std::string& value) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto set = conn.Exec(
          "INSERT INTO store_flags (name, value, set_ms) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (name) DO UPDATE SET value = excluded.value, set_ms = excluded.set_ms",
          name, value, NowMs());
      return set.ok() ? OkStatus() : std::move(set).error();
    });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<DataKeyStore> NewDataKeyStore(std::shared_ptr<Database> db) {
  return std::make_unique<SqliteDataKeyStore>(std::move(db));
}

}  // namespace cognate::store::sqlite
