// SignInService: UserMigration_Authentication (cognito-wire.md §7.2). A password sign-in
// (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH) with a name nobody has asks the pool's
// UserMigration trigger, with the password, whether an older system knows the user; when it
// answers userAttributes, the user is created with that password and the sign-in goes on.
//
// The answer is read by identity::ReadMigrationAnswer (identity/user_migration.h).
// finalUserStatus CONFIRMED or absent confirms the user with the password; RESET_REQUIRED
// stores it without one, and the sign-in then fails with PasswordResetRequiredException.
// forceAliasCreation moves verified email/phone aliases from their current holders.
// messageAction, desiredDeliveryMediums and enableSMSMFA are checked but have no effect: no
// welcome message is sent, as the user signs in with a password they already know.
//
// The new username is the name given, except where the pool's usernames cannot take it: with
// email/phone as username, or when the name is an email/phone the pool uses as alias, the user
// gets a generated username (its sub) and the name becomes that attribute.

#include <boost/json/serialize.hpp>
#include <algorithm>
#include <utility>
#include <vector>

#include "auth/sign_in_service.h"
#include "crypto/random.h"
#include "identity/json_fields.h"
#include "identity/password_setter.h"
#include "identity/retry.h"
#include "identity/user_attributes.h"
#include "identity/user_migration.h"

namespace cognate::auth {
namespace json = boost::json;
using triggers::Trigger;
using triggers::TriggerCall;

namespace {

bool Has(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// The email/phone attribute `name` stands for in this pool, when its usernames cannot be it.
std::string_view NameAttribute(const identity::PoolContext& pool, std::string_view name) {
  const std::vector<std::string>& kinds =
      pool.username_attributes.empty() ? pool.alias_attributes : pool.username_attributes;
  if (Has(kinds, "email") && identity::LooksLikeEmail(name)) return "email";
  if (Has(kinds, "phone_number") && identity::IsE164PhoneNumber(name)) return "phone_number";
  return "";
}

// Username, username_key and sub of the user `name` becomes (the file comment's rule).
Status SetIdentity(const identity::PoolContext& pool, std::string_view name, json::object& attrs,
                   store::UserRecord& user) {
  user.pool_id = pool.id();
  user.sub = crypto::RandomUuid();
  if (std::string_view kind = NameAttribute(pool, name); !kind.empty()) {
    attrs[kind] = name;
    user.username = user.username_key = user.sub;
    return OkStatus();
  }
  if (!pool.username_attributes.empty()) {
    return triggers::TriggerInvalidResponse("the name given is no username of this pool.");
  }
  user.username = std::string(name);
  user.username_key = identity::UserDirectory::UsernameKey(pool, name);
  return OkStatus();
}

}  // namespace

Result<std::optional<store::UserRecord>> SignInService::MigrateUser(const Call& call,
                                                                    std::string_view name,
                                                                    std::string_view password) {
  TriggerCall event{"UserMigration_Authentication", std::string(name), call.client.id(),
                    json::object{{"password", password}, {"userAttributes", json::object()}}};
  AddInitiateMetadata(call, event.request);
  auto response = directory_.triggers().Invoke(call.pool.id(), call.pool.config,
                                               Trigger::kUserMigration, event);
  if (!response.ok()) return std::move(response).error();
  auto answer = identity::ReadMigrationAnswer(call.pool.config, *response);
  if (!answer.ok()) return std::move(answer).error();
  if (!answer->has_value()) return std::optional<store::UserRecord>();
  json::object& attrs = (*answer)->attributes;
  store::UserRecord user;
  COGNATE_RETURN_IF_ERROR(SetIdentity(call.pool, name, attrs, user));
  // At sign-in an absent finalUserStatus confirms the user, as CONFIRMED does.
  const bool confirmed = (*answer)->final_status != "RESET_REQUIRED";
  user.status = confirmed ? "CONFIRMED" : "RESET_REQUIRED";
  if (confirmed) identity::SetPassword(hasher_, kek_, user, password);
  user.attributes_json = json::serialize(attrs);
  user.created_ms = user.modified_ms = user.password_changed_ms = clock_.NowMs();
  if ((*answer)->force_alias_creation) {
    COGNATE_RETURN_IF_ERROR(ReleaseAliases(call, user.username_key, attrs));
  }
  Status created = directory_.stores().users->CreateUser(
      user, identity::UserDirectory::KeysFor(call.pool, attrs));
  if (!created.ok()) {
    // A concurrent first sign-in made the user: it is signed in like any other.
    if (created.error().Is("UsernameExistsException")) return std::optional<store::UserRecord>();
    return std::move(created).error();
  }
  return std::optional<store::UserRecord>(std::move(user));
}

Result<store::UserRecord> SignInService::MigratedSignIn(const Call& call,
                                                        const store::UserRecord& user) {
  COGNATE_RETURN_IF_ERROR(PreAuthentication(call, user.username, &user));
  if (user.status == "RESET_REQUIRED") {
    return Error::Make("PasswordResetRequiredException", "Password reset required for the user");
  }
  COGNATE_RETURN_IF_ERROR(PasswordVerified(call, user));
  return user;
}

// forceAliasCreation: verified email/phone aliases the new user claims stop being verified (and
// so aliases) on the users holding them now. Email/phone usernames never move.
Status SignInService::ReleaseAliases(const Call& call, const std::string& username_key,
                                     const json::object& attrs) {
  if (!call.pool.username_attributes.empty()) return OkStatus();
  store::UserStore& users = *directory_.stores().users;
  for (const store::UserKey& key : identity::UserDirectory::KeysFor(call.pool, attrs)) {
    if (key.kind == "preferred_username") continue;
    auto holder = users.FindByKey(call.pool.id(), key);
    if (!holder.ok()) return std::move(holder).error();
    if (!holder->has_value() || (*holder)->username_key == username_key) continue;
    const std::string holder_key = (*holder)->username_key;
    COGNATE_RETURN_IF_ERROR(identity::RetryOnConflict([&]() -> Status {
      auto current = users.GetUser(call.pool.id(), holder_key);
      if (!current.ok()) return std::move(current).error();
      if (!current->has_value()) return OkStatus();  // deleted meanwhile
      store::UserRecord other = std::move(**current);
      auto other_attrs = identity::ParseStoredObject(other.attributes_json);
      if (!other_attrs.ok()) return std::move(other_attrs).error();
      (*other_attrs)[key.kind + "_verified"] = "false";
      other.attributes_json = json::serialize(*other_attrs);
      other.modified_ms = clock_.NowMs();
      std::vector<store::UserKey> keys = identity::UserDirectory::KeysFor(call.pool, *other_attrs);
      return users.UpdateUser(other, &keys);
    }));
  }
  return OkStatus();
}

}  // namespace cognate::auth
