// ClientStore on SQLite. Clients are keyed by client_id alone (ids are random and globally
// unique), with an index on (pool_id, client_id) for per-pool listing and counting.

#include "store/sqlite/sqlite_stores.h"

namespace cognate::store::sqlite {
namespace {

constexpr const char* kSelectByPoolAndId =
    "SELECT pool_id, client_id, name, secret_sealed, created_ms, modified_ms, config_json, "
    "version FROM app_clients WHERE pool_id = ?1 AND client_id = ?2";
constexpr const char* kSelectById =
    "SELECT pool_id, client_id, name, secret_sealed, created_ms, modified_ms, config_json, "
    "version FROM app_clients WHERE client_id = ?1";
constexpr const char* kSelectPage =
    "SELECT pool_id, client_id, name, secret_sealed, created_ms, modified_ms, config_json, "
    "version FROM app_clients WHERE pool_id = ?1 AND client_id > ?2 ORDER BY client_id LIMIT ?3";

AppClientRecord ReadClient(const Statement& row) {
  AppClientRecord client;
  client.pool_id = row.Text(0);
  client.client_id = row.Text(1);
  client.name = row.Text(2);
  client.secret_sealed = row.Text(3);
  client.created_ms = row.Int(4);
  client.modified_ms = row.Int(5);
  client.config_json = row.Text(6);
  client.version = row.Int(7);
  return client;
}

Error ClientNotFound(const std::string& client_id) {
  return Error::NotFound("User pool client " + client_id + " does not exist.");
}

class SqliteClientStore final : public ClientStore {
 public:
  explicit SqliteClientStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Status CreateClient(const AppClientRecord& client) override {
    return db_->Write([&](Connection& conn) -> Status {
      // Checked first so a missing pool is a 400, not a foreign-key failure (500).
      auto exists = PoolExists(conn, client.pool_id);
      if (!exists.ok()) return std::move(exists).error();
      if (!*exists) return PoolNotFound(client.pool_id);
      COGNATE_RETURN_IF_ERROR(
          conn.Exec("INSERT INTO app_clients (pool_id, client_id, name, secret_sealed, created_ms, "
                    "modified_ms, config_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    client.pool_id, client.client_id, client.name, client.secret_sealed,
                    client.created_ms, client.modified_ms, client.config_json));
      return OkStatus();
    });
  }

  Result<std::optional<AppClientRecord>> GetClient(const std::string& pool_id,
                                                   const std::string& client_id) override {
    return db_->Read([&](Connection& conn) {
      return conn.QueryOne(kSelectByPoolAndId, ReadClient, pool_id, client_id);
    });
  }

  Result<std::optional<AppClientRecord>> FindClient(const std::string& client_id) override {
    return db_->Read(
        [&](Connection& conn) { return conn.QueryOne(kSelectById, ReadClient, client_id); });
  }

  Status UpdateClient(const AppClientRecord& client) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec(
          "UPDATE app_clients SET name = ?3, secret_sealed = ?4, modified_ms = ?5, "
          "config_json = ?6, version = version + 1 "
          "WHERE pool_id = ?1 AND client_id = ?2 AND version = ?7",
          client.pool_id, client.client_id, client.name, client.secret_sealed, client.modified_ms,
          client.config_json, client.version);
      if (!changed.ok()) return std::move(changed).error();
      if (*changed > 0) return OkStatus();
      auto found = conn.QueryOne(kSelectByPoolAndId, ReadClient, client.pool_id, client.client_id);
      if (!found.ok()) return std::move(found).error();
      return found->has_value() ? Error::ConcurrentModification() : ClientNotFound(client.client_id);
    });
  }

  Status DeleteClient(const std::string& pool_id, const std::string& client_id) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec("DELETE FROM app_clients WHERE pool_id = ?1 AND client_id = ?2",
                               pool_id, client_id);
      if (!changed.ok()) return std::move(changed).error();
      if (*changed == 0) return ClientNotFound(client_id);
      return OkStatus();
    });
  }

  Result<Page<AppClientRecord>> ListClients(const std::string& pool_id, const std::string& after,
                                            int limit) override {
    if (limit <= 0) return Page<AppClientRecord>{};
    auto rows = db_->Read([&](Connection& conn) {
      return conn.Query(kSelectPage, ReadClient, pool_id, after, int64_t{limit} + 1);
    });
    if (!rows.ok()) return std::move(rows).error();
    return MakePage(std::move(rows).value(), limit,
                    [](const AppClientRecord& client) { return client.client_id; });
  }

  Result<int64_t> CountClients(const std::string& pool_id) override {
    auto count = db_->Read([&](Connection& conn) {
      return conn.QueryOne(
          "SELECT COUNT(*) FROM app_clients WHERE pool_id = ?1",
          [](const Statement& row) { return row.Int(0); }, pool_id);
    });
    if (!count.ok()) return std::move(count).error();
    return count->value_or(0);
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<ClientStore> NewClientStore(std::shared_ptr<Database> db) {
  return std::make_unique<SqliteClientStore>(std::move(db));
}

}  // namespace cognate::store::sqlite
