#pragma once
// PostgreSQL access for the store (issue 7): a bounded pool of libpq connections, statements with
// parameters always sent separately from the SQL (text format), each query prepared once per
// connection and then executed by name (the server parses and plans it once), and transactions
// retried when the database asks for it (serialization failures, deadlocks) or a pooled
// connection turns out to be dead. Only SQL that PostgreSQL-compatible distributed databases
// (CockroachDB, YugabyteDB) also accept: no LISTEN/NOTIFY, no advisory locks.
//
// Failing fast: connecting gives up after `connect_timeout_s`, and every statement after
// `statement_timeout_ms`; a database that cannot be reached is InternalErrorException at once,
// never a request hanging on it. Thread-safe: connections are handed to one caller at a time.

#include <cstdint>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

typedef struct pg_conn PGconn;      // NOLINT: libpq's own names, so libpq-fe.h stays out of
typedef struct pg_result PGresult;  // NOLINT: headers.

namespace cognate::store::postgres {

// One statement parameter in text form; std::nullopt is SQL NULL.
using Param = std::optional<std::string>;

Param P(std::string_view text);
Param P(const std::string& text);
Param P(const char* text);
Param P(int64_t value);
Param P(int value);
Param P(bool value);
Param P(const std::optional<int64_t>& value);

// The rows of a statement's result.
class Rows {
 public:
  explicit Rows(PGresult* result);
  Rows(Rows&& other) noexcept;
  Rows& operator=(Rows&& other) noexcept;
  Rows(const Rows&) = delete;
  ~Rows();

  int size() const;
  int64_t affected() const;  // rows an INSERT/UPDATE/DELETE changed
  bool IsNull(int row, int column) const;
  std::string Text(int row, int column) const;
  int64_t Int(int row, int column) const;
  std::optional<int64_t> OptionalInt(int row, int column) const;
  bool Bool(int row, int column) const;

 private:
  PGresult* result_;
};

// What a failed statement was, for callers that turn constraint violations into Cognito errors.
enum class Violation { kNone, kUnique, kForeignKey };

class Connection {
 public:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Result<Rows> Exec(std::string_view sql, const std::vector<Param>& params = {});
  // As Exec, but a unique or foreign-key violation is reported, not an error (PostgreSQL then
  // aborts the transaction: the caller must end it, which Database::Write does).
  Result<std::pair<Violation, std::optional<Rows>>> TryExec(std::string_view sql,
                                                            const std::vector<Param>& params = {});
  Status ExecScript(std::string_view sql);  // several statements, no parameters
  bool Healthy() const;

 private:
  Result<Rows> Run(std::string_view sql, const std::vector<Param>& params, std::string* sqlstate);
  // Turns a failed result into the error Run reports (retryable when the database asks for a
  // retry or the connection is gone).
  Error Failure(const PGresult* raw, std::string* sqlstate) const;
  // Executes `sql` prepared under a name of this connection, preparing it on first use; queries
  // that are not plain DML, or beyond kMaxPrepared, run unnamed.
  PGresult* ExecutePrepared(const std::string& sql, const std::vector<const char*>& values,
                            bool* prepare_failed);

  static constexpr std::size_t kMaxPrepared = 512;
  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

struct DatabaseOptions {
  std::string url;                 // postgres://user@host:port/db?...
  std::string schema;              // search_path when not empty (tests: one schema each)
  int pool_size = 8;
  int connect_timeout_s = 3;
  int statement_timeout_ms = 10'000;
  int max_retries = 5;             // of a transaction the database asked to retry
};

class Database {
 public:
  // Connects once to check the URL; InternalErrorException when it cannot.
  static Result<std::shared_ptr<Database>> Open(const DatabaseOptions& options);
  ~Database();

  // Runs `fn` in a transaction (BEGIN ... COMMIT). A failed `fn` rolls back. Retried from the
  // start on serialization failures, deadlocks and dead connections.
  Status Write(const std::function<Status(Connection&)>& fn);
  // Runs `fn` on a pooled connection outside any explicit transaction (single reads).
  Status Read(const std::function<Status(Connection&)>& fn);

 private:
  explicit Database(DatabaseOptions options) : options_(std::move(options)) {}
  Result<std::unique_ptr<Connection>> Acquire();
  void Release(std::unique_ptr<Connection> conn);
  Result<std::unique_ptr<Connection>> Connect() const;
  Status Run(bool transaction, const std::function<Status(Connection&)>& fn);

  DatabaseOptions options_;
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // connections handed out or idle
};

// Whether an error came from the database asking for the transaction to be retried.
bool IsRetryable(const Error& error);

}  // namespace cognate::store::postgres
