#pragma once
// What the PostgreSQL user and group stores share: the user row (users aliased "u") and a way
// to return a value from a transaction. Internal to store/postgres.

#include <optional>
#include <utility>

#include "store/postgres/pg_database.h"
#include "store/user_records.h"

namespace cognate::store::postgres {

// The columns ReadUserRow expects, in its order, from `users u`.
inline constexpr const char* kUserColumns =
    "u.pool_id, u.username_key, u.username, u.sub, u.status, u.enabled, u.password_hash, "
    "u.attributes_json, u.created_ms, u.modified_ms, u.password_changed_ms, "
    "u.tokens_valid_after_ms, u.failed_sign_ins, u.last_failure_ms, u.locked_until_ms, u.version, "
    "u.srp_verifier_sealed, u.mfa_json, u.password_history";

UserRecord ReadUserRow(const Rows& rows, int row);

// Runs `fn` (Connection& -> Result<T>) through `run` (Database::Write or Database::Read) and
// returns its value. The output is reset on every attempt, since the database may retry `fn`.
using DatabaseRun = Status (Database::*)(const std::function<Status(Connection&)>&);

template <class T, class Fn>
Result<T> RunReturning(Database& db, DatabaseRun run, Fn&& fn) {
  std::optional<T> out;
  Status status = (db.*run)([&](Connection& conn) -> Status {
    out.reset();
    Result<T> value = fn(conn);
    if (!value.ok()) return std::move(value).error();
    out = std::move(value).value();
    return OkStatus();
  });
  if (!status.ok()) return std::move(status).error();
  return std::move(*out);
}

template <class T, class Fn>
Result<T> WriteReturning(Database& db, Fn&& fn) {
  return RunReturning<T>(db, &Database::Write, std::forward<Fn>(fn));
}

template <class T, class Fn>
Result<T> ReadReturning(Database& db, Fn&& fn) {
  return RunReturning<T>(db, &Database::Read, std::forward<Fn>(fn));
}

}  // namespace cognate::store::postgres
