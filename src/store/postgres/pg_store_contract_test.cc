// The store contract (store/store_contract_test.h) against PostgreSQL: the server in
// COGNATE_TEST_POSTGRES_URL (scripts/test.sh starts one), each test in a fresh schema of its own.
// Skipped when the variable is not set.

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "crypto/random.h"
#include "store/postgres/pg_open.h"
#include "store/store_contract_test.h"

namespace cognate::store::contract {
namespace {

using postgres::Connection;
using postgres::Database;
using postgres::DatabaseOptions;

const char* ServerUrl() { return std::getenv("COGNATE_TEST_POSTGRES_URL"); }

std::string Unavailable() {
  const char* url = ServerUrl();
  return url != nullptr && *url != '\0' ? "" : "COGNATE_TEST_POSTGRES_URL is not set";
}

Stores OpenFreshSchema(const std::string&) {
  std::string schema = "contract_" + crypto::RandomUuid();
  for (char& c : schema)
    if (c == '-') c = '_';
  DatabaseOptions admin_options;
  admin_options.url = ServerUrl();
  admin_options.pool_size = 1;
  auto admin = Database::Open(admin_options);
  if (!admin.ok()) throw std::runtime_error(admin.error().message);
  Status created =
      (*admin)->Write([&](Connection& c) { return c.ExecScript("CREATE SCHEMA " + schema); });
  if (!created.ok()) throw std::runtime_error(created.error().message);
  DatabaseOptions options;
  options.url = ServerUrl();
  options.schema = schema;
  options.pool_size = 4;
  return postgres::Open(options);
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreContractTest,
                         ::testing::Values(StoreBackend{"Postgres", OpenFreshSchema,
                                                                  Unavailable}),
                         StoreBackendName);

}  // namespace
}  // namespace cognate::store::contract
