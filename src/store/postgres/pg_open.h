#pragma once
// Opens the PostgreSQL store: connects (pool of `options.pool_size`), migrates the schema, and
// returns every store over the one connection pool. Throws std::runtime_error when the database
// cannot be reached or migrated (start-up only).

#include "store/postgres/pg_database.h"
#include "store/stores.h"

namespace cognate::store::postgres {

Stores Open(const DatabaseOptions& options);

}  // namespace cognate::store::postgres
