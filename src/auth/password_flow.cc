// SignInService: USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH (alias ADMIN_NO_SRP_AUTH).

#include <utility>

#include "auth/sign_in_service.h"
#include "identity/json_fields.h"
#include "identity/password_setter.h"
#include "identity/retry.h"
#include "identity/secret_hash.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;
constexpr int64_t kDefaultTemporaryPasswordDays = 7;

// Policies.PasswordPolicy.TemporaryPasswordValidityDays; 0 or absent means 7, as on Cognito.
int64_t TemporaryPasswordDays(const json::object& pool_config) {
  const json::object* policies = identity::GetObject(pool_config, "Policies");
  const json::object* policy =
      policies ? identity::GetObject(*policies, "PasswordPolicy") : nullptr;
  int64_t days =
      policy ? identity::GetInt(*policy, "TemporaryPasswordValidityDays").value_or(0) : 0;
  return days > 0 ? days : kDefaultTemporaryPasswordDays;
}

}  // namespace

Result<json::object> SignInService::PasswordFlow(const Call& call, const json::object& params,
                                                 bool admin_flow) {
  if (admin_flow && !FlowAllowed(call, "ALLOW_ADMIN_USER_PASSWORD_AUTH")) {
    return Error::InvalidParameter("Auth flow not enabled for this client");
  }
  if (!admin_flow && !FlowAllowed(call, "ALLOW_USER_PASSWORD_AUTH")) {
    return Error::InvalidParameter("USER_PASSWORD_AUTH flow not enabled for this client");
  }
  std::optional<std::string> username = identity::GetString(params, "USERNAME");
  if (!username || username->empty()) return MissingParameter("USERNAME");
  std::optional<std::string> password = identity::GetString(params, "PASSWORD");
  if (!password || password->empty()) return MissingParameter("PASSWORD");
  COGNATE_RETURN_IF_ERROR(identity::CheckSecretHash(call.client.id(), call.client.secret, *username,
                                                    identity::GetString(params, "SECRET_HASH")));
  Result<store::UserRecord> user = CheckPassword(call, *username, *password, true);
  if (!user.ok()) return std::move(user).error();
  return FinishSignIn(call, *user);
}

Result<store::UserRecord> SignInService::CheckPassword(const Call& call, std::string_view username,
                                                       std::string_view password, bool migrate) {
  auto found = directory_.Find(call.pool, username);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value() && migrate &&
      directory_.triggers().Configured(call.pool.config, triggers::Trigger::kUserMigration)) {
    auto migrated = MigrateUser(call, username, password);
    if (!migrated.ok()) return std::move(migrated).error();
    if (migrated->has_value()) return MigratedSignIn(call, **migrated);
    // No user from the trigger, or one a concurrent sign-in created meanwhile: look again.
    found = directory_.Find(call.pool, username);
    if (!found.ok()) return std::move(found).error();
  }
  if (!found->has_value()) {
    hasher_.VerifyDummy(password);  // the same work as for a real user: no timing oracle
    COGNATE_RETURN_IF_ERROR(PreAuthentication(call, username, nullptr));
    return UnknownUser(call);
  }
  store::UserRecord user = std::move(**found);
  COGNATE_RETURN_IF_ERROR(PreAuthentication(call, user.username, &user));
  if (IsLockedOut(user)) return Error::NotAuthorized("Password attempts exceeded");
  if (user.status == "RESET_REQUIRED") {
    hasher_.VerifyDummy(password);
    return Error::Make("PasswordResetRequiredException", "Password reset required for the user");
  }
  if (!hasher_.Verify(user.password_hash, password)) {
    COGNATE_RETURN_IF_ERROR(RecordFailure(call, user));
    return IncorrectPassword();
  }
  COGNATE_RETURN_IF_ERROR(PasswordVerified(call, user));
  UpgradeHash(call, user, password);
  return user;
}

Status SignInService::PasswordVerified(const Call& call, const store::UserRecord& user) {
  if (!user.enabled) return Error::NotAuthorized("User is disabled.");
  if (user.status == "UNCONFIRMED") {
    return Error::Make("UserNotConfirmedException", "User is not confirmed.");
  }
  return OkStatus();  // failures are forgotten once tokens are issued (IssueTokens)
}

Result<json::object> SignInService::FinishSignIn(const Call& call, const store::UserRecord& user) {
  if (user.status == "FORCE_CHANGE_PASSWORD") {
    int64_t age_ms = clock_.NowMs() - user.password_changed_ms;
    if (age_ms > TemporaryPasswordDays(call.pool.config) * kDayMs) {
      return Error::NotAuthorized(
          "Temporary password has expired and must be reset by an administrator.");
    }
    return NewPasswordChallenge(call, user);
  }
  return MfaStep(call, user);
}

// Best effort: the sign-in already succeeded, so a failed upgrade only waits for the next one.
void SignInService::UpgradeHash(const Call& call, const store::UserRecord& user,
                                std::string_view password) {
  const bool rehash = hasher_.NeedsRehash(user.password_hash);
  if (!rehash && !user.srp_verifier_sealed.empty()) return;
  const std::string old_hash = user.password_hash;
  // A current hash missing only its verifier (users imported with an Argon2id hash) keeps its
  // hash: the verifier needs no Argon2id, so this sign-in costs one hash, not two.
  const identity::PasswordSecrets secrets =
      rehash ? identity::MakePasswordSecrets(hasher_, kek_, user, password)
             : identity::PasswordSecrets{old_hash, identity::SealSrpVerifier(kek_, user, password)};
  (void)identity::RetryOnConflict([&]() -> Status {
    auto current = directory_.stores().users->GetUser(call.pool.id(), user.username_key);
    if (!current.ok()) return std::move(current).error();
    // Changed meanwhile (new password, deleted): nothing left to upgrade.
    if (!current->has_value() || (*current)->password_hash != old_hash) return OkStatus();
    store::UserRecord updated = std::move(**current);
    secrets.ApplyRehashTo(updated);
    return directory_.stores().users->UpdateUser(updated);
  });
}

}  // namespace cognate::auth
