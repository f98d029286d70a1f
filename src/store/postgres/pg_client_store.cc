// ClientStore on PostgreSQL. Clients are keyed by client_id alone (ids are random and globally
// unique), with an index on (pool_id, client_id) for per-pool listing and counting.

#include "store/postgres/pg_stores.h"

namespace cognate::store::postgres {
namespace {

constexpr const char* kSelectByPoolAndId =
    "SELECT pool_id, client_id, name, secret_sealed, created_ms, modified_ms, config_json, "
    "version FROM app_clients WHERE pool_id = $1 AND client_id = $2";
constexpr const char* kSelectById =
    "SELECT pool_id, client_id, name, secret_sealed, created_ms, modified_ms, config_json, "
    "version FROM app_clients WHERE client_id = $1";
constexpr const char* kSelectPage =
    "SELECT pool_id, client_id, name, secret_sealed, created_ms, modified_ms, config_json, "
    "version FROM app_clients WHERE pool_id = $1 AND client_id > $2 ORDER BY client_id LIMIT $3";

AppClientRecord ReadClient(const Rows& rows, int row) {
  AppClientRecord client;
  client.pool_id = rows.Text(row, 0);
  client.client_id = rows.Text(row, 1);
  client.name = rows.Text(row, 2);
  client.secret_sealed = rows.Text(row, 3);
  client.created_ms = rows.Int(row, 4);
  client.modified_ms = rows.Int(row, 5);
  client.config_json = rows.Text(row, 6);
  client.version = rows.Int(row, 7);
  return client;
}

Error ClientNotFound(const std::string& client_id) {
  return Error::NotFound("User pool client " + client_id + " does not exist.");
}

class PgClientStore final : public ClientStore {
 public:
  explicit PgClientStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Status CreateClient(const AppClientRecord& client) override {
    return db_->Write([&](Connection& conn) -> Status {
      // Checked first so a missing pool is a 400, not a foreign-key failure (500).
      auto exists = PoolExists(conn, client.pool_id);
      if (!exists.ok()) return std::move(exists).error();
      if (!*exists) return PoolNotFound(client.pool_id);
      auto inserted = conn.Exec(
          "INSERT INTO app_clients (pool_id, client_id, name, secret_sealed, created_ms, "
          "modified_ms, config_json) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {P(client.pool_id), P(client.client_id), P(client.name), P(client.secret_sealed),
           P(client.created_ms), P(client.modified_ms), P(client.config_json)});
      if (!inserted.ok()) return std::move(inserted).error();
      return OkStatus();
    });
  }

  Result<std::optional<AppClientRecord>> GetClient(const std::string& pool_id,
                                                   const std::string& client_id) override {
    return QueryOne(kSelectByPoolAndId, {P(pool_id), P(client_id)});
  }

  Result<std::optional<AppClientRecord>> FindClient(const std::string& client_id) override {
    return QueryOne(kSelectById, {P(client_id)});
  }

  Status UpdateClient(const AppClientRecord& client) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec(
          "UPDATE app_clients SET name = $3, secret_sealed = $4, modified_ms = $5, "
          "config_json = $6, version = version + 1 "
          "WHERE pool_id = $1 AND client_id = $2 AND version = $7",
          {P(client.pool_id), P(client.client_id), P(client.name), P(client.secret_sealed),
           P(client.modified_ms), P(client.config_json), P(client.version)});
      if (!changed.ok()) return std::move(changed).error();
      if (changed->affected() > 0) return OkStatus();
      auto found = conn.Exec("SELECT 1 FROM app_clients WHERE pool_id = $1 AND client_id = $2",
                             {P(client.pool_id), P(client.client_id)});
      if (!found.ok()) return std::move(found).error();
      return found->size() > 0 ? Error::ConcurrentModification()
                               : ClientNotFound(client.client_id);
    });
  }

  Status DeleteClient(const std::string& pool_id, const std::string& client_id) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec("DELETE FROM app_clients WHERE pool_id = $1 AND client_id = $2",
                               {P(pool_id), P(client_id)});
      if (!changed.ok()) return std::move(changed).error();
      if (changed->affected() == 0) return ClientNotFound(client_id);
      return OkStatus();
    });
  }

  Result<Page<AppClientRecord>> ListClients(const std::string& pool_id, const std::string& after,
                                            int limit) override {
    if (limit <= 0) return Page<AppClientRecord>{};
    std::vector<AppClientRecord> clients;
    Status status = db_->Read([&](Connection& conn) -> Status {
      auto rows = conn.Exec(kSelectPage, {P(pool_id), P(after), P(int64_t{limit} + 1)});
      if (!rows.ok()) return std::move(rows).error();
      clients = ReadAll(*rows, ReadClient);
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return MakePage(std::move(clients), limit,
                    [](const AppClientRecord& client) { return client.client_id; });
  }

  Result<int64_t> CountClients(const std::string& pool_id) override {
    int64_t count = 0;
    Status status = db_->Read([&](Connection& conn) -> Status {
      auto rows = conn.Exec("SELECT COUNT(*) FROM app_clients WHERE pool_id = $1", {P(pool_id)});
      if (!rows.ok()) return std::move(rows).error();
      count = rows->size() > 0 ? rows->Int(0, 0) : 0;
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return count;
  }

 private:
  Result<std::optional<AppClientRecord>> QueryOne(const char* sql,
                                                  const std::vector<Param>& params) {
    std::optional<AppClientRecord> found;
    Status status = db_->Read([&](Connection& conn) -> Status {
      auto rows = conn.Exec(sql, params);
      if (!rows.ok()) return std::move(rows).error();
      found = rows->size() > 0 ? std::optional(ReadClient(*rows, 0)) : std::nullopt;
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return found;
  }

  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<ClientStore> NewClientStore(std::shared_ptr<Database> db) {
  return std::make_unique<PgClientStore>(std::move(db));
}

}  // namespace cognate::store::postgres
