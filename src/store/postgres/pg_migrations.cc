#include "store/postgres/pg_migrations.h"

#include <chrono>
#include <iterator>
#include <string>

namespace cognate::store::postgres {
namespace {

constexpr const char* kVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    "  version    BIGINT PRIMARY KEY,"
    "  applied_ms BIGINT NOT NULL"
    ")";

// Append only. Only SQL that CockroachDB and YugabyteDB accept as well.
constexpr const char* kMigrations[] = {
    // 1: everything SQLite has at its version 6.
    R"sql(
CREATE TABLE user_pools (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_ms  BIGINT NOT NULL,
  modified_ms BIGINT NOT NULL,
  config_json TEXT NOT NULL,
  version     BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE app_clients (
  client_id     TEXT PRIMARY KEY,
  pool_id       TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  secret_sealed TEXT NOT NULL,
  created_ms    BIGINT NOT NULL,
  modified_ms   BIGINT NOT NULL,
  config_json   TEXT NOT NULL,
  version       BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX app_clients_by_pool ON app_clients (pool_id, client_id);
CREATE TABLE signing_keys (
  kid                TEXT PRIMARY KEY,
  pool_id            TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
  use                TEXT NOT NULL,
  alg                TEXT NOT NULL,
  public_jwk_json    TEXT NOT NULL,
  private_key_sealed TEXT NOT NULL,
  created_ms         BIGINT NOT NULL,
  active             BOOLEAN NOT NULL
);
CREATE INDEX signing_keys_by_pool ON signing_keys (pool_id, created_ms);
CREATE TABLE access_keys (
  access_key_id TEXT PRIMARY KEY,
  secret_sealed TEXT NOT NULL,
  policy_json   TEXT NOT NULL,
  description   TEXT NOT NULL,
  created_ms    BIGINT NOT NULL
);
CREATE TABLE users (
  pool_id               TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
  username_key          TEXT NOT NULL,
  username              TEXT NOT NULL,
  sub                   TEXT NOT NULL,
  status                TEXT NOT NULL,
  enabled               BOOLEAN NOT NULL,
  password_hash         TEXT NOT NULL,
  attributes_json       TEXT NOT NULL,
  created_ms            BIGINT NOT NULL,
  modified_ms           BIGINT NOT NULL,
  password_changed_ms   BIGINT NOT NULL,
  tokens_valid_after_ms BIGINT NOT NULL,
  failed_sign_ins       BIGINT NOT NULL DEFAULT 0,
  last_failure_ms       BIGINT NOT NULL DEFAULT 0,
  locked_until_ms       BIGINT NOT NULL DEFAULT 0,
  version               BIGINT NOT NULL DEFAULT 0,
  srp_verifier_sealed   TEXT NOT NULL DEFAULT '',
  mfa_json              TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (pool_id, username_key),
  UNIQUE (pool_id, sub)
);
CREATE TABLE user_keys (
  pool_id      TEXT NOT NULL,
  kind         TEXT NOT NULL,
  value_key    TEXT NOT NULL,
  username_key TEXT NOT NULL,
  PRIMARY KEY (pool_id, kind, value_key),
  FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key)
    ON DELETE CASCADE
);
CREATE INDEX user_keys_by_user ON user_keys (pool_id, username_key);
CREATE TABLE codes (
  pool_id         TEXT NOT NULL,
  username_key    TEXT NOT NULL,
  purpose         TEXT NOT NULL,
  code_hash       TEXT NOT NULL,
  created_ms      BIGINT NOT NULL,
  expires_ms      BIGINT NOT NULL,
  failed_attempts BIGINT NOT NULL DEFAULT 0,
  window_ms       BIGINT NOT NULL,
  sends_in_window BIGINT NOT NULL,
  PRIMARY KEY (pool_id, username_key, purpose),
  FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key)
    ON DELETE CASCADE
);
CREATE INDEX codes_by_expiry ON codes (expires_ms);
CREATE TABLE refresh_tokens (
  token_hash   TEXT PRIMARY KEY,
  pool_id      TEXT NOT NULL,
  client_id    TEXT NOT NULL,
  username_key TEXT NOT NULL,
  origin_jti   TEXT NOT NULL,
  auth_time_s  BIGINT NOT NULL,
  created_ms   BIGINT NOT NULL,
  expires_ms   BIGINT NOT NULL,
  revoked      BOOLEAN NOT NULL,
  rotated_ms   BIGINT NOT NULL,
  scope        TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key)
    ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_by_origin ON refresh_tokens (pool_id, origin_jti);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (pool_id, username_key);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_ms);
CREATE TABLE revoked_origins (
  pool_id       TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
  origin_jti    TEXT NOT NULL,
  keep_until_ms BIGINT NOT NULL,
  PRIMARY KEY (pool_id, origin_jti)
);
CREATE INDEX revoked_origins_by_expiry ON revoked_origins (keep_until_ms);
CREATE TABLE groups (
  pool_id     TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  description TEXT NOT NULL,
  role_arn    TEXT NOT NULL,
  precedence  BIGINT,
  created_ms  BIGINT NOT NULL,
  modified_ms BIGINT NOT NULL,
  PRIMARY KEY (pool_id, name)
);
CREATE TABLE group_members (
  pool_id      TEXT NOT NULL,
  group_name   TEXT NOT NULL,
  username_key TEXT NOT NULL,
  PRIMARY KEY (pool_id, group_name, username_key),
  FOREIGN KEY (pool_id, group_name) REFERENCES groups (pool_id, name) ON DELETE CASCADE,
  FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key)
    ON DELETE CASCADE
);
CREATE INDEX group_members_by_user ON group_members (pool_id, username_key, group_name);
CREATE TABLE pool_documents (
  pool_id     TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  name        TEXT NOT NULL,
  body_json   TEXT NOT NULL,
  created_ms  BIGINT NOT NULL,
  modified_ms BIGINT NOT NULL,
  version     BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (pool_id, kind, name)
);
CREATE UNIQUE INDEX pool_documents_domains ON pool_documents (name) WHERE kind = 'domain';
)sql",
    // 2: data keys wrapped by master keys (crypto/kek.h), and one-off upgrade flags.
    R"sql(
