#pragma once
// The PostgreSQL implementations of the store interfaces (store/stores.h, store/user_stores.h),
// and the few helpers they share. Internal to store/postgres: everyone else goes through Open()
// in pg_open.h. Each mirrors its SQLite counterpart in store/sqlite/ statement for statement,
// with PostgreSQL's placeholders ($1...) and types (BIGINT, BOOLEAN); behaviour and error
// wording are the contract's (store/*_contract_test.cc), run against both backends.

#include <memory>
#include <string>
#include <vector>

#include "store/postgres/pg_database.h"
#include "store/paging.h"
#include "store/stores.h"

namespace cognate::store::postgres {

// Every row of `rows` read with read(rows, row).
template <class Read>
auto ReadAll(const Rows& rows, Read read) {
  std::vector<decltype(read(rows, 0))> out;
  out.reserve(rows.size());
  for (int i = 0; i < rows.size(); ++i) out.push_back(read(rows, i));
  return out;
}

std::unique_ptr<PoolStore> NewPoolStore(std::shared_ptr<Database> db);
std::unique_ptr<ClientStore> NewClientStore(std::shared_ptr<Database> db);
std::unique_ptr<KeyStore> NewKeyStore(std::shared_ptr<Database> db);
std::unique_ptr<AccessKeyStore> NewAccessKeyStore(std::shared_ptr<Database> db);
std::unique_ptr<PoolDocumentStore> NewPoolDocumentStore(std::shared_ptr<Database> db);
std::unique_ptr<DataKeyStore> NewDataKeyStore(std::shared_ptr<Database> db);
std::unique_ptr<UserStore> NewUserStore(std::shared_ptr<Database> db);
std::unique_ptr<CodeStore> NewCodeStore(std::shared_ptr<Database> db);
std::unique_ptr<RefreshTokenStore> NewRefreshTokenStore(std::shared_ptr<Database> db);
std::unique_ptr<GroupStore> NewGroupStore(std::shared_ptr<Database> db);
std::unique_ptr<AuthEventStore> NewAuthEventStore(std::shared_ptr<Database> db);

// Checked inside the caller's transaction, so the answer holds until it commits.
Result<bool> PoolExists(Connection& conn, const std::string& pool_id);
Result<bool> UserExists(Connection& conn, const std::string& pool_id,
                        const std::string& username_key);
// A constraint the statement was not expected to break: a plain database error (500).
Error UnexpectedViolation();

}  // namespace cognate::store::postgres
