#pragma once
// The SQLite plumbing under every store: RAII handles, a per-connection cache of prepared
// statements, transactions, and the Database that owns one writer connection plus a small pool
// of readers. SQLite allows one writer at a time, so writes are serialised by a mutex in-process;
// WAL lets the readers run beside it. Connections are opened SQLITE_OPEN_NOMUTEX: each is used by
// one thread at a time, which the Database guarantees.

#include <sqlite3.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/result.h"
#include "metrics/server_metrics.h"

namespace cognate::store::sqlite {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;
using StmtHandle = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// An InternalErrorException naming the SQLite result code only: errmsg may quote values.
Error DbError(int rc);

// The constraint a write broke, for stores that answer "already exists" from the database's own
// check: a read beforehand would race with another writer.
enum class Violation { kNone, kPrimaryKey, kUnique, kForeignKey };

// A cached statement borrowed for one use; resets it and clears its bindings when destroyed so
// the next user starts clean and no read transaction is held open. Do not borrow the same SQL
// twice at once on one connection (they share the underlying statement).
class Statement {
 public:
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT) so temporaries are
  // safe. A bind failure is remembered and reported by the next Step.
  Statement& Bind(int index, std::string_view text);
  // Without this, a string literal would convert to bool rather than to string_view.
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, bool value) { return Bind(index, static_cast<int64_t>(value)); }
  // NULL when empty.
  Statement& Bind(int index, const std::optional<int64_t>& value);
  // Binds every argument in order starting at parameter 1.
  template <class... Args>
  Statement& BindAll(const Args&... args) {
    int index = 0;
    (Bind(++index, args), ...);
    return *this;
  }

  // True when a row is available, false when the statement is done.
  Result<bool> Step();
  // Steps to completion, for statements that return no rows.
  Status Run();
  // Rows changed by the last completed INSERT/UPDATE/DELETE on this connection.
  int64_t Changes() const { return sqlite3_changes64(db_); }
  // The extended result code of the last failed Step (SQLITE_OK when none failed).
  int error_code() const { return error_code_; }

  std::string Text(int column) const;
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::optional<int64_t> OptionalInt(int column) const;

 private:
  sqlite3_stmt* stmt_;  // Owned by the Connection's cache.
  sqlite3* db_;
  int bind_error_ = SQLITE_OK;
  int error_code_ = SQLITE_OK;
};

// One open database connection and its statement cache. Not thread-safe.
class Connection {
 public:
  enum class Role { kWriter, kReader };

  // Opens `path` and applies the connection PRAGMAs. Readers are also set query_only.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, Role role);

  // Prepares `sql` once (SQLITE_PREPARE_PERSISTENT) and hands out the cached statement after.
  // `sql` must be a single statement.
  Result<Statement> Prepare(std::string_view sql);
  // Runs one statement with `args` bound to ?1, ?2, ...; returns how many rows it changed
  // (cascaded deletes not counted).
  template <class... Args>
  Result<int64_t> Exec(std::string_view sql, const Args&... args);
  // As Exec, but a broken PRIMARY KEY, UNIQUE or FOREIGN KEY constraint comes back as which one
  // it was instead of an error. The statement then changed nothing; the transaction goes on.
  template <class... Args>
  Result<Violation> TryExec(std::string_view sql, const Args&... args);
  // Runs a query with `args` bound and maps every row with read(const Statement&).
  template <class F, class... Args>
  auto Query(std::string_view sql, F&& read, const Args&... args)
      -> Result<std::vector<std::invoke_result_t<F, const Statement&>>>;
  // As Query, for at most one row (lookups by key).
  template <class F, class... Args>
  auto QueryOne(std::string_view sql, F&& read, const Args&... args)
      -> Result<std::optional<std::invoke_result_t<F, const Statement&>>>;
  // Runs `sql`, which may hold several statements, without caching (migrations).
  Status ExecScript(const std::string& sql);
  // The first column of the first row of `sql` as text ("" when no row), for PRAGMA checks.
  Result<std::string> QueryText(std::string_view sql);

  sqlite3* raw() const { return db_.get(); }

 private:
  explicit Connection(DbHandle db) : db_(std::move(db)) {}

  // Lets the cache be searched by string_view without building a std::string.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>()(sql); }
  };

  DbHandle db_;
  // Declared after db_ so the statements are finalised before the connection closes.
  std::unordered_map<std::string, StmtHandle, SqlHash, std::equal_to<>> cache_;
};

// A transaction that rolls back unless committed, so an early return or an exception never
// leaves one open on a pooled connection.
class Transaction {
 public:
  enum class Mode { kDeferred, kImmediate };