CREATE TABLE data_keys (
  id         TEXT NOT NULL,
  master_id  TEXT NOT NULL,
  wrapped    TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  PRIMARY KEY (id, master_id)
);
CREATE TABLE store_flags (
  name       TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  set_ms     BIGINT NOT NULL
);
)sql",
    // 3: the hashes of a user's previous passwords (PasswordHistorySize), a JSON array.
    R"sql(
ALTER TABLE users ADD COLUMN password_history TEXT NOT NULL DEFAULT '[]';
)sql",
    // 4: auth events (store/auth_event_store.h); the context column holds sealed text.
    R"sql(
CREATE TABLE auth_events (
  pool_id           TEXT NOT NULL,
  username_key      TEXT NOT NULL,
  event_id          TEXT NOT NULL,
  event_type        TEXT NOT NULL,
  created_ms        BIGINT NOT NULL,
  response          TEXT NOT NULL,
  challenges_json   TEXT NOT NULL,
  client_id         TEXT NOT NULL,
  context_sealed    TEXT NOT NULL,
  feedback_value    TEXT NOT NULL DEFAULT '',
  feedback_provider TEXT NOT NULL DEFAULT '',
  feedback_ms       BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (pool_id, username_key, event_id),
  FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key)
    ON DELETE CASCADE
);
CREATE INDEX auth_events_by_user_time ON auth_events (pool_id, username_key, created_ms);
CREATE INDEX auth_events_by_time ON auth_events (created_ms);
)sql",
};

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int64_t LatestSchemaVersion() { return static_cast<int64_t>(std::size(kMigrations)); }

// The version the database is at (0 for a new one).
static Result<int64_t> CurrentVersion(Database& db) {
  int64_t version = 0;
  Status read = db.Read([&](Connection& c) -> Status {
    auto current = c.Exec("SELECT COALESCE(MAX(version), 0) FROM schema_version");
    if (!current.ok()) return std::move(current).error();
    version = current->Int(0, 0);
    return OkStatus();
  });
  if (!read.ok()) return std::move(read).error();
  return version;
}

Status Migrate(Database& db) {
  // Nodes creating the table at once collide on the catalog: the loser's retry finds it.
  Status table = OkStatus();
  for (int attempt = 0; attempt < 3; ++attempt) {
    table = db.Write([](Connection& c) { return c.ExecScript(kVersionTable); });
    if (table.ok()) break;
  }
  COGNATE_RETURN_IF_ERROR(table);
  auto start = CurrentVersion(db);
  if (!start.ok()) return std::move(start).error();
  if (*start > LatestSchemaVersion()) {
    return Error::Internal("Database schema version " + std::to_string(*start) +
                           " is newer than this build (" + std::to_string(LatestSchemaVersion()) +
                           ").");
  }
  for (int64_t version = *start + 1; version <= LatestSchemaVersion(); ++version) {
    Status applied = db.Write([&](Connection& c) -> Status {
      auto current = c.Exec("SELECT COALESCE(MAX(version), 0) FROM schema_version");
      if (!current.ok()) return std::move(current).error();
      if (current->Int(0, 0) >= version) return OkStatus();  // another node got there first
      COGNATE_RETURN_IF_ERROR(c.ExecScript(kMigrations[version - 1]));
      auto mark = c.Exec("INSERT INTO schema_version (version, applied_ms) VALUES ($1, $2)",
                         {P(version), P(NowMs())});
      return mark.ok() ? OkStatus() : std::move(mark).error();
    });
    if (applied.ok()) continue;
    // Two nodes creating the same tables: the loser fails on the catalog rather than with a
    // serialization failure. Done is done, whoever did it.
    auto now_at = CurrentVersion(db);
    if (!now_at.ok() || *now_at < version) return applied;
  }
  return OkStatus();
}

}  // namespace cognate::store::postgres
