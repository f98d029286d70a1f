// SignInService: failed sign-in bookkeeping (cognito-wire.md §10.1). The counting itself is one
// atomic store update (UserStore::RecordSignInFailure), so concurrent wrong guesses all count.

#include "auth/sign_in_service.h"
#include "metrics/server_metrics.h"

namespace cognate::auth {

bool SignInService::IsLockedOut(const store::UserRecord& user) const {
  return user.locked_until_ms > clock_.NowMs();
}

Status SignInService::RecordFailure(const Call& call, const store::UserRecord& user) {
  auto updated = directory_.stores().users->RecordSignInFailure(
      call.pool.id(), user.username_key, clock_.NowMs(), lockout_.reset_after_ms,
      lockout_.threshold, lockout_.max_lock_ms);
  // A user deleted meanwhile still gets the answer a wrong password gets.
  if (!updated.ok() && !updated.error().Is("ResourceNotFoundException")) {
    return std::move(updated).error();
  }
  if (updated.ok() && IsLockedOut(*updated)) metrics::RecordLockout(call.pool.id());
  return OkStatus();
}

Status SignInService::ForgetFailures(const Call& call, const store::UserRecord& user) {
  if (user.failed_sign_ins == 0 && user.locked_until_ms == 0) return OkStatus();
  Status cleared =
      directory_.stores().users->ClearSignInFailures(call.pool.id(), user.username_key);
  if (!cleared.ok() && !cleared.error().Is("ResourceNotFoundException")) return cleared;
  return OkStatus();
}

}  // namespace cognate::auth
