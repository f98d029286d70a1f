// FederatedUsers: AdminLinkProviderForUser and AdminDisableProviderForUser.

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "federation/federated_users.h"
#include "federation/identities_attribute.h"
#include "federation/provider_details.h"
#include "identity/json_fields.h"

namespace cognate::federation {
namespace json = boost::json;
using identity::GetObject;
using identity::GetString;

namespace {

constexpr std::size_t kMaxAttributeValue = 2048;

bool IsCognito(std::string_view provider_name) {
  return provider_name.size() == 7 && (provider_name[0] == 'C' || provider_name[0] == 'c') &&
         provider_name.substr(1) == "ognito";
}

struct ProviderUser {
  std::string provider_name;
  std::string attribute_name;
  std::string attribute_value;
};

ProviderUser ReadProviderUser(const json::object* o) {
  if (o == nullptr) return {};
  return {GetString(*o, "ProviderName").value_or(""),
          GetString(*o, "ProviderAttributeName").value_or(""),
          GetString(*o, "ProviderAttributeValue").value_or("")};
}

}  // namespace

Result<store::UserRecord> FederatedUsers::Destination(const identity::PoolContext& pool,
                                                      const json::object& user) const {
  ProviderUser dest = ReadProviderUser(&user);
  if (dest.attribute_value.empty())
    return Error::InvalidParameter("DestinationUser needs a ProviderAttributeValue.");
  if (IsCognito(dest.provider_name)) return directory_.Require(pool, dest.attribute_value);
  // A federated destination is named by its provider and upstream user id.
  const std::string username = dest.provider_name + "_" + dest.attribute_value;
  auto found = directory_.stores().users->GetUser(
      pool.id(), identity::UserDirectory::UsernameKey(pool, username));
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return identity::UserNotFound();
  return std::move(**found);
}

Result<json::object> FederatedUsers::AdminLinkProviderForUser(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  const ProviderUser source = ReadProviderUser(GetObject(request, "SourceUser"));
  if (IsCognito(source.provider_name) || source.provider_name.empty())
    return Error::InvalidParameter("SourceUser must be a user of an external identity provider.");
  if (source.attribute_value.empty() || source.attribute_value.size() > kMaxAttributeValue)
    return Error::InvalidParameter("SourceUser needs a ProviderAttributeValue.");
  auto provider = providers_.Load(pool->id(), source.provider_name);
  if (!provider.ok()) return std::move(provider).error();
  const bool by_subject = source.attribute_name == kCognitoSubject;
  if (!by_subject) {
    // Social identities link on the user id only; OIDC ones also on a mapped attribute.
    bool mapped = provider->type == kOidc && source.attribute_name != "username" &&
                  provider->attribute_mapping.contains(source.attribute_name);
    if (!mapped) {
      return Error::InvalidParameter(
          "ProviderAttributeName of the SourceUser must be Cognito_Subject" +
          std::string(provider->type == kOidc ? " or an attribute the provider maps." : "."));
    }
  }
  const json::object* dest_object = GetObject(request, "DestinationUser");
  auto dest = Destination(*pool, dest_object ? *dest_object : json::object());
  if (!dest.ok()) return std::move(dest).error();
  if (by_subject) {
    const std::string source_username = source.provider_name + "_" + source.attribute_value;
    auto existing = directory_.stores().users->GetUser(
        pool->id(), identity::UserDirectory::UsernameKey(*pool, source_username));
    if (!existing.ok()) return std::move(existing).error();
    if (existing->has_value()) {
      return Error::InvalidParameter(
          "Merging is not currently supported, provide a SourceUser that has not been signed up "
          "in the user pool");
    }
  }
  auto attrs = identity::ParseStoredObject(dest->attributes_json);
  if (!attrs.ok()) return std::move(attrs).error();
  auto identities = ParseIdentities(GetString(*attrs, kIdentitiesAttribute).value_or(""));
  if (!identities.ok()) return std::move(identities).error();

  ProviderLink link{source.provider_name, source.attribute_name, source.attribute_value,
                    dest->username_key,   dest->sub,             directory_.clock().NowMs()};
  auto current = links_.Find(pool->id(), link.provider_name, link.attribute_name,
                             link.attribute_value);
  if (!current.ok()) return std::move(current).error();
  if (current->has_value()) {
    if ((*current)->username_key == dest->username_key && (*current)->user_sub == dest->sub)
      return json::object();  // Already linked to this user.
    return Error::Make("AliasExistsException",
                       "The SourceUser is already linked to another user.");
  }
  if (identities->size() >= kMaxLinkedIdentities) {
    return Error::LimitExceeded("A user can be linked to at most " +
                                std::to_string(kMaxLinkedIdentities) + " identities.");
  }
  auto created = links_.Create(pool->id(), link);
  if (!created.ok()) return std::move(created).error();
  if (!*created)
    return Error::Make("AliasExistsException", "The SourceUser is already linked to another user.");
  Status listed = ChangeUser(*pool, dest->username_key, [&](store::UserRecord& user,
                                                            json::object& a) -> Status {
    if (user.sub != link.user_sub) return identity::UserNotFound();
    auto entries = ParseIdentities(GetString(a, kIdentitiesAttribute).value_or(""));
    if (!entries.ok()) return std::move(entries).error();
    RemoveIdentity(*entries, link.provider_name, link.attribute_value);
    entries->push_back(IdentityEntry(link.attribute_value, provider->name, provider->type, false,
                                     link.created_ms));
    a[kIdentitiesAttribute] = json::serialize(*entries);
    return OkStatus();
  });
  if (!listed.ok()) {
    (void)links_.Delete(pool->id(), link);  // The user went away meanwhile: no half link.
    return std::move(listed).error();
  }
  return json::object();
}

Result<json::object> FederatedUsers::AdminDisableProviderForUser(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  const ProviderUser user = ReadProviderUser(GetObject(request, "User"));
  if (user.provider_name.empty() || user.attribute_value.empty())
    return Error::InvalidParameter("User needs a ProviderName and a ProviderAttributeValue.");
  store::RefreshTokenStore& tokens = *directory_.stores().refresh_tokens;

  if (IsCognito(user.provider_name)) {
    if (user.attribute_name != kCognitoSubject)
      return Error::InvalidParameter("ProviderAttributeName must be Cognito_Subject.");
    auto native = directory_.Require(*pool, user.attribute_value);
    if (!native.ok()) return std::move(native).error();
    COGNATE_RETURN_IF_ERROR(
        ChangeUser(*pool, native->username_key, [](store::UserRecord& u, json::object&) {
          u.password_hash.clear();  // No more password (or SRP) sign-in.
          u.srp_verifier_sealed.clear();
          return OkStatus();
        }));
    COGNATE_RETURN_IF_ERROR(tokens.RevokeUserTokens(pool->id(), native->username_key));
    return json::object();
  }

  ProviderLink key{user.provider_name, user.attribute_name, user.attribute_value, "", "", 0};
  auto link = links_.Find(pool->id(), key.provider_name, key.attribute_name, key.attribute_value);
  if (!link.ok()) return std::move(link).error();
  if (link->has_value()) {
    auto deleted = links_.Delete(pool->id(), key);
    if (!deleted.ok()) return std::move(deleted).error();
    Status unlisted = ChangeUser(*pool, (*link)->username_key, [&](store::UserRecord& u,
                                                                    json::object& a) -> Status {
      if (u.sub != (*link)->user_sub) return OkStatus();  // Another user by now.
      auto entries = ParseIdentities(GetString(a, kIdentitiesAttribute).value_or(""));
      if (!entries.ok()) return std::move(entries).error();
      if (RemoveIdentity(*entries, key.provider_name, key.attribute_value) == 0) return OkStatus();
      if (entries->empty())
        a.erase(kIdentitiesAttribute);
      else
        a[kIdentitiesAttribute] = json::serialize(*entries);
      return OkStatus();
    });
    // The linked user may be gone; the link is what mattered. Its sessions stay: it is still
    // the same user, reachable by its own sign-in.
    if (!unlisted.ok() && !unlisted.error().Is("UserNotFoundException"))
      return std::move(unlisted).error();
    return json::object();
  }
  if (user.attribute_name == kCognitoSubject) {
    // The federated user of this identity itself: it can no longer sign in.
    const std::string username_key = identity::UserDirectory::UsernameKey(
        *pool, user.provider_name + "_" + user.attribute_value);
    Status disabled = ChangeUser(*pool, username_key, [](store::UserRecord& u, json::object&) {
      if (u.status != kExternalProviderStatus) return Status(identity::UserNotFound());
      u.enabled = false;
      return OkStatus();
    });
    COGNATE_RETURN_IF_ERROR(disabled);
    COGNATE_RETURN_IF_ERROR(tokens.RevokeUserTokens(pool->id(), username_key));
    return json::object();
  }
  return identity::UserNotFound();
}

}  // namespace cognate::federation
