#pragma once
// The SQLite implementations of the store interfaces, and the few helpers they share.
// Internal to store/sqlite: everyone else goes through Open() in open.h.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/database.h"
#include "store/paging.h"
#include "store/stores.h"

namespace cognate::store::sqlite {

std::unique_ptr<PoolStore> NewPoolStore(std::shared_ptr<Database> db);
std::unique_ptr<ClientStore> NewClientStore(std::shared_ptr<Database> db);
std::unique_ptr<KeyStore> NewKeyStore(std::shared_ptr<Database> db);
std::unique_ptr<AccessKeyStore> NewAccessKeyStore(std::shared_ptr<Database> db);
std::unique_ptr<UserStore> NewUserStore(std::shared_ptr<Database> db);
std::unique_ptr<CodeStore> NewCodeStore(std::shared_ptr<Database> db);
std::unique_ptr<RefreshTokenStore> NewRefreshTokenStore(std::shared_ptr<Database> db);
std::unique_ptr<GroupStore> NewGroupStore(std::shared_ptr<Database> db);
std::unique_ptr<PoolDocumentStore> NewPoolDocumentStore(std::shared_ptr<Database> db);
std::unique_ptr<DataKeyStore> NewDataKeyStore(std::shared_ptr<Database> db);
std::unique_ptr<AuthEventStore> NewAuthEventStore(std::shared_ptr<Database> db);

// Checked inside the caller's write transaction, so the answer holds until it commits.
Result<bool> PoolExists(Connection& conn, const std::string& pool_id);
// Shared by CreatePool (keys of a new pool) and AddKey (rotation).
Status InsertKey(Connection& conn, const SigningKeyRecord& key);

Result<bool> UserExists(Connection& conn, const std::string& pool_id,
                        const std::string& username_key);
// The users columns in the order ReadUser reads them, qualified by "u." for joins.
inline constexpr const char* kUserColumns =
    "u.pool_id, u.username_key, u.username, u.sub, u.status, u.enabled, u.password_hash, "
    "u.attributes_json, u.created_ms, u.modified_ms, u.password_changed_ms, "
    "u.tokens_valid_after_ms, u.failed_sign_ins, u.last_failure_ms, u.locked_until_ms, u.version, "
    "u.srp_verifier_sealed, u.mfa_json, u.password_history";
UserRecord ReadUser(const Statement& row);
// A constraint the statement was not expected to break: a plain database error (500).
Error UnexpectedViolation();

}  // namespace cognate::store::sqlite
