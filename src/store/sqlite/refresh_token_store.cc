// RefreshTokenStore on SQLite. Tokens go with their user (ON DELETE CASCADE); revoked sign-in
// sessions are remembered per pool in revoked_origins so access tokens can be checked too.

#include "store/sqlite/sqlite_stores.h"

namespace cognate::store::sqlite {
namespace {

RefreshTokenRecord ReadToken(const Statement& row) {
  RefreshTokenRecord token;
  token.token_hash = row.Text(0);
  token.pool_id = row.Text(1);
  token.client_id = row.Text(2);
  token.username_key = row.Text(3);
  token.origin_jti = row.Text(4);
  token.auth_time_s = row.Int(5);
  token.created_ms = row.Int(6);
  token.expires_ms = row.Int(7);
  token.revoked = row.Int(8) != 0;
  token.rotated_ms = row.Int(9);
  token.scope = row.Text(10);
  return token;
}

Status InsertToken(Connection& conn, const RefreshTokenRecord& token) {
  auto violation = conn.TryExec(
      "INSERT INTO refresh_tokens (token_hash, pool_id, client_id, username_key, origin_jti, "
      "auth_time_s, created_ms, expires_ms, revoked, rotated_ms, scope) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
      token.token_hash, token.pool_id, token.client_id, token.username_key, token.origin_jti,
      token.auth_time_s, token.created_ms, token.expires_ms, token.revoked, token.rotated_ms,
      token.scope);
  if (!violation.ok()) return std::move(violation).error();
  // The user was deleted meanwhile.
  if (*violation == Violation::kForeignKey) return UserNotFound();
  if (*violation != Violation::kNone) return UnexpectedViolation();
  return OkStatus();
}

class SqliteRefreshTokenStore final : public RefreshTokenStore {
 public:
  explicit SqliteRefreshTokenStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<int64_t> PurgeExpiredTokens(int64_t now_ms, int limit) override {
    return db_->Write([&](Connection& conn) -> Result<int64_t> {
      auto tokens = conn.Exec(
          "DELETE FROM refresh_tokens WHERE rowid IN (SELECT rowid FROM refresh_tokens "
          "WHERE expires_ms < ?1 LIMIT ?2)",
          now_ms, int64_t{limit});
      if (!tokens.ok()) return std::move(tokens).error();
      auto origins = conn.Exec(
          "DELETE FROM revoked_origins WHERE rowid IN (SELECT rowid FROM revoked_origins "
          "WHERE keep_until_ms < ?1 LIMIT ?2)",
          now_ms, int64_t{limit});
      if (!origins.ok()) return std::move(origins).error();
      return *tokens + *origins;
    });
  }

  Status PutRefreshToken(const RefreshTokenRecord& token) override {
    return db_->Write([&](Connection& conn) { return InsertToken(conn, token); });
  }

  Result<std::optional<RefreshTokenRecord>> GetRefreshToken(
      const std::string& token_hash) override {
    return db_->Read([&](Connection& conn) {
      return conn.QueryOne(
          "SELECT token_hash, pool_id, client_id, username_key, origin_jti, auth_time_s, "
          "created_ms, expires_ms, revoked, rotated_ms, scope FROM refresh_tokens "
          "WHERE token_hash = ?1",
          ReadToken, token_hash);
    });
  }

  Result<bool> RotateRefreshToken(const std::string& old_hash, int64_t now_ms,
                                  const RefreshTokenRecord& replacement) override {
    return db_->Write([&](Connection& conn) -> Result<bool> {
      // The conditional UPDATE is the claim: of two racing rotations only one changes the row.
      auto changed = conn.Exec(
          "UPDATE refresh_tokens SET rotated_ms = ?2 "
          "WHERE token_hash = ?1 AND rotated_ms = 0 AND revoked = 0",
          old_hash, now_ms);
      if (!changed.ok()) return std::move(changed).error();
      if (*changed == 0) return false;
      COGNATE_RETURN_IF_ERROR(InsertToken(conn, replacement));
      return true;
    });
  }

  Status RevokeOrigin(const std::string& pool_id, const std::string& origin_jti,
                      int64_t keep_until_ms) override {
    return db_->Write([&](Connection& conn) -> Status {
      COGNATE_RETURN_IF_ERROR(
          conn.Exec("UPDATE refresh_tokens SET revoked = 1 WHERE pool_id = ?1 AND origin_jti = ?2",
                    pool_id, origin_jti));
      // Revoking twice keeps the later of the two horizons.
      auto violation = conn.TryExec(
          "INSERT INTO revoked_origins (pool_id, origin_jti, keep_until_ms) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (pool_id, origin_jti) DO UPDATE SET keep_until_ms = "
          "CASE WHEN excluded.keep_until_ms > revoked_origins.keep_until_ms "
          "THEN excluded.keep_until_ms ELSE revoked_origins.keep_until_ms END",
          pool_id, origin_jti, keep_until_ms);
      if (!violation.ok()) return std::move(violation).error();
      if (*violation == Violation::kForeignKey) return PoolNotFound(pool_id);
      if (*violation != Violation::kNone) return UnexpectedViolation();
      return OkStatus();
    });
  }

  Result<bool> IsOriginRevoked(const std::string& pool_id, const std::string& origin_jti) override {
    auto found = db_->Read([&](Connection& conn) {
      return conn.QueryOne(
          "SELECT 1 FROM revoked_origins WHERE pool_id = ?1 AND origin_jti = ?2",
          [](const Statement&) { return true; }, pool_id, origin_jti);
    });
    if (!found.ok()) return std::move(found).error();
    return found->has_value();
  }

  Status RevokeUserTokens(const std::string& pool_id, const std::string& username_key) override {
    return db_->Write([&](Connection& conn) -> Status {
      // The user's sign-in sessions are revoked too, so their access tokens are refused by
      // origin (exact), not by comparing issue times (whole seconds).
      COGNATE_RETURN_IF_ERROR(conn.Exec(
          "INSERT INTO revoked_origins (pool_id, origin_jti, keep_until_ms) "
          "SELECT pool_id, origin_jti, MAX(expires_ms) FROM refresh_tokens "
          "WHERE pool_id = ?1 AND username_key = ?2 AND revoked = 0 GROUP BY pool_id, origin_jti "
          "ON CONFLICT (pool_id, origin_jti) DO UPDATE SET keep_until_ms = "
          "CASE WHEN excluded.keep_until_ms > revoked_origins.keep_until_ms "
          "THEN excluded.keep_until_ms ELSE revoked_origins.keep_until_ms END",
          pool_id, username_key));
      COGNATE_RETURN_IF_ERROR(
          conn.Exec("UPDATE refresh_tokens SET revoked = 1 "
                    "WHERE pool_id = ?1 AND username_key = ?2 AND revoked = 0",
                    pool_id, username_key));
      return OkStatus();
    });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<RefreshTokenStore> NewRefreshTokenStore(std::shared_ptr<Database> db) {
  return std::make_unique<SqliteRefreshTokenStore>(std::move(db));
}

}  // namespace cognate::store::sqlite
