// PoolDocumentStore on PostgreSQL. Uniqueness comes from the primary key and, for domains, from
// the partial unique index pool_documents_domains; documents go with their pool (ON DELETE
// CASCADE).

#include "store/postgres/pg_stores.h"

namespace cognate::store::postgres {
namespace {

constexpr const char* kSelectOne =
    "SELECT pool_id, kind, name, body_json, created_ms, modified_ms, version FROM pool_documents "
    "WHERE pool_id = $1 AND kind = $2 AND name = $3";
constexpr const char* kSelectInAnyPool =
    "SELECT pool_id, kind, name, body_json, created_ms, modified_ms, version FROM pool_documents "
    "WHERE kind = $1 AND name = $2 ORDER BY pool_id LIMIT 1";
constexpr const char* kSelectPage =
    "SELECT pool_id, kind, name, body_json, created_ms, modified_ms, version FROM pool_documents "
    "WHERE pool_id = $1 AND kind = $2 AND name > $3 ORDER BY name LIMIT $4";

PoolDocumentRecord ReadDocument(const Rows& rows, int row) {
  PoolDocumentRecord d;
  d.pool_id = rows.Text(row, 0);
  d.kind = rows.Text(row, 1);
  d.name = rows.Text(row, 2);
  d.body_json = rows.Text(row, 3);
  d.created_ms = rows.Int(row, 4);
  d.modified_ms = rows.Int(row, 5);
  d.version = rows.Int(row, 6);
  return d;
}

class PgPoolDocumentStore final : public PoolDocumentStore {
 public:
  explicit PgPoolDocumentStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<bool> CreateDocument(const PoolDocumentRecord& d) override {
    bool created = false;
    Status status = db_->Write([&](Connection& conn) -> Status {
      // Checked first so a missing pool is a 400, not a foreign-key failure (500).
      auto exists = PoolExists(conn, d.pool_id);
      if (!exists.ok()) return std::move(exists).error();
      if (!*exists) return PoolNotFound(d.pool_id);
      // DO NOTHING without a conflict target covers the primary key and the domain index alike,
      // and unlike a unique violation it leaves the transaction usable.
      auto inserted = conn.TryExec(
          "INSERT INTO pool_documents (pool_id, kind, name, body_json, created_ms, modified_ms) "
          "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
          {P(d.pool_id), P(d.kind), P(d.name), P(d.body_json), P(d.created_ms),
           P(d.modified_ms)});
      if (!inserted.ok()) return std::move(inserted).error();
      if (inserted->first != Violation::kNone) return UnexpectedViolation();
      created = inserted->second->affected() > 0;
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return created;
  }

  Result<std::optional<PoolDocumentRecord>> GetDocument(const std::string& pool_id,
                                                        const std::string& kind,
                                                        const std::string& name) override {
    return QueryOne(kSelectOne, {P(pool_id), P(kind), P(name)});
  }

  Result<std::optional<PoolDocumentRecord>> FindDocument(const std::string& kind,
                                                         const std::string& name) override {
    return QueryOne(kSelectInAnyPool, {P(kind), P(name)});
  }

  Status UpdateDocument(const PoolDocumentRecord& d) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec(
          "UPDATE pool_documents SET body_json = $4, modified_ms = $5, version = version + 1 "
          "WHERE pool_id = $1 AND kind = $2 AND name = $3 AND version = $6",
          {P(d.pool_id), P(d.kind), P(d.name), P(d.body_json), P(d.modified_ms), P(d.version)});
      if (!changed.ok()) return std::move(changed).error();
      if (changed->affected() > 0) return OkStatus();
      auto exists = conn.Exec(
          "SELECT 1 FROM pool_documents WHERE pool_id = $1 AND kind = $2 AND name = $3",
          {P(d.pool_id), P(d.kind), P(d.name)});
      if (!exists.ok()) return std::move(exists).error();
      if (exists->size() > 0) return Error::ConcurrentModification();
      return Error::NotFound(d.name + " does not exist.");
    });
  }

  Result<bool> DeleteDocument(const std::string& pool_id, const std::string& kind,
                              const std::string& name) override {
    bool deleted = false;
    Status status = db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec(
          "DELETE FROM pool_documents WHERE pool_id = $1 AND kind = $2 AND name = $3",
          {P(pool_id), P(kind), P(name)});
      if (!changed.ok()) return std::move(changed).error();
      deleted = changed->affected() > 0;
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return deleted;
  }

  Result<Page<PoolDocumentRecord>> ListDocuments(const std::string& pool_id,
                                                 const std::string& kind,
                                                 const std::string& after, int limit) override {
    if (limit <= 0) return Page<PoolDocumentRecord>{};
    std::vector<PoolDocumentRecord> documents;
    Status status = db_->Read([&](Connection& conn) -> Status {
      auto rows = conn.Exec(kSelectPage, {P(pool_id), P(kind), P(after), P(int64_t{limit} + 1)});
      if (!rows.ok()) return std::move(rows).error();
      documents = ReadAll(*rows, ReadDocument);
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return MakePage(std::move(documents), limit,
                    [](const PoolDocumentRecord& d) { return d.name; });
  }

 private:
  Result<std::optional<PoolDocumentRecord>> QueryOne(const char* sql,
                                                     const std::vector<Param>& params) {
    std::optional<PoolDocumentRecord> found;
    Status status = db_->Read([&](Connection& conn) -> Status {
      auto rows = conn.Exec(sql, params);
      if (!rows.ok()) return std::move(rows).error();
      found = rows->size() > 0 ? std::optional(ReadDocument(*rows, 0)) : std::nullopt;
      return OkStatus();
    });
    if (!status.ok()) return std::move(status).error();
    return found;
  }

  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<PoolDocumentStore> NewPoolDocumentStore(std::shared_ptr<Database> db) {
  return std::make_unique<PgPoolDocumentStore>(std::move(db));
}

}  // namespace cognate::store::postgres
