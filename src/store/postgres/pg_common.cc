// Helpers shared by the PostgreSQL stores (pg_stores.h).

#include "store/postgres/pg_stores.h"

namespace cognate::store::postgres {

Result<bool> PoolExists(Connection& conn, const std::string& pool_id) {
  auto rows = conn.Exec("SELECT 1 FROM user_pools WHERE id = $1", {P(pool_id)});
  if (!rows.ok()) return std::move(rows).error();
  return rows->size() > 0;
}

Result<bool> UserExists(Connection& conn, const std::string& pool_id,
                        const std::string& username_key) {
  auto rows = conn.Exec("SELECT 1 FROM users WHERE pool_id = $1 AND username_key = $2",
                        {P(pool_id), P(username_key)});
  if (!rows.ok()) return std::move(rows).error();
  return rows->size() > 0;
}

Error UnexpectedViolation() {
  return Error::Make("InternalErrorException", "Database constraint violated.", 500);
}

}  // namespace cognate::store::postgres
