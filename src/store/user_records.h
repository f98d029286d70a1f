#pragma once
// Records of the user domain as the stores keep them. Times are epoch milliseconds.
// "username_key" is the username as the pool compares it: lowercased (ASCII and UTF-8 simple
// case folding is left to identity/) when UsernameConfiguration.CaseSensitive is false, else as
// given. Alias values are keyed the same way by identity/ before they reach a store.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cognate::store {

struct UserRecord {
  std::string pool_id;
  std::string username_key;     // Unique per pool; what lookups use.
  std::string username;         // As created (what Cognito returns as Username).
  std::string sub;              // UUID, unique per pool, immutable.
  std::string status;           // UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED...
  bool enabled = true;
  std::string password_hash;    // Argon2id encoded string ("$argon2id$..."); empty when none.
  std::string attributes_json;  // {"email":"a@b.c","email_verified":"true",...}: Cognito's
                                // wire form, every value a string; excludes "sub".
  int64_t created_ms = 0;
  int64_t modified_ms = 0;
  int64_t password_changed_ms = 0;      // Temporary-password expiry counts from here.
  int64_t tokens_valid_after_ms = 0;    // GlobalSignOut: tokens issued before are refused.
  int64_t failed_sign_ins = 0;          // Consecutive failures (lockout).
  int64_t last_failure_ms = 0;
  int64_t locked_until_ms = 0;
  int64_t version = 0;                  // Optimistic concurrency, as for pools (stores.h).
  std::string srp_verifier_sealed{};    // KEK-sealed SRP salt and verifier (USER_SRP_AUTH);
                                        // empty until a password is set after migration 2.
  std::string mfa_json = "{}";          // MFA settings and factors (identity/user_mfa.h);
                                        // TOTP secrets inside are KEK-sealed.
  std::string password_history_json = "[]";  // Argon2id hashes of the passwords before the
                                             // current one, newest first, at most 23
                                             // (identity/password_history.h).
};

// A unique sign-in key of a user besides its username: a verified alias (AliasAttributes) or
// the email/phone used as username (UsernameAttributes). kind: "email", "phone_number",
// "preferred_username". Unique per (pool, kind, value_key).
struct UserKey {
  std::string kind;
  std::string value_key;
  bool operator==(const UserKey&) const = default;
};

// A user to create with its keys (UserStore::CreateUsers).
struct NewUser {
  UserRecord user;
  std::vector<UserKey> keys;
};

// A one-time code (confirmation, reset, attribute verification). Only a hash is stored.
struct CodeRecord {
  std::string pool_id;
  std::string username_key;
  std::string purpose;       // "signup", "reset", "verify:email", "verify:phone_number"
  std::string code_hash;     // Hex SHA-256 of "<pool>|<user>|<purpose>|<code>".
  int64_t created_ms = 0;
  int64_t expires_ms = 0;
  int64_t failed_attempts = 0;
  // Send-rate window, kept across code replacements: how many codes were sent since window_ms.
  int64_t window_ms = 0;
  int64_t sends_in_window = 0;
};

// A refresh token: only its hash is stored. Tokens of one sign-in share origin_jti.
struct RefreshTokenRecord {
  std::string token_hash;    // Hex SHA-256 of the opaque token.
  std::string pool_id;
  std::string client_id;
  std::string username_key;
  std::string origin_jti;    // The sign-in session: shared by every token it produced.
  int64_t auth_time_s = 0;   // Original authentication time (auth_time claim), seconds.
  int64_t created_ms = 0;
  int64_t expires_ms = 0;
  bool revoked = false;
  int64_t rotated_ms = 0;    // When a rotation replaced it (GetTokensFromRefreshToken); 0 = current.
  // Scopes granted by the OAuth 2.0 authorization (space-separated), which refreshed tokens
  // keep; "" for a sign-in through the API (aws.cognito.signin.user.admin).
  std::string scope;
};

struct GroupRecord {
  std::string pool_id;
  std::string name;
  std::string description;
  std::string role_arn;
  std::optional<int64_t> precedence;
  int64_t created_ms = 0;
  int64_t modified_ms = 0;
};

}  // namespace cognate::store