  static Result<Transaction> Begin(Connection& conn, Mode mode);
  Transaction(Transaction&& other) noexcept : conn_(std::exchange(other.conn_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Status Commit();

 private:
  explicit Transaction(Connection* conn) : conn_(conn) {}
  Connection* conn_;  // Null once committed or rolled back.
};

class Database {
 public:
  static constexpr int kReaderCount = 4;

  // ":memory:" gets one connection serving both roles (a private in-memory database).
  static Result<std::shared_ptr<Database>> Open(const std::string& path);
  ~Database();

  // Runs fn(Connection&) -> Result<T> inside BEGIN IMMEDIATE on the writer and commits when it
  // succeeds; any error rolls the whole write back. fn must not call Read or Write itself: on
  // ":memory:" both take the same lock.
  template <class F>
  auto Write(F&& fn) -> std::invoke_result_t<F, Connection&>;

  // Runs fn(Connection&) -> Result<T> on a reader inside one read transaction, so several
  // statements see one snapshot.
  template <class F>
  auto Read(F&& fn) -> std::invoke_result_t<F, Connection&>;

 private:
  // A connection lent to one reader; returned to the pool (or the writer lock released) on
  // destruction.
  class Lease {
   public:
    Lease(Database* db, Connection* conn, std::unique_lock<std::mutex> writer_lock)
        : db_(db), conn_(conn), writer_lock_(std::move(writer_lock)) {}
    Lease(const Lease&) = delete;
    ~Lease();
    Connection& conn() const { return *conn_; }

   private:
    Database* db_;
    Connection* conn_;
    std::unique_lock<std::mutex> writer_lock_;  // Held only when readers share the writer.
  };

  Database() = default;
  Lease AcquireReader();

  std::mutex writer_mu_;
  std::unique_ptr<Connection> writer_;

  std::mutex readers_mu_;
  std::condition_variable reader_freed_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::vector<Connection*> idle_readers_;
};

template <class... Args>
Result<int64_t> Connection::Exec(std::string_view sql, const Args&... args) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return std::move(stmt).error();
  COGNATE_RETURN_IF_ERROR(stmt->BindAll(args...).Run());
  return stmt->Changes();
}

template <class... Args>
Result<Violation> Connection::TryExec(std::string_view sql, const Args&... args) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return std::move(stmt).error();
  Status run = stmt->BindAll(args...).Run();
  if (run.ok()) return Violation::kNone;
  // Extended codes: every connection is opened with SQLITE_OPEN_EXRESCODE.
  switch (stmt->error_code()) {
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Violation::kPrimaryKey;
    case SQLITE_CONSTRAINT_UNIQUE:
      return Violation::kUnique;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Violation::kForeignKey;
    default:
      return std::move(run).error();
  }
}

template <class F, class... Args>
auto Connection::Query(std::string_view sql, F&& read, const Args&... args)
    -> Result<std::vector<std::invoke_result_t<F, const Statement&>>> {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return std::move(stmt).error();
  stmt->BindAll(args...);
  std::vector<std::invoke_result_t<F, const Statement&>> rows;
  while (true) {
    auto more = stmt->Step();
    if (!more.ok()) return std::move(more).error();
    if (!*more) return rows;
    rows.push_back(read(std::as_const(*stmt)));
  }
}

template <class F, class... Args>
auto Connection::QueryOne(std::string_view sql, F&& read, const Args&... args)
    -> Result<std::optional<std::invoke_result_t<F, const Statement&>>> {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return std::move(stmt).error();
  stmt->BindAll(args...);
  auto found = stmt->Step();
  if (!found.ok()) return std::move(found).error();
  using Row = std::invoke_result_t<F, const Statement&>;
  if (!*found) return std::optional<Row>();
  return std::optional<Row>(read(std::as_const(*stmt)));
}

template <class F>
auto Database::Write(F&& fn) -> std::invoke_result_t<F, Connection&> {
  metrics::StoreCallTimer timer("sqlite", true);  // waiting for the writer included
  std::lock_guard<std::mutex> lock(writer_mu_);
  auto tx = Transaction::Begin(*writer_, Transaction::Mode::kImmediate);
  if (!tx.ok()) return std::move(tx).error();
  auto result = fn(*writer_);
  if (!result.ok()) return result;  // tx rolls back on scope exit.
  COGNATE_RETURN_IF_ERROR(tx->Commit());
  return result;
}

template <class F>
auto Database::Read(F&& fn) -> std::invoke_result_t<F, Connection&> {
  metrics::StoreCallTimer timer("sqlite", false);
  Lease lease = AcquireReader();
  auto tx = Transaction::Begin(lease.conn(), Transaction::Mode::kDeferred);
  if (!tx.ok()) return std::move(tx).error();
  auto result = fn(lease.conn());
  if (!result.ok()) return result;
  COGNATE_RETURN_IF_ERROR(tx->Commit());
  return result;
}

}  // namespace cognate::store::sqlite
