// RefreshTokenStore on PostgreSQL (see store/sqlite/refresh_token_store.cc, which this mirrors).
// Tokens go with their user (ON DELETE CASCADE); revoked sign-in sessions are remembered per
// pool in revoked_origins so access tokens can be checked too.

#include <string>

#include "store/postgres/pg_stores.h"
#include "store/postgres/pg_user_rows.h"

namespace cognate::store::postgres {
namespace {

RefreshTokenRecord ReadToken(const Rows& rows, int row) {
  RefreshTokenRecord token;
  token.token_hash = rows.Text(row, 0);
  token.pool_id = rows.Text(row, 1);
  token.client_id = rows.Text(row, 2);
  token.username_key = rows.Text(row, 3);
  token.origin_jti = rows.Text(row, 4);
  token.auth_time_s = rows.Int(row, 5);
  token.created_ms = rows.Int(row, 6);
  token.expires_ms = rows.Int(row, 7);
  token.revoked = rows.Bool(row, 8);
  token.rotated_ms = rows.Int(row, 9);
  token.scope = rows.Text(row, 10);
  return token;
}

// A violation aborts the transaction: every error here must end the caller's transaction, which
// returning it does.
Status InsertToken(Connection& conn, const RefreshTokenRecord& token) {
  auto inserted = conn.TryExec(
      "INSERT INTO refresh_tokens (token_hash, pool_id, client_id, username_key, origin_jti, "
      "auth_time_s, created_ms, expires_ms, revoked, rotated_ms, scope) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {P(token.token_hash), P(token.pool_id), P(token.client_id), P(token.username_key),
       P(token.origin_jti), P(token.auth_time_s), P(token.created_ms), P(token.expires_ms),
       P(token.revoked), P(token.rotated_ms), P(token.scope)});
  if (!inserted.ok()) return std::move(inserted).error();
  // The user does not exist (or was deleted meanwhile).
  if (inserted->first == Violation::kForeignKey) return UserNotFound();
  if (inserted->first != Violation::kNone) return UnexpectedViolation();
  return OkStatus();
}

// Revoking twice keeps the later of the two horizons.
constexpr const char* kKeepLaterHorizon =
    "ON CONFLICT (pool_id, origin_jti) DO UPDATE SET keep_until_ms = "
    "CASE WHEN EXCLUDED.keep_until_ms > revoked_origins.keep_until_ms "
    "THEN EXCLUDED.keep_until_ms ELSE revoked_origins.keep_until_ms END";

class PgRefreshTokenStore final : public RefreshTokenStore {
 public:
  explicit PgRefreshTokenStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<int64_t> PurgeExpiredTokens(int64_t now_ms, int limit) override {
    return WriteReturning<int64_t>(*db_, [&](Connection& conn) -> Result<int64_t> {
      // DELETE has no LIMIT in PostgreSQL: the rows to go are chosen by their primary key.
      auto tokens = conn.Exec(
          "DELETE FROM refresh_tokens WHERE token_hash IN (SELECT token_hash FROM refresh_tokens "
          "WHERE expires_ms < $1 LIMIT $2)",
          {P(now_ms), P(int64_t{limit})});
      if (!tokens.ok()) return std::move(tokens).error();
      auto origins = conn.Exec(
          "DELETE FROM revoked_origins WHERE (pool_id, origin_jti) IN (SELECT pool_id, origin_jti "
          "FROM revoked_origins WHERE keep_until_ms < $1 LIMIT $2)",
          {P(now_ms), P(int64_t{limit})});
      if (!origins.ok()) return std::move(origins).error();
      return tokens->affected() + origins->affected();
    });
  }

  Status PutRefreshToken(const RefreshTokenRecord& token) override {
    return db_->Write([&](Connection& conn) { return InsertToken(conn, token); });
  }

