#include "store/sqlite/database.h"

#include <cctype>

namespace cognate::store::sqlite {
namespace {

// How long a statement waits for a lock held by another connection (or process) before
// failing with SQLITE_BUSY, which then surfaces as an internal error.
constexpr int kBusyTimeoutMs = 5000;

// Applied to every connection (journal_mode separately, to check its answer).
constexpr const char* kConnectionPragmas =
    "PRAGMA synchronous = FULL;"
    "PRAGMA foreign_keys = ON;";

bool OnlyWhitespace(const char* begin, const char* end) {
  for (const char* p = begin; p < end; ++p)
    if (!std::isspace(static_cast<unsigned char>(*p))) return false;
  return true;
}

}  // namespace

Error DbError(int rc) {
  return Error::Internal(std::string("Database error: ") + sqlite3_errstr(rc) + ".");
}

// ---- Statement ----

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      db_(other.db_),
      bind_error_(other.bind_error_),
      error_code_(other.error_code_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::Bind(int index, std::string_view text) {
  int rc =
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<int64_t>& value) {
  if (value.has_value()) return Bind(index, *value);
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_error_ != SQLITE_OK) return DbError(bind_error_);
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  error_code_ = rc;
  return DbError(rc);
}

Status Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return OkStatus();
  }
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column));
}

std::optional<int64_t> Statement::OptionalInt(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return Int(column);
}

// ---- Connection ----

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, Role role) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (role == Role::kWriter) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DbHandle db(raw);  // The handle exists (and must be closed) even when the open failed.
  if (rc != SQLITE_OK) return DbError(rc);
  std::unique_ptr<Connection> conn(new Connection(std::move(db)));

  // Set first so switching to WAL below waits out another process's lock too.
  rc = sqlite3_busy_timeout(conn->raw(), kBusyTimeoutMs);
  if (rc != SQLITE_OK) return DbError(rc);
  COGNATE_RETURN_IF_ERROR(conn->ExecScript(kConnectionPragmas));
  auto mode = conn->QueryText("PRAGMA journal_mode = WAL");
  if (!mode.ok()) return std::move(mode).error();
  // A private in-memory database reports "memory"; anything on disk must really be in WAL.
  const char* file = sqlite3_db_filename(conn->raw(), "main");
  bool on_disk = file != nullptr && file[0] != '\0';
  if (on_disk && *mode != "wal") return Error::Internal("Database error: WAL mode unavailable.");
  auto fk = conn->QueryText("PRAGMA foreign_keys");
  if (!fk.ok()) return std::move(fk).error();
  if (*fk != "1") return Error::Internal("Database error: foreign keys unsupported.");
  // Belt and braces: a reader can never write, whatever a store does with it.
  if (role == Role::kReader) COGNATE_RETURN_IF_ERROR(conn->ExecScript("PRAGMA query_only = ON;"));
  return conn;
}

Result<Statement> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    StmtHandle stmt(raw);
    if (rc != SQLITE_OK) return DbError(rc);
    if (!stmt || !OnlyWhitespace(tail, sql.data() + sql.size()))
      return Error::Internal("Database error: expected exactly one statement.");
    it = cache_.emplace(std::string(sql), std::move(stmt)).first;
  }
  return Statement(it->second.get(), db_.get());
}

Status Connection::ExecScript(const std::string& sql) {
  int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return DbError(rc);
  return OkStatus();
}

Result<std::string> Connection::QueryText(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return std::move(stmt).error();
  auto row = stmt->Step();
  if (!row.ok()) return std::move(row).error();
  return *row ? stmt->Text(0) : std::string();
}

// ---- Transaction ----

Result<Transaction> Transaction::Begin(Connection& conn, Mode mode) {
  auto stmt = conn.Prepare(mode == Mode::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  if (!stmt.ok()) return std::move(stmt).error();
  COGNATE_RETURN_IF_ERROR(stmt->Run());
  return Transaction(&conn);
}

Status Transaction::Commit() {
  auto stmt = conn_->Prepare("COMMIT");
  if (!stmt.ok()) return std::move(stmt).error();
  // On failure conn_ stays set, so the destructor rolls back what is left.
  COGNATE_RETURN_IF_ERROR(stmt->Run());
  conn_ = nullptr;
  return OkStatus();
}

Transaction::~Transaction() {
  // Some errors (e.g. SQLITE_FULL) already rolled back; ROLLBACK would then fail needlessly.
  if (conn_ == nullptr || sqlite3_get_autocommit(conn_->raw())) return;
  if (auto stmt = conn_->Prepare("ROLLBACK"); stmt.ok()) (void)stmt->Run();
}

// ---- Database ----

Result<std::shared_ptr<Database>> Database::Open(const std::string& path) {
  // NOMUTEX connections still need a threadsafe library (multi-thread mode).
  if (sqlite3_threadsafe() == 0) return Error::Internal("SQLite lacks thread support.");
  std::shared_ptr<Database> db(new Database());
  auto writer = Connection::Open(path, Connection::Role::kWriter);
  if (!writer.ok()) return std::move(writer).error();
  db->writer_ = std::move(writer).value();

  // A private database (":memory:" or "") is invisible to other connections: share the writer.
  const char* file = sqlite3_db_filename(db->writer_->raw(), "main");
  if (file == nullptr || file[0] == '\0') return db;
  for (int i = 0; i < kReaderCount; ++i) {
    auto reader = Connection::Open(path, Connection::Role::kReader);
    if (!reader.ok()) return std::move(reader).error();
    db->idle_readers_.push_back(reader->get());
    db->readers_.push_back(std::move(reader).value());
  }
  return db;
}

Database::~Database() = default;

Database::Lease Database::AcquireReader() {
  if (readers_.empty()) return Lease(this, writer_.get(), std::unique_lock<std::mutex>(writer_mu_));
  std::unique_lock<std::mutex> lock(readers_mu_);
  reader_freed_.wait(lock, [this] { return !idle_readers_.empty(); });
  Connection* conn = idle_readers_.back();
  idle_readers_.pop_back();
  return Lease(this, conn, std::unique_lock<std::mutex>());
}

Database::Lease::~Lease() {
  if (writer_lock_.owns_lock()) return;  // Shared writer: the lock releases itself.
  {
    std::lock_guard<std::mutex> lock(db_->readers_mu_);
    db_->idle_readers_.push_back(conn_);
  }
  db_->reader_freed_.notify_one();
}

}  // namespace cognate::store::sqlite
