// PoolDocumentStore on SQLite. Uniqueness comes from the primary key and, for domains, from the
// partial unique index pool_documents_domains (migration 5); documents go with their pool.

#include "store/sqlite/sqlite_stores.h"

namespace cognate::store::sqlite {
namespace {

// Literal concatenation keeps each statement one constant text (statements are cached by it).
#define COGNATE_SELECT_DOCUMENTS \
  "SELECT pool_id, kind, name, body_json, created_ms, modified_ms, version FROM pool_documents "

PoolDocumentRecord ReadDocument(const Statement& row) {
  PoolDocumentRecord d;
  d.pool_id = row.Text(0);
  d.kind = row.Text(1);
  d.name = row.Text(2);
  d.body_json = row.Text(3);
  d.created_ms = row.Int(4);
  d.modified_ms = row.Int(5);
  d.version = row.Int(6);
  return d;
}

class SqlitePoolDocumentStore final : public PoolDocumentStore {
 public:
  explicit SqlitePoolDocumentStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<bool> CreateDocument(const PoolDocumentRecord& d) override {
    Result<bool> created = false;
    Status status = db_->Write([&](Connection& conn) -> Status {
      // Checked first so a missing pool is a 400, not a foreign-key failure (500).
      auto exists = PoolExists(conn, d.pool_id);
      if (!exists.ok()) return std::move(exists).error();
      if (!*exists) return PoolNotFound(d.pool_id);
      auto violation = conn.TryExec(
          "INSERT INTO pool_documents (pool_id, kind, name, body_json, created_ms, modified_ms) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
          d.pool_id, d.kind, d.name, d.body_json, d.created_ms, d.modified_ms);
      if (!violation.ok()) return std::move(violation).error();
      if (*violation == Violation::kForeignKey) return UnexpectedViolation();
      created = *violation == Violation::kNone;
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return created;
  }

  Result<std::optional<PoolDocumentRecord>> GetDocument(const std::string& pool_id,
                                                        const std::string& kind,
                                                        const std::string& name) override {
    return db_->Read([&](Connection& conn) {
      return conn.QueryOne(COGNATE_SELECT_DOCUMENTS "WHERE pool_id = ?1 AND kind = ?2 AND name = ?3", ReadDocument,
                           pool_id, kind, name);
    });
  }

  Result<std::optional<PoolDocumentRecord>> FindDocument(const std::string& kind,
                                                         const std::string& name) override {
    return db_->Read([&](Connection& conn) {
      return conn.QueryOne(COGNATE_SELECT_DOCUMENTS "WHERE kind = ?1 AND name = ?2 LIMIT 1", ReadDocument, kind,
                           name);
    });
  }

  Status UpdateDocument(const PoolDocumentRecord& d) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec(
          "UPDATE pool_documents SET body_json = ?4, modified_ms = ?5, version = version + 1 "
          "WHERE pool_id = ?1 AND kind = ?2 AND name = ?3 AND version = ?6",
          d.pool_id, d.kind, d.name, d.body_json, d.modified_ms, d.version);
      if (!changed.ok()) return std::move(changed).error();
      if (*changed > 0) return OkStatus();
      auto exists = conn.QueryOne(
          "SELECT 1 FROM pool_documents WHERE pool_id = ?1 AND kind = ?2 AND name = ?3",
          [](const Statement&) { return true; }, d.pool_id, d.kind, d.name);
      if (!exists.ok()) return std::move(exists).error();
      if (exists->has_value()) return Error::ConcurrentModification();
      return Error::NotFound(d.name + " does not exist.");
    });
  }

  Result<bool> DeleteDocument(const std::string& pool_id, const std::string& kind,
                              const std::string& name) override {
    Result<bool> deleted = false;
    Status status = db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec(
          "DELETE FROM pool_documents WHERE pool_id = ?1 AND kind = ?2 AND name = ?3", pool_id,
          kind, name);
      if (!changed.ok()) return std::move(changed).error();
      deleted = *changed > 0;
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return deleted;
  }

  Result<Page<PoolDocumentRecord>> ListDocuments(const std::string& pool_id,
                                                 const std::string& kind,
                                                 const std::string& after, int limit) override {
    if (limit <= 0) return Page<PoolDocumentRecord>{};
    auto rows = db_->Read([&](Connection& conn) {
      return conn.Query(
          COGNATE_SELECT_DOCUMENTS
          "WHERE pool_id = ?1 AND kind = ?2 AND name > ?3 ORDER BY name LIMIT ?4",
          ReadDocument, pool_id, kind, after, int64_t{limit} + 1);
    });
    if (!rows.ok()) return std::move(rows).error();
    return MakePage(std::move(rows).value(), limit,
                    [](const PoolDocumentRecord& d) { return d.name; });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<PoolDocumentStore> NewPoolDocumentStore(std::shared_ptr<Database> db) {
  return std::make_unique<SqlitePoolDocumentStore>(std::move(db));
}

}  // namespace cognate::store::sqlite