  Result<std::optional<RefreshTokenRecord>> GetRefreshToken(
      const std::string& token_hash) override {
    return ReadReturning<std::optional<RefreshTokenRecord>>(
        *db_, [&](Connection& conn) -> Result<std::optional<RefreshTokenRecord>> {
          auto rows = conn.Exec(
              "SELECT token_hash, pool_id, client_id, username_key, origin_jti, auth_time_s, "
              "created_ms, expires_ms, revoked, rotated_ms, scope FROM refresh_tokens "
              "WHERE token_hash = $1",
              {P(token_hash)});
          if (!rows.ok()) return std::move(rows).error();
          if (rows->size() == 0) return std::optional<RefreshTokenRecord>();
          return std::optional<RefreshTokenRecord>(ReadToken(*rows, 0));
        });
  }

  Result<bool> RotateRefreshToken(const std::string& old_hash, int64_t now_ms,
                                  const RefreshTokenRecord& replacement) override {
    return WriteReturning<bool>(*db_, [&](Connection& conn) -> Result<bool> {
      // The conditional UPDATE is the claim: of two racing rotations only one changes the row
      // (the other fails to serialize; its retry finds the token rotated).
      auto claimed = conn.Exec(
          "UPDATE refresh_tokens SET rotated_ms = $2 "
          "WHERE token_hash = $1 AND rotated_ms = 0 AND NOT revoked",
          {P(old_hash), P(now_ms)});
      if (!claimed.ok()) return std::move(claimed).error();
      if (claimed->affected() == 0) return false;
      // A failed insert rolls the claim back with it.
      COGNATE_RETURN_IF_ERROR(InsertToken(conn, replacement));
      return true;
    });
  }

  Status RevokeOrigin(const std::string& pool_id, const std::string& origin_jti,
                      int64_t keep_until_ms) override {
    return db_->Write([&](Connection& conn) -> Status {
      COGNATE_RETURN_IF_ERROR(conn.Exec(
          "UPDATE refresh_tokens SET revoked = TRUE WHERE pool_id = $1 AND origin_jti = $2",
          {P(pool_id), P(origin_jti)}));
      auto remembered = conn.TryExec(
          std::string("INSERT INTO revoked_origins (pool_id, origin_jti, keep_until_ms) "
                      "VALUES ($1, $2, $3) ") +
              kKeepLaterHorizon,
          {P(pool_id), P(origin_jti), P(keep_until_ms)});
      if (!remembered.ok()) return std::move(remembered).error();
      if (remembered->first == Violation::kForeignKey) return PoolNotFound(pool_id);
      if (remembered->first != Violation::kNone) return UnexpectedViolation();
      return OkStatus();
    });
  }

  Result<bool> IsOriginRevoked(const std::string& pool_id, const std::string& origin_jti) override {
    return ReadReturning<bool>(*db_, [&](Connection& conn) -> Result<bool> {
      auto rows = conn.Exec("SELECT 1 FROM revoked_origins WHERE pool_id = $1 AND origin_jti = $2",
                            {P(pool_id), P(origin_jti)});
      if (!rows.ok()) return std::move(rows).error();
      return rows->size() > 0;
    });
  }

  Status RevokeUserTokens(const std::string& pool_id, const std::string& username_key) override {
    return db_->Write([&](Connection& conn) -> Status {
      // The user's sign-in sessions are revoked too, so their access tokens are refused by
      // origin (exact), not by comparing issue times (whole seconds). Grouped by origin, so no
      // row is proposed twice to ON CONFLICT DO UPDATE.
      COGNATE_RETURN_IF_ERROR(conn.Exec(
          std::string("INSERT INTO revoked_origins (pool_id, origin_jti, keep_until_ms) "
                      "SELECT pool_id, origin_jti, MAX(expires_ms) FROM refresh_tokens "
                      "WHERE pool_id = $1 AND username_key = $2 AND NOT revoked "
                      "GROUP BY pool_id, origin_jti ") +
              kKeepLaterHorizon,
          {P(pool_id), P(username_key)}));
      COGNATE_RETURN_IF_ERROR(
          conn.Exec("UPDATE refresh_tokens SET revoked = TRUE "
                    "WHERE pool_id = $1 AND username_key = $2 AND NOT revoked",
                    {P(pool_id), P(username_key)}));
      return OkStatus();
    });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<RefreshTokenStore> NewRefreshTokenStore(std::shared_ptr<Database> db) {
  return std::make_unique<PgRefreshTokenStore>(std::move(db));
}

}  // namespace cognate::store::postgres
