#pragma once
// Store interfaces of the user domain. Same contract as stores.h: thread-safe, every successful
// write durable, InternalErrorException (500) for database failures, optimistic updates
// (ConcurrentModificationException when the record's version moved on).

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/records.h"
#include "store/user_records.h"

namespace cognate::store {

class UserStore {
 public:
  virtual ~UserStore() = default;
  // Inserts the user and its keys in one transaction. The database enforces uniqueness:
  // UsernameExistsException "User already exists" when (pool, username_key) is taken;
  // AliasExistsException "An account with the given <kind> already exists." when a key is.
  // ResourceNotFoundException when the pool does not exist.
  virtual Status CreateUser(const UserRecord& user, const std::vector<UserKey>& keys) = 0;
  // Bulk imports: the users in one transaction, each as CreateUser would insert it, a refused
  // user (taken username or alias, missing pool) not stopping the others. One Status per user,
  // in order. Any other error (the database, a repeated sub) fails the whole batch and inserts
  // nothing; the caller may then insert its users one by one.
  virtual Result<std::vector<Status>> CreateUsers(const std::vector<NewUser>& users) = 0;
  virtual Result<std::optional<UserRecord>> GetUser(const std::string& pool_id,
                                                    const std::string& username_key) = 0;
  // The user holding a key (alias / username attribute), if any.
  virtual Result<std::optional<UserRecord>> FindByKey(const std::string& pool_id,
                                                      const UserKey& key) = 0;
  virtual Result<std::optional<UserRecord>> FindBySub(const std::string& pool_id,
                                                      const std::string& sub) = 0;
  virtual Result<std::vector<UserKey>> GetKeys(const std::string& pool_id,
                                               const std::string& username_key) = 0;
  // Optimistic update of every mutable field. When `keys` is given, the user's keys are
  // replaced by it in the same transaction (AliasExistsException when one is taken by another
  // user; `release_taken` first removes such keys from their holder instead, as
  // ForceAliasCreation does). ResourceNotFoundException when the user is gone.
  virtual Status UpdateUser(const UserRecord& user, const std::vector<UserKey>* keys = nullptr,
                            bool release_taken = false) = 0;
  // Deletes the user with its keys, codes, refresh tokens and group memberships.
  // ResourceNotFoundException when absent.
  virtual Status DeleteUser(const std::string& pool_id, const std::string& username_key) = 0;
  // Users with username_key > after, ascending, at most `limit`.
  virtual Result<Page<UserRecord>> ListUsers(const std::string& pool_id, const std::string& after,
                                             int limit) = 0;
  virtual Result<int64_t> CountUsers(const std::string& pool_id) = 0;
  // Counts a failed sign-in atomically and returns the updated user; the caller decides the
  // lockout (locked_until_ms) and stores it with the same call. Not version-checked, but it
  // bumps the version, so an UpdateUser based on an earlier read cannot undo the count.
  virtual Result<UserRecord> RecordSignInFailure(const std::string& pool_id,
                                                 const std::string& username_key, int64_t now_ms,
                                                 int64_t reset_after_ms,
                                                 int64_t lock_threshold,
                                                 int64_t max_lock_ms) = 0;
  // Clears the failure counter and lockout (a successful sign-in). Not version-checked; bumps
  // the version as RecordSignInFailure does.
  virtual Status ClearSignInFailures(const std::string& pool_id,
                                     const std::string& username_key) = 0;
};

class CodeStore {
 public:
  virtual ~CodeStore() = default;
  // Stores the code for (pool, user, purpose), replacing a previous one (its send window is
  // carried over from `code`, which the caller computed from GetCode).
  virtual Status PutCode(const CodeRecord& code) = 0;
  virtual Result<std::optional<CodeRecord>> GetCode(const std::string& pool_id,
                                                    const std::string& username_key,
                                                    const std::string& purpose) = 0;
  // Deletes the code only if its hash is `code_hash` and it has not expired at `now_ms`: true
  // when this call consumed it (so a code is used once, even by racing requests).
  virtual Result<bool> ConsumeCode(const std::string& pool_id, const std::string& username_key,
                                   const std::string& purpose, const std::string& code_hash,
                                   int64_t now_ms) = 0;
  // Adds one failed attempt and returns the new count (0 when there is no code).
  virtual Result<int64_t> AddFailedAttempt(const std::string& pool_id,
                                           const std::string& username_key,
                                           const std::string& purpose) = 0;
  virtual Status DeleteCode(const std::string& pool_id, const std::string& username_key,
                            const std::string& purpose) = 0;
  // Housekeeping: deletes at most `limit` codes that expired before `now_ms` and whose send
  // window started before `window_cutoff_ms` (so the send rate survives the purge). Returns
  // how many went.
  virtual Result<int64_t> PurgeExpiredCodes(int64_t now_ms, int64_t window_cutoff_ms,
                                            int limit) = 0;
};

class RefreshTokenStore {
 public:
  virtual ~RefreshTokenStore() = default;
  virtual Status PutRefreshToken(const RefreshTokenRecord& token) = 0;
  virtual Result<std::optional<RefreshTokenRecord>> GetRefreshToken(
      const std::string& token_hash) = 0;
  // Rotation: marks `old_hash` rotated at `now_ms` and inserts `replacement`, atomically.
  // False when `old_hash` was already rotated or revoked (the caller applies the grace period).
  virtual Result<bool> RotateRefreshToken(const std::string& old_hash, int64_t now_ms,
                                          const RefreshTokenRecord& replacement) = 0;
  // Revokes every refresh token of a sign-in session and remembers the origin as revoked
  // (access tokens carrying it are refused) until `keep_until_ms`.
  virtual Status RevokeOrigin(const std::string& pool_id, const std::string& origin_jti,
                              int64_t keep_until_ms) = 0;
  virtual Result<bool> IsOriginRevoked(const std::string& pool_id,
                                       const std::string& origin_jti) = 0;
  // Revokes every refresh token of a user and every sign-in session (origin) they belong to
  // (GlobalSignOut).
  virtual Status RevokeUserTokens(const std::string& pool_id, const std::string& username_key) = 0;
  // Housekeeping: deletes at most `limit` refresh tokens that expired before `now_ms` and at
  // most `limit` revoked origins kept until before it. Returns how many rows went.
  virtual Result<int64_t> PurgeExpiredTokens(int64_t now_ms, int limit) = 0;
};

class GroupStore {
 public:
  virtual ~GroupStore() = default;
  // GroupExistsException "A group with the name <name> already exists." when taken;
  // ResourceNotFoundException when the pool does not exist.
  virtual Status CreateGroup(const GroupRecord& group) = 0;
  virtual Result<std::optional<GroupRecord>> GetGroup(const std::string& pool_id,
                                                      const std::string& name) = 0;
  // Replaces description, role_arn, precedence, modified_ms. ResourceNotFoundException.
  virtual Status UpdateGroup(const GroupRecord& group) = 0;
  // Deletes the group and its memberships. ResourceNotFoundException when absent.
  virtual Status DeleteGroup(const std::string& pool_id, const std::string& name) = 0;
  virtual Result<Page<GroupRecord>> ListGroups(const std::string& pool_id, const std::string& after,
                                               int limit) = 0;
  // Idempotent. ResourceNotFoundException when the group or the user does not exist.
  virtual Status AddMember(const std::string& pool_id, const std::string& group,
                           const std::string& username_key) = 0;
  virtual Status RemoveMember(const std::string& pool_id, const std::string& group,
                              const std::string& username_key) = 0;
  // Groups of a user ordered by name (page by name).
  virtual Result<Page<GroupRecord>> ListGroupsForUser(const std::string& pool_id,
                                                      const std::string& username_key,
                                                      const std::string& after, int limit) = 0;
  // Members of a group ordered by username_key (page by username_key).
  virtual Result<Page<UserRecord>> ListUsersInGroup(const std::string& pool_id,
                                                    const std::string& group,
                                                    const std::string& after, int limit) = 0;
};

}  // namespace cognate::store
