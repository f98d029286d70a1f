#pragma once
// Password history (Policies.PasswordPolicy.PasswordHistorySize, 0..24): a new password may not
// equal any of the user's last n passwords, the current one included, at ChangePassword,
// ConfirmForgotPassword, AdminSetUserPassword (temporary or permanent) and the
// NEW_PASSWORD_REQUIRED answer; the refusal is PasswordHistoryPolicyViolationException.
//
// What is kept: the Argon2id hashes of the passwords a user had before the current one
// (UserRecord::password_history_json, a JSON array, newest first), never a password. They are
// kept at every password set whatever the pool's size, up to kMaxPasswordHistorySize - 1, so that
// with the current hash the largest size can always be enforced and raising the size takes effect
// at once. Lowering it rewrites nothing: only the first n are consulted.
//
// Cost: one Argon2id verify (~45 ms) per consulted hash, at most 24, stopping at the first match.
// Every caller runs on the worker pool (the actions are registered with Execution::kWorker).

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/password_hasher.h"
#include "common/result.h"
#include "store/user_records.h"

namespace cognate::identity {

// The API's upper bound for PasswordHistorySize: the current password and 23 before it.
inline constexpr int64_t kMaxPasswordHistorySize = 24;

// The pool's PasswordHistorySize, 0 when absent (clamped to 0..kMaxPasswordHistorySize).
int64_t PasswordHistorySize(const boost::json::object& pool_config);

// The stored hashes, newest first; malformed text or entries read as none (the history is a
// safeguard, not a reason to refuse every password). At most kMaxPasswordHistorySize - 1.
std::vector<std::string> ParsePasswordHistory(std::string_view stored_json);

// OK unless `password` matches the current password of `user` or one of the previous ones, n in
// all (n = the pool's PasswordHistorySize); then PasswordHistoryPolicyViolationException.
Status CheckPasswordHistory(const auth::PasswordHasher& hasher,
                            const boost::json::object& pool_config, const store::UserRecord& user,
                            std::string_view password);

// Moves the current hash of `user` to the front of its history before `new_hash` replaces it
// (nothing when there is no current hash or it is `new_hash`); trims to the bound.
void RememberCurrentPassword(store::UserRecord& user, std::string_view new_hash);

}  // namespace cognate::identity
