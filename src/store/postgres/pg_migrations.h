#pragma once
// The PostgreSQL schema, as versioned migrations (append only), and the runner that brings a
// database up to date. The schema matches the SQLite one (store/sqlite/migrations.cc) table for
// table; PostgreSQL starts at the SQLite schema's version 6 in a single migration.
//
// Several nodes may start at once: each migration and its schema_version row are written in one
// serializable transaction, so exactly one node applies it and the others, retried, find it
// done. Ids are compared as the database's collation orders TEXT; use the C collation (as
// scripts/postgres.sh does) so that listings page in the same order as on SQLite.

#include <cstdint>

#include "common/result.h"
#include "store/postgres/pg_database.h"

namespace cognate::store::postgres {

// The version the schema is at after Migrate.
int64_t LatestSchemaVersion();

// Applies every migration the database does not have yet. InternalErrorException when the
// database is newer than this build or a migration fails.
Status Migrate(Database& db);

}  // namespace cognate::store::postgres
