#pragma once
// The PostConfirmation trigger (cognito-wire.md §7.2, §7.3): PostConfirmation_ConfirmSignUp
// after ConfirmSignUp and AdminConfirmSignUp, PostConfirmation_ConfirmForgotPassword after
// ConfirmForgotPassword. The event's request is {userAttributes (the confirmed user's, with sub
// and cognito:user_status), clientMetadata?}; the answer's response is ignored.
//
// Failure and state. On Cognito a failing PostConfirmation function makes the call fail
// (UserLambdaValidationException ...); Cognate also leaves no partial state. The confirmation
// is saved first, so the function sees the user as confirmed (an AdminGetUser from inside it
// answers CONFIRMED, as on Cognito); when the trigger fails, the service undoes what it changed
// with an optimistic update of those fields only (status, the verified flag, the password
// fields), puts the spent code back so the same code can be tried again, and returns the
// trigger's error. Effects that cannot be undone (revoking refresh tokens, deleting the pending
// sign-up code) happen only after the trigger succeeded. Two limits: during the trigger call
// (at most the invoker's 5 s) the user is confirmed and could sign in; and an alias that
// ConfirmSignUp's ForceAliasCreation took from another user stays unverified on that user.

#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

#include "common/result.h"
#include "identity/user_directory.h"
#include "store/user_records.h"

namespace cognate::identity {

inline constexpr std::string_view kPostConfirmationSignUp = "PostConfirmation_ConfirmSignUp";
inline constexpr std::string_view kPostConfirmationForgotPassword =
    "PostConfirmation_ConfirmForgotPassword";

// True when the pool configures PostConfirmation.
bool PostConfirmationConfigured(const UserDirectory& directory, const PoolContext& pool);

// Sends PostConfirmation `trigger_source` for `confirmed` (the user as just saved); OK without
// a call when the pool does not configure the trigger. The invoker's errors pass through.
Status RunPostConfirmation(const UserDirectory& directory, const PoolContext& pool,
                           const store::UserRecord& confirmed, std::string_view trigger_source,
                           std::string_view client_id, const boost::json::object& client_metadata);

// The code row a confirmation is about to spend, kept so that it can be put back when
// PostConfirmation fails; std::nullopt when the pool has no PostConfirmation or there is no row.
Result<std::optional<store::CodeRecord>> CodeToRestore(const UserDirectory& directory,
                                                       const PoolContext& pool,
                                                       const store::UserRecord& user,
                                                       std::string_view purpose);

// Puts `spent` back, unless a code row for its user and purpose exists again (a new code was
// sent meanwhile and stays the valid one).
Status RestoreCode(const UserDirectory& directory, const store::CodeRecord& spent);

}  // namespace cognate::identity
