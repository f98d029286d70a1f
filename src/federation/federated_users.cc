// FederatedUsers: sign-in of upstream identities. The admin link actions are in
// provider_link_actions.cc.

#include "federation/federated_users.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "crypto/random.h"
#include "federation/identities_attribute.h"
#include "identity/json_fields.h"
#include "identity/pre_sign_up.h"
#include "identity/retry.h"
#include "identity/user_attributes.h"

namespace cognate::federation {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxUsernameLength = 128;

Error Disabled() { return Error::NotAuthorized("User is disabled."); }

// A claim as Cognito stores attributes: strings as they are, booleans "true"/"false", numbers
// in decimal, objects and arrays (the OIDC address claim) as JSON. Null: absent.
std::optional<std::string> ClaimText(const json::value& v) {
  if (v.is_null()) return std::nullopt;
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return std::string(v.get_bool() ? "true" : "false");
  return json::serialize(v);
}

// pool attribute -> value, for each mapping whose claim the provider sent.
json::object MappedAttributes(const IdentityProvider& provider, const json::object& claims) {
  json::object out;
  for (const auto& kv : provider.attribute_mapping) {
    if (kv.key() == "username" || !kv.value().is_string()) continue;
    const json::value* claim = claims.if_contains(kv.value().get_string());
    if (claim == nullptr) continue;
    if (std::optional<std::string> text = ClaimText(*claim)) out[kv.key()] = *text;
  }
  return out;
}

// The upstream user id: a non-empty claim without spaces or control characters that keeps the
// username within Cognito's 128 characters.
Result<std::string> UpstreamUserId(const IdentityProvider& provider, const json::object& claims) {
  const json::value* claim = claims.if_contains(provider.UsernameClaim());
  std::optional<std::string> id = claim != nullptr ? ClaimText(*claim) : std::nullopt;
  bool usable = id && !id->empty() &&
                provider.name.size() + 1 + id->size() <= kMaxUsernameLength;
  if (usable)
    for (unsigned char c : *id) usable = usable && c > 0x20 && c != 0x7f;
  if (!usable)
    return Error::NotAuthorized("The identity provider did not return a usable " +
                                provider.UsernameClaim() + " claim.");
  return std::move(*id);
}

json::array AttributeList(const json::object& attributes) {
  json::array list;
  for (const auto& kv : attributes) list.push_back(json::object{{"Name", kv.key()}, {"Value", kv.value()}});
  return list;
}

}  // namespace

FederatedUsers::FederatedUsers(identity::UserDirectory& directory,
                               IdentityProviderService& providers)
    : directory_(directory), providers_(providers), links_(*directory.stores().documents) {}

Result<std::optional<store::UserRecord>> FederatedUsers::LinkedUser(
    const identity::PoolContext& pool, const IdentityProvider& provider,
    const std::string& user_id, const json::object& mapped) const {
  std::vector<std::pair<std::string, std::string>> keys = {{kCognitoSubject, user_id}};
  for (const auto& kv : mapped) keys.emplace_back(kv.key(), std::string(kv.value().get_string()));
  for (const auto& [attribute, value] : keys) {
    auto link = links_.Find(pool.id(), provider.name, attribute, value);
    if (!link.ok()) return std::move(link).error();
    if (!link->has_value()) continue;
    auto user = directory_.stores().users->GetUser(pool.id(), (*link)->username_key);
    if (!user.ok()) return std::move(user).error();
    // A user deleted (and maybe re-created under the same name) ends the link.
    if (user->has_value() && (*user)->sub == (*link)->user_sub) return user;
  }
  return std::optional<store::UserRecord>();
}

