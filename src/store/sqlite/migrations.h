#pragma once
// Versioned schema. Migration N (1-based) is Migrations()[N - 1]; the schema_version table holds
// one row per applied migration. To change the schema, append a migration to the list in
// migrations.cc; never edit one that has shipped.

#include <cstdint>
#include <span>

#include "common/result.h"
#include "store/sqlite/database.h"

namespace cognate::store::sqlite {

// Every migration, oldest first. Each may hold several statements.
std::span<const char* const> Migrations();

// Applies every pending migration, in order, inside one write transaction, so a failure leaves
// the schema as it was. Fails when the database is newer than this build knows.
Status Migrate(Database& db);

// The highest applied migration; 0 for a fresh database. Needs schema_version to exist.
Result<int64_t> SchemaVersion(Connection& conn);

}  // namespace cognate::store::sqlite
