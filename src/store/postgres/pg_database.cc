#include "store/postgres/pg_database.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <chrono>
#include <thread>

#include "metrics/server_metrics.h"

namespace cognate::store::postgres {
namespace {

// Internal only: a transaction the database asked to run again; never leaves this file.
constexpr std::string_view kRetryType = "cognate:RetryTransaction";
constexpr std::size_t kMaxParams = 64;

bool IsRetryState(std::string_view state) {
  return state == "40001" || state == "40P01" || state.starts_with("08") || state == "57P01";
}

Error DatabaseError(std::string_view what) {
  // The message names the failure but not the statement or parameters (which may be secrets).
  return Error::Make("InternalErrorException", "Database error: " + std::string(what), 500);
}

std::string ErrorLine(const char* text) {
  std::string s = text ? text : "";
  if (auto nl = s.find('\n'); nl != std::string::npos) s.resize(nl);
  return s;
}

}  // namespace

Param P(std::string_view text) { return std::string(text); }
Param P(const std::string& text) { return text; }
Param P(const char* text) { return std::string(text); }
Param P(int64_t value) { return std::to_string(value); }
Param P(int value) { return std::to_string(value); }
Param P(bool value) { return std::string(value ? "true" : "false"); }
Param P(const std::optional<int64_t>& value) {
  return value ? Param(std::to_string(*value)) : std::nullopt;
}

bool IsRetryable(const Error& error) { return error.type == kRetryType; }

Rows::Rows(PGresult* result) : result_(result) {}
Rows::Rows(Rows&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
Rows& Rows::operator=(Rows&& other) noexcept {
  if (this != &other) {
    if (result_) PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}
Rows::~Rows() {
  if (result_) PQclear(result_);
}
int Rows::size() const { return result_ ? PQntuples(result_) : 0; }
int64_t Rows::affected() const {
  const char* n = result_ ? PQcmdTuples(result_) : "";
  int64_t v = 0;
  std::from_chars(n, n + std::strlen(n), v);
  return v;
}
bool Rows::IsNull(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
std::string Rows::Text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<std::size_t>(PQgetlength(result_, row, column)));
}
int64_t Rows::Int(int row, int column) const {
  const char* v = PQgetvalue(result_, row, column);
  int64_t n = 0;
  std::from_chars(v, v + PQgetlength(result_, row, column), n);
  return n;
}
std::optional<int64_t> Rows::OptionalInt(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Int(row, column);
}
bool Rows::Bool(int row, int column) const {
  const char* v = PQgetvalue(result_, row, column);
  return v[0] == 't' || v[0] == '1';
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

bool Connection::Healthy() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

namespace {

// Statements worth preparing: the store's DML. DDL and transaction control run unnamed.
bool Preparable(std::string_view sql) {
  const auto start = sql.find_first_not_of(" \t\n");
  if (start == std::string_view::npos) return false;
  for (std::string_view verb : {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"}) {
    if (sql.size() - start >= verb.size() &&
        std::equal(verb.begin(), verb.end(), sql.begin() + start,
                   [](char a, char b) { return a == std::toupper(static_cast<unsigned char>(b)); })) {
      return true;
    }
  }
  return false;
}

}  // namespace

PGresult* Connection::ExecutePrepared(const std::string& sql,
                                      const std::vector<const char*>& values,
                                      bool* prepare_failed) {
  const int count = static_cast<int>(values.size());
  auto found = prepared_.find(sql);
  if (found == prepared_.end()) {
    if (!Preparable(sql) || prepared_.size() >= kMaxPrepared) {
      return PQexecParams(conn_, sql.c_str(), count, nullptr, values.data(), nullptr, nullptr, 0);
    }
    const std::string name = "cognate_" + std::to_string(prepared_.size() + 1);
    PGresult* prepared = PQprepare(conn_, name.c_str(), sql.c_str(), count, nullptr);
    if (!prepared || PQresultStatus(prepared) != PGRES_COMMAND_OK) {
      *prepare_failed = true;
      return prepared;
    }
    PQclear(prepared);
    found = prepared_.emplace(sql, name).first;
  }
  return PQexecPrepared(conn_, found->second.c_str(), count, values.data(), nullptr, nullptr, 0);
}

Error Connection::Failure(const PGresult* raw, std::string* sqlstate) const {
  const char* state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
  std::string code = state ? state : "";
  if (sqlstate) *sqlstate = code;
  if (IsRetryState(code) || !Healthy()) {
    return Error::Make(std::string(kRetryType), ErrorLine(PQerrorMessage(conn_)), 500);
  }
  return DatabaseError(code.empty() ? ErrorLine(PQerrorMessage(conn_)) : "SQLSTATE " + code);
}

Result<Rows> Connection::Run(std::string_view sql, const std::vector<Param>& params,
                             std::string* sqlstate) {
  if (params.size() > kMaxParams) return DatabaseError("too many parameters");
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
  bool prepare_failed = false;
  PGresult* raw = ExecutePrepared(std::string(sql), values, &prepare_failed);
  Rows rows(raw);
  ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (!prepare_failed && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)) return rows;
  return Failure(raw, sqlstate);
}

Result<Rows> Connection::Exec(std::string_view sql, const std::vector<Param>& params) {
  return Run(sql, params, nullptr);
}

Result<std::pair<Violation, std::optional<Rows>>> Connection::TryExec(
    std::string_view sql, const std::vector<Param>& params) {
  std::string state;
  Result<Rows> rows = Run(sql, params, &state);
  using Out = std::pair<Violation, std::optional<Rows>>;
  if (rows.ok()) return Out{Violation::kNone, std::move(*rows)};
  if (state == "23505") return Out{Violation::kUnique, std::nullopt};
  if (state == "23503") return Out{Violation::kForeignKey, std::nullopt};
  return std::move(rows).error();
}

Status Connection::ExecScript(std::string_view sql) {
  std::string text(sql);
  PGresult* raw = PQexec(conn_, text.c_str());
  Rows rows(raw);
  ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return OkStatus();
  return Failure(raw, nullptr);
}

Result<std::shared_ptr<Database>> Database::Open(const DatabaseOptions& options) {
  std::shared_ptr<Database> db(new Database(options));
  auto first = db->Connect();
  if (!first.ok()) return std::move(first).error();
  db->Release(std::move(*first));
  return db;
}

Database::~Database() = default;

Result<std::unique_ptr<Connection>> Database::Connect() const {
  // Keywords and values kept apart, so nothing in the URL is parsed twice.
  const std::string timeout = std::to_string(options_.connect_timeout_s);
  std::string statement = "-c statement_timeout=" +
                          std::to_string(options_.statement_timeout_ms) +
                          " -c default_transaction_isolation=serializable";
  if (!options_.schema.empty()) statement += " -c search_path=" + options_.schema;
  const char* keys[] = {"dbname", "connect_timeout", "options", "application_name", nullptr};
  const char* values[] = {options_.url.c_str(), timeout.c_str(), statement.c_str(), "cognate",
                          nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  auto owned = std::make_unique<Connection>(conn);
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    return DatabaseError("cannot connect: " + ErrorLine(conn ? PQerrorMessage(conn) : "no memory"));
  }
  // Server notices ("table does not exist, skipping") are not errors; keep them off stderr.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return owned;
}

Result<std::unique_ptr<Connection>> Database::Acquire() {
  {
    std::unique_lock lock(mu_);
    available_.wait(lock, [&] { return !idle_.empty() || open_ < options_.pool_size; });
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
    ++open_;
  }
  auto conn = Connect();
  if (!conn.ok()) {
    std::lock_guard lock(mu_);
    --open_;
    available_.notify_one();
  }
  return conn;
}

void Database::Release(std::unique_ptr<Connection> conn) {
  std::lock_guard lock(mu_);
  if (conn && conn->Healthy()) {
    idle_.push_back(std::move(conn));
    available_.notify_one();
    return;
  }
  // A dead connection usually means the server restarted or failed over, which killed the idle
  // ones too: drop them all, so the retries that follow open fresh connections instead of
  // finding each dead one in turn.
  open_ -= 1 + static_cast<int>(idle_.size());
  if (open_ < 0) open_ = 0;
  idle_.clear();
  available_.notify_all();
}

Status Database::Run(bool transaction, const std::function<Status(Connection&)>& fn) {
  metrics::StoreCallTimer timer("postgres", transaction);  // retries included
  Status last = OkStatus();
  for (int attempt = 0; attempt <= options_.max_retries; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5 << attempt));
    auto conn = Acquire();
    if (!conn.ok()) return std::move(conn).error();
    Status status = OkStatus();
    if (transaction) status = (*conn)->ExecScript("BEGIN");
    if (status.ok()) status = fn(**conn);
    if (transaction) {
      Status end = (*conn)->ExecScript(status.ok() ? "COMMIT" : "ROLLBACK");
      if (status.ok()) status = end;
    }
    Release(std::move(*conn));
    if (status.ok() || !IsRetryable(status.error())) return status;
    last = status;
  }
  return DatabaseError("transaction failed after retries: " + last.error().message);
}

Status Database::Write(const std::function<Status(Connection&)>& fn) { return Run(true, fn); }
Status Database::Read(const std::function<Status(Connection&)>& fn) { return Run(false, fn); }

}  // namespace cognate::store::postgres
