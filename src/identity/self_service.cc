// SelfService: authentication helpers, GetUser, ChangePassword, DeleteUser and the sign-outs.
// Attribute updates are in self_service_attributes.cc, verification in
// self_service_verification.cc.

#include "identity/config_memo.h"
#include "identity/self_service.h"

#include <boost/json/serialize.hpp>
#include <utility>

#include "identity/json_fields.h"
#include "identity/password_history.h"
#include "identity/password_policy.h"
#include "identity/password_setter.h"
#include "identity/retry.h"
#include "identity/user_mfa.h"

namespace cognate::identity {

namespace json = boost::json;

SelfService::SelfService(UserDirectory& directory, auth::AccessGuard& guard,
                         const auth::PasswordHasher& hasher, CodeDelivery& delivery)
    : directory_(directory), guard_(guard), hasher_(hasher), delivery_(delivery) {}

Result<auth::AuthenticatedUser> SelfService::Authenticate(const json::object& request) const {
  return guard_.Authenticate(GetString(request, "AccessToken").value_or(""));
}

Result<SharedConfig> SelfService::ClientConfig(const auth::AuthenticatedUser& caller) const {
  auto client = directory_.stores().clients->GetClient(caller.pool.id(), caller.claims.client_id);
  if (!client.ok()) return std::move(client).error();
  if (!client->has_value()) return Error::NotAuthorized("Invalid Access Token");
  auto config = SharedStoredConfig(caller.claims.client_id, (*client)->config_json);
  if (!config.ok()) return std::move(config).error();
  return SharedConfig(std::move(*config));
}

Result<json::object> SelfService::GetUser(const json::object& request) {
  auto caller = Authenticate(request);
  if (!caller.ok()) return std::move(caller).error();
  auto client = ClientConfig(*caller);
  if (!client.ok()) return std::move(client).error();
  auto attributes = UserDirectory::Attributes(caller->user);
  if (!attributes.ok()) return std::move(attributes).error();
  json::array listed;
  if (const json::array* readable = GetArray(*client, "ReadAttributes")) {
    std::vector<std::string> only{"sub"};
    for (const json::value& name : *readable)
      if (name.is_string()) only.emplace_back(name.get_string());
    listed = UserDirectory::AttributeList(*attributes, &only);
  } else {
    listed = UserDirectory::AttributeList(*attributes);
  }
  auto mfa = ParseUserMfa(caller->user.mfa_json);
  if (!mfa.ok()) return std::move(mfa).error();
  json::object out{{"Username", caller->user.username}, {"UserAttributes", std::move(listed)}};
  AddMfaSettings(out, *mfa);
  return out;
}

Result<json::object> SelfService::ChangePasswordStep(const json::object& request,
                                                      events::PendingEvent& event) {
  auto caller = Authenticate(request);
  if (!caller.ok()) return std::move(caller).error();
  event.SetSubject({caller->pool.id(), caller->user.username_key, caller->claims.client_id});
  const std::string proposed = GetString(request, "ProposedPassword").value_or("");
  const std::optional<std::string> previous = GetString(request, "PreviousPassword");
  // The policy check is cheap and reveals nothing about the account: do it before hashing.
  COGNATE_RETURN_IF_ERROR(CheckPasswordPolicy(caller->pool.config, proposed));
  auto previous_ok = [&](const std::string& hash) {
    // PreviousPassword may be omitted only by a user who has no password (passwordless).
    return previous ? hasher_.Verify(hash, *previous) : hash.empty();
  };
  const Error wrong = Error::NotAuthorized("Incorrect username or password.");
  std::string verified_hash = caller->user.password_hash;
  if (!previous_ok(verified_hash)) return wrong;
  // Only once the previous password is proven: the history check is itself a password oracle.
  COGNATE_RETURN_IF_ERROR(
      CheckPasswordHistory(hasher_, caller->pool.config, caller->user, proposed));
  const PasswordSecrets secrets =
      MakePasswordSecrets(hasher_, directory_.kek(), caller->user, proposed);
  store::UserStore& users = *directory_.stores().users;
  return RetryOnConflict([&]() -> Result<json::object> {
    auto user = users.GetUser(caller->pool.id(), caller->user.username_key);
    if (!user.ok()) return std::move(user).error();
    if (!user->has_value() || (*user)->sub != caller->user.sub)
      return Error::NotAuthorized("User does not exist.");
    store::UserRecord& record = **user;
    // Changed by someone else meanwhile: the previous password must match the current one.
    if (record.password_hash != verified_hash) {
      if (!previous_ok(record.password_hash)) return wrong;
      verified_hash = record.password_hash;
    }
    const int64_t now_ms = directory_.clock().NowMs();
    secrets.ApplyTo(record);
    record.password_changed_ms = now_ms;
    record.modified_ms = now_ms;
    COGNATE_RETURN_IF_ERROR(users.UpdateUser(record));
    return json::object();
  });
}

Result<json::object> SelfService::DeleteUser(const json::object& request) {
  auto caller = Authenticate(request);
  if (!caller.ok()) return std::move(caller).error();
  COGNATE_RETURN_IF_ERROR(
      directory_.stores().users->DeleteUser(caller->pool.id(), caller->user.username_key));
  return json::object();
}

Status SelfService::SignOutEverywhere(const PoolContext& pool,
                                      const store::UserRecord& user) const {
  store::Stores& stores = directory_.stores();
  Status updated = RetryOnConflict([&]() -> Status {
    auto fresh = stores.users->GetUser(pool.id(), user.username_key);
    if (!fresh.ok()) return std::move(fresh).error();
    if (!fresh->has_value()) return UserNotFound();
    (*fresh)->tokens_valid_after_ms = directory_.clock().NowMs();
    return stores.users->UpdateUser(**fresh);
  });
  COGNATE_RETURN_IF_ERROR(updated);
  return stores.refresh_tokens->RevokeUserTokens(pool.id(), user.username_key);
}

Result<json::object> SelfService::GlobalSignOutStep(const json::object& request,
                                                     events::PendingEvent& event) {
  auto caller = Authenticate(request);
  if (!caller.ok()) return std::move(caller).error();
  event.SetSubject({caller->pool.id(), caller->user.username_key, caller->claims.client_id});
  COGNATE_RETURN_IF_ERROR(SignOutEverywhere(caller->pool, caller->user));
  return json::object();
}

Result<json::object> SelfService::AdminUserGlobalSignOutStep(const json::object& request,
                                                              events::PendingEvent& event) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  auto user = directory_.Require(*pool, GetString(request, "Username").value_or(""));
  if (!user.ok()) return std::move(user).error();
  event.SetSubject({pool->id(), user->username_key, ""});
  COGNATE_RETURN_IF_ERROR(SignOutEverywhere(*pool, *user));
  return json::object();
}

Result<json::object> SelfService::ChangePassword(const json::object& request) {
  events::PendingEvent event(directory_.events(), events::EventType::kPasswordChange);
  return event.Finish(ChangePasswordStep(request, event));
}

Result<json::object> SelfService::GlobalSignOut(const json::object& request) {
  events::PendingEvent event(directory_.events(), events::EventType::kSignOut);
  return event.Finish(GlobalSignOutStep(request, event));
}

Result<json::object> SelfService::AdminUserGlobalSignOut(const json::object& request) {
  events::PendingEvent event(directory_.events(), events::EventType::kSignOut);
  return event.Finish(AdminUserGlobalSignOutStep(request, event));
}

}  // namespace cognate::identity
