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
    // 1: pools, app clients, signing keys, admin access keys; users and their sign-in keys,
    // one-time codes, refresh tokens, revoked sign-in sessions, groups and memberships.
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

CREATE TABLE users (
  pool_id               TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
  username_key          TEXT NOT NULL,
  username              TEXT NOT NULL,
  sub                   TEXT NOT NULL,
  status                TEXT NOT NULL,
  enabled               INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  password_hash         TEXT NOT NULL,
  attributes_json       TEXT NOT NULL,
  created_ms            INTEGER NOT NULL,
  modified_ms           INTEGER NOT NULL,
  password_changed_ms   INTEGER NOT NULL,
  tokens_valid_after_ms INTEGER NOT NULL,
  failed_sign_ins       INTEGER NOT NULL DEFAULT 0,
  last_failure_ms       INTEGER NOT NULL DEFAULT 0,
  locked_until_ms       INTEGER NOT NULL DEFAULT 0,
  version               INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (pool_id, username_key),
  UNIQUE (pool_id, sub)
);

-- Aliases and username attributes: the primary key is what makes them unique per pool.
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
  created_ms      INTEGER NOT NULL,
  expires_ms      INTEGER NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  window_ms       INTEGER NOT NULL,
  sends_in_window INTEGER NOT NULL,
  PRIMARY KEY (pool_id, username_key, purpose),
  FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key)
    ON DELETE CASCADE
);

CREATE TABLE refresh_tokens (
  token_hash   TEXT PRIMARY KEY NOT NULL,
  pool_id      TEXT NOT NULL,
  client_id    TEXT NOT NULL,
  username_key TEXT NOT NULL,
  origin_jti   TEXT NOT NULL,
  auth_time_s  INTEGER NOT NULL,
  created_ms   INTEGER NOT NULL,
  expires_ms   INTEGER NOT NULL,
  revoked      INTEGER NOT NULL CHECK (revoked IN (0, 1)),
  rotated_ms   INTEGER NOT NULL,
  FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key)
    ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_by_origin ON refresh_tokens (pool_id, origin_jti);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (pool_id, username_key);

-- Sign-in sessions whose access tokens are refused, kept until their last token expires.
CREATE TABLE revoked_origins (
  pool_id       TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
  origin_jti    TEXT NOT NULL,
  keep_until_ms INTEGER NOT NULL,
  PRIMARY KEY (pool_id, origin_jti)
);

CREATE TABLE groups (
  pool_id     TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  description TEXT NOT NULL,
  role_arn    TEXT NOT NULL,
  precedence  INTEGER,
  created_ms  INTEGER NOT NULL,
  modified_ms INTEGER NOT NULL,
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
)sql",
    // 2: the sealed SRP verifier (USER_SRP_AUTH); empty until the password is next set.
    R"sql(
ALTER TABLE users ADD COLUMN srp_verifier_sealed TEXT NOT NULL DEFAULT '';
)sql",
    // 3: the user's MFA settings and factors (identity/user_mfa.h), secrets sealed inside.
    R"sql(
ALTER TABLE users ADD COLUMN mfa_json TEXT NOT NULL DEFAULT '{}';
)sql",
    // 4: housekeeping finds expired rows without scanning (store purges, app/housekeeper.h).
    R"sql(
CREATE INDEX codes_by_expiry ON codes (expires_ms);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_ms);
CREATE INDEX revoked_origins_by_expiry ON revoked_origins (keep_until_ms);
)sql",
    // 5: per-pool documents (resource servers, identity providers, UI customization, domains);
    // a domain names one pool.
    R"sql(
CREATE TABLE pool_documents (
  pool_id     TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  name        TEXT NOT NULL,
  body_json   TEXT NOT NULL,
  created_ms  INTEGER NOT NULL,
  modified_ms INTEGER NOT NULL,
  version     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (pool_id, kind, name)
);
CREATE UNIQUE INDEX pool_documents_domains ON pool_documents (name) WHERE kind = 'domain';
)sql",
    // 6: the OAuth 2.0 scopes a refresh token's session was granted.
    R"sql(
ALTER TABLE refresh_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT '';
)sql",
    // 7: data keys wrapped by master keys (crypto/kek.h), and one-off upgrade flags.
    R"sql(
CREATE TABLE data_keys (
  id         TEXT NOT NULL,
  master_id  TEXT NOT NULL,
  wrapped    TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (id, master_id)
);
CREATE TABLE store_flags (
  name       TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  set_ms     INTEGER NOT NULL
);
)sql",
    // 8: the hashes of a user's previous passwords (PasswordHistorySize), a JSON array.
    R"sql(
ALTER TABLE users ADD COLUMN password_history TEXT NOT NULL DEFAULT '[]';
)sql",
    // 9: auth events (store/auth_event_store.h); the context column holds sealed text.
    R"sql(
CREATE TABLE auth_events (
  pool_id           TEXT NOT NULL,
  username_key      TEXT NOT NULL,
  event_id          TEXT NOT NULL,
  event_type        TEXT NOT NULL,
  created_ms        INTEGER NOT NULL,
  response          TEXT NOT NULL,
  challenges_json   TEXT NOT NULL,
  client_id         TEXT NOT NULL,
  context_sealed    TEXT NOT NULL,
  feedback_value    TEXT NOT NULL DEFAULT '',
  feedback_provider TEXT NOT NULL DEFAULT '',
  feedback_ms       INTEGER NOT NULL DEFAULT 0,
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