Result<store::UserRecord> FederatedUsers::UpsertFederatedUser(const identity::PoolContext& pool,
                                                              const IdentityProvider& provider,
                                                              const std::string& user_id,
                                                              const json::object& mapped,
                                                              const std::string& client_id) const {
  const std::string username = provider.name + "_" + user_id;
  const std::string username_key = identity::UserDirectory::UsernameKey(pool, username);
  store::UserStore& users = *directory_.stores().users;
  return identity::RetryOnConflict([&]() -> Result<store::UserRecord> {
    auto found = users.GetUser(pool.id(), username_key);
    if (!found.ok()) return std::move(found).error();
    const int64_t now = directory_.clock().NowMs();
    if (!found->has_value()) {
      auto attrs = identity::ValidateAttributes(pool.config, AttributeList(mapped),
                                                identity::AttributeWriteMode::kAdminCreate);
      if (!attrs.ok()) return std::move(attrs).error();
      auto pre_sign_up =
          identity::RunPreSignUp(directory_, pool, identity::kPreSignUpExternalProvider,
                                 username, client_id, *attrs, json::object());
      if (!pre_sign_up.ok()) return std::move(pre_sign_up).error();
      json::array identities{IdentityEntry(user_id, provider.name, provider.type, true, now)};
      (*attrs)[kIdentitiesAttribute] = json::serialize(identities);
      store::UserRecord user;
      user.pool_id = pool.id();
      user.username_key = username_key;
      user.username = username;
      user.sub = crypto::RandomUuid();
      user.status = std::string(kExternalProviderStatus);
      user.attributes_json = json::serialize(*attrs);
      user.created_ms = user.modified_ms = now;
      Status created = users.CreateUser(user, {});
      // Another sign-in of the same identity created it first: update that one instead.
      if (!created.ok() && created.error().Is("UsernameExistsException"))
        return Error::ConcurrentModification();
      COGNATE_RETURN_IF_ERROR(created);
      return user;
    }
    store::UserRecord user = std::move(**found);
    if (user.status != kExternalProviderStatus)
      return Error::NotAuthorized("The user " + username + " is not a federated user.");
    if (!user.enabled) return Disabled();
    auto attrs = identity::ParseStoredObject(user.attributes_json);
    if (!attrs.ok()) return std::move(attrs).error();
    json::object changed;
    for (const auto& kv : mapped) {
      const json::value* old = attrs->if_contains(kv.key());
      if (old == nullptr || *old != kv.value()) changed[kv.key()] = kv.value();
    }
    if (changed.empty()) return user;  // Nothing new: no write.
    auto checked = identity::ValidateAttributes(pool.config, AttributeList(changed),
                                                identity::AttributeWriteMode::kAdminUpdate);
    if (!checked.ok()) return std::move(checked).error();
    for (const auto& kv : *checked) (*attrs)[kv.key()] = kv.value();
    user.attributes_json = json::serialize(*attrs);
    user.modified_ms = now;
    COGNATE_RETURN_IF_ERROR(users.UpdateUser(user));
    user.version++;
    return user;
  });
}

Result<store::UserRecord> FederatedUsers::SignIn(const IdentityProvider& provider,
                                                 const json::object& claims,
                                                 const std::string& client_id) {
  auto pool = directory_.LoadPool(provider.pool_id);
  if (!pool.ok()) return std::move(pool).error();
  auto user_id = UpstreamUserId(provider, claims);
  if (!user_id.ok()) return std::move(user_id).error();
  const json::object mapped = MappedAttributes(provider, claims);
  auto linked = LinkedUser(*pool, provider, *user_id, mapped);
  if (!linked.ok()) return std::move(linked).error();
  if (linked->has_value()) {
    if (!(*linked)->enabled) return Disabled();
    return std::move(**linked);
  }
  return UpsertFederatedUser(*pool, provider, *user_id, mapped, client_id);
}

Status FederatedUsers::ChangeUser(
    const identity::PoolContext& pool, const std::string& username_key,
    const std::function<Status(store::UserRecord&, json::object&)>& change) const {
  return identity::RetryOnConflict([&]() -> Status {
    auto found = directory_.stores().users->GetUser(pool.id(), username_key);
    if (!found.ok()) return std::move(found).error();
    if (!found->has_value()) return identity::UserNotFound();
    store::UserRecord user = std::move(**found);
    auto attrs = identity::ParseStoredObject(user.attributes_json);
    if (!attrs.ok()) return std::move(attrs).error();
    COGNATE_RETURN_IF_ERROR(change(user, *attrs));
    user.attributes_json = json::serialize(*attrs);
    user.modified_ms = directory_.clock().NowMs();
    return directory_.stores().users->UpdateUser(user);
  });
}

}  // namespace cognate::federation
