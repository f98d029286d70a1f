#include "store/sqlite/migrations.h"

#include <chrono>
#include <string>

namespace cognate::store::sqlite {
namespace {

constexpr const char* kVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    "  version INTEGER PRIMARY KEY,"
    "  applied_ms INTEGER NOT NULL"
    ");";

// Append only. Ids are TEXT compared bytewise (BINARY collation), which is the listing order.
constexpr const char* kMigrations[] = {
    // 1: pools, app clients, signing keys and admin access keys.
    R"sql(
CREATE TABLE user_pools (
  id          TEXT PRIMARY KEY NOT NULL,
  name        TEXT NOT NULL,
  created_ms  INTEGER NOT NULL,
  modified_ms INTEGER NOT NULL,
  config_json TEXT NOT NULL,
  version     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE app_clients (
  client_id     TEXT PRIMARY KEY NOT NULL,
  pool_id       TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  secret_sealed TEXT NOT NULL,
  created_ms    INTEGER NOT NULL,
  modified_ms   INTEGER NOT NULL,
  config_json   TEXT NOT NULL,
  version       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX app_clients_by_pool ON app_clients (pool_id, client_id);

CREATE TABLE signing_keys (
  kid                TEXT PRIMARY KEY NOT NULL,
  pool_id            TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
  use                TEXT NOT NULL,
  alg                TEXT NOT NULL,
  public_jwk_json    TEXT NOT NULL,
  private_key_sealed TEXT NOT NULL,
  created_ms         INTEGER NOT NULL,
  active             INTEGER NOT NULL CHECK (active IN (0, 1))
);
CREATE INDEX signing_keys_by_pool ON signing_keys (pool_id, created_ms);

CREATE TABLE access_keys (
  access_key_id TEXT PRIMARY KEY NOT NULL,
  secret_sealed TEXT NOT NULL,
  policy_json   TEXT NOT NULL,
  description   TEXT NOT NULL,
  created_ms    INTEGER NOT NULL
);
)sql",
};

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::span<const char* const> Migrations() { return kMigrations; }

Result<int64_t> SchemaVersion(Connection& conn) {
  auto stmt = conn.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!stmt.ok()) return std::move(stmt).error();
  auto row = stmt->Step();
  if (!row.ok()) return std::move(row).error();
  return *row ? stmt->Int(0) : int64_t{0};
}

Status Migrate(Database& db) {
  return db.Write([](Connection& conn) -> Status {
    COGNATE_RETURN_IF_ERROR(conn.ExecScript(kVersionTable));
    // Read inside the write transaction, so two processes opening at once cannot both apply.
    auto current = SchemaVersion(conn);
    if (!current.ok()) return std::move(current).error();
    const auto all = Migrations();
    const auto known = static_cast<int64_t>(all.size());
    if (*current > known) {
      return Error::Internal("Database schema version " + std::to_string(*current) +
                             " is newer than this build (" + std::to_string(known) + ").");
    }
    for (int64_t version = *current + 1; version <= known; ++version) {
      COGNATE_RETURN_IF_ERROR(conn.ExecScript(all[version - 1]));
      auto insert = conn.Prepare("INSERT INTO schema_version (version, applied_ms) VALUES (?, ?)");
      if (!insert.ok()) return std::move(insert).error();
      COGNATE_RETURN_IF_ERROR(insert->BindAll(version, NowMs()).Run());
    }
    return OkStatus();
  });
}

}  // namespace cognate::store::sqlite
