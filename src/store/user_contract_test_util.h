#pragma once
// Records and checks shared by the user-domain contract tests (users; codes and refresh tokens;
// groups). They run in StoreContractTest, so every backend gets them.

#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "store/stores.h"

namespace cognate::store::contract {

inline constexpr const char* kPool = "us-east-1_USERS0000";
inline constexpr const char* kOtherPool = "us-east-1_OTHER0000";
inline constexpr const char* kNotFound = "ResourceNotFoundException";

inline AppClientRecord MakeClient(const std::string& pool_id, const std::string& client_id) {
  return {.pool_id = pool_id,
          .client_id = client_id,
          .name = "client " + client_id,
          .secret_sealed = "v1.sealed-" + client_id,
          .created_ms = 2000,
          .modified_ms = 2000,
          .config_json = R"({"ExplicitAuthFlows":["ALLOW_REFRESH_TOKEN_AUTH"]})"};
}

// Creates kPool and kOtherPool, empty.
inline void CreatePools(Stores& stores) {
  for (const char* id : {kPool, kOtherPool}) {
    UserPoolRecord pool{
        .id = id, .name = "users", .created_ms = 1, .modified_ms = 1, .config_json = "{}"};
    ASSERT_TRUE(stores.pools->CreatePool(pool, {}).ok());
  }
}

// A confirmed user whose username_key is `key` (username in capitals, as if the pool were case
// insensitive) and whose sub is derived from it.
inline UserRecord MakeUser(const std::string& pool_id, const std::string& key) {
  std::string username = key;
  for (char& c : username) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return {.pool_id = pool_id,
          .username_key = key,
          .username = username,
          .sub = "0f0e0d0c-" + key,
          .status = "CONFIRMED",
          .enabled = true,
          .password_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA",
          .attributes_json = R"({"email":")" + key + R"(@example.com"})",
          .created_ms = 1000,
          .modified_ms = 1000,
          .password_changed_ms = 1000,
          .tokens_valid_after_ms = 0};
}

// CreatePools, then users "ann" and "ben" in kPool.
inline void CreateUsers(Stores& stores) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores));
  for (const char* name : {"ann", "ben"})
    ASSERT_TRUE(stores.users->CreateUser(MakeUser(kPool, name), {}).ok());
}

inline UserKey Email(const std::string& value) { return {"email", value}; }
inline UserKey Phone(const std::string& value) { return {"phone_number", value}; }

inline CodeRecord MakeCode(const std::string& pool_id, const std::string& user,
                           const std::string& purpose, const std::string& hash,
                           int64_t expires_ms = 10'000) {
  return {.pool_id = pool_id,
          .username_key = user,
          .purpose = purpose,
          .code_hash = hash,
          .created_ms = 1000,
          .expires_ms = expires_ms,
          .failed_attempts = 0,
          .window_ms = 500,
          .sends_in_window = 1};
}

inline RefreshTokenRecord MakeToken(const std::string& pool_id, const std::string& user,
                                    const std::string& hash, const std::string& origin) {
  return {.token_hash = hash,
          .pool_id = pool_id,
          .client_id = "client0000000000000000000a",
          .username_key = user,
          .origin_jti = origin,
          .auth_time_s = 1,
          .created_ms = 1000,
          .expires_ms = 1'000'000,
          .revoked = false,
          .rotated_ms = 0,
          .scope = ""};
}

inline GroupRecord MakeGroup(const std::string& pool_id, const std::string& name,
                             std::optional<int64_t> precedence = std::nullopt) {
  return {.pool_id = pool_id,
          .name = name,
          .description = "group " + name,
          .role_arn = "arn:aws:iam::123456789012:role/" + name,
          .precedence = precedence,
          .created_ms = 3000,
          .modified_ms = 3000};
}

// Every field but version (which the store owns).
inline auto Fields(const UserRecord& r) {
  return std::tie(r.pool_id, r.username_key, r.username, r.sub, r.status, r.enabled,
                  r.password_hash, r.attributes_json, r.created_ms, r.modified_ms,
                  r.password_changed_ms, r.tokens_valid_after_ms, r.failed_sign_ins,
                  r.last_failure_ms, r.locked_until_ms);
}
inline auto Fields(const CodeRecord& r) {
  return std::tie(r.pool_id, r.username_key, r.purpose, r.code_hash, r.created_ms, r.expires_ms,
                  r.failed_attempts, r.window_ms, r.sends_in_window);
}
inline auto Fields(const RefreshTokenRecord& r) {
  return std::tie(r.token_hash, r.pool_id, r.client_id, r.username_key, r.origin_jti, r.auth_time_s,
                  r.created_ms, r.expires_ms, r.revoked, r.rotated_ms, r.scope);
}
inline auto Fields(const GroupRecord& r) {
  return std::tie(r.pool_id, r.name, r.description, r.role_arn, r.precedence, r.created_ms,
                  r.modified_ms);
}

template <class T>
void ExpectError(const Result<T>& result, const std::string& type, const std::string& message) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().type, type);
  EXPECT_EQ(result.error().message, message);
  EXPECT_EQ(result.error().http_status, 400);
}

inline std::vector<std::string> UserKeys(const std::vector<UserRecord>& users) {
  std::vector<std::string> keys;
  for (const UserRecord& user : users) keys.push_back(user.username_key);
  return keys;
}

inline std::vector<std::string> GroupNames(const std::vector<GroupRecord>& groups) {
  std::vector<std::string> names;
  for (const GroupRecord& group : groups) names.push_back(group.name);
  return names;
}

}  // namespace cognate::store::contract
