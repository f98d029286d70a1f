#include "federation/identity_providers.h"

#include <boost/json/array.hpp>
#include <set>
#include <utility>

#include "crypto/encoding.h"
#include "federation/provider_details.h"
#include "identity/ids.h"
#include "identity/json_fields.h"
#include "identity/retry.h"
#include "identity/schema.h"

namespace cognate::federation {
namespace json = boost::json;
using identity::GetArray;
using identity::GetInt;
using identity::GetObject;
using identity::GetString;

namespace {

constexpr const char* kKind = store::PoolDocumentRecord::kIdentityProvider;
constexpr size_t kMaxClaimNameLength = 256;

Error ProviderNotFound(const std::string& name) {
  return Error::NotFound("Identity provider " + name + " does not exist.");
}

}  // namespace

IdentityProviderService::IdentityProviderService(identity::UserDirectory& directory,
                                                 HttpClient& http)
    : directory_(directory), http_(http) {}

Result<IdentityProvider> IdentityProviderService::Load(const std::string& pool_id,
                                                       const std::string& name) const {
  auto doc = directory_.stores().documents->GetDocument(pool_id, kKind, name);
  if (!doc.ok()) return std::move(doc).error();
  if (!doc->has_value()) return ProviderNotFound(name);
  return FromDocument(**doc, directory_.kek());
}

Result<std::vector<IdentityProvider>> IdentityProviderService::LoadAll(
    const std::string& pool_id) const {
  auto page = directory_.stores().documents->ListDocuments(pool_id, kKind, "",
                                                           kMaxProvidersPerPool + 1);
  if (!page.ok()) return std::move(page).error();
  std::vector<IdentityProvider> out;
  for (const store::PoolDocumentRecord& doc : page->items) {
    auto provider = FromDocument(doc, directory_.kek());
    if (!provider.ok()) return std::move(provider).error();
    out.push_back(std::move(*provider));
  }
  return out;
}

Result<IdentityProvider> IdentityProviderService::FindByIdentifier(
    const std::string& pool_id, const std::string& identifier) const {
  auto all = LoadAll(pool_id);
  if (!all.ok()) return std::move(all).error();
  for (IdentityProvider& p : *all)
    for (const std::string& id : p.idp_identifiers)
      if (id == identifier) return std::move(p);
  return Error::NotFound("Identity provider with identifier " + identifier + " does not exist.");
}

Status IdentityProviderService::ApplyMappingAndIdentifiers(const identity::PoolContext& pool,
                                                           const json::object& request,
                                                           IdentityProvider& provider) const {
  if (const json::object* mapping = GetObject(request, "AttributeMapping")) {
    json::object checked;
    for (const auto& kv : *mapping) {
      std::string_view attribute = kv.key();
      if (!kv.value().is_string() || kv.value().get_string().empty() ||
          kv.value().get_string().size() > kMaxClaimNameLength) {
        return Error::InvalidParameter("The attribute mapping of " + std::string(attribute) +
                                       " must name an identity provider attribute.");
      }
      bool mappable = attribute == "username" ||
                      (attribute != "sub" && attribute != "identities" &&
                       identity::FindSchemaAttribute(pool.config, attribute) != nullptr);
      if (!mappable) {
        return Error::InvalidParameter("The attribute " + std::string(attribute) +
                                       " in the attribute mapping does not exist in the user "
                                       "pool schema.");
      }
      checked[attribute] = kv.value();
    }
    provider.attribute_mapping = std::move(checked);
  }
  // Cognito always shows which claim becomes the username.
  if (!provider.attribute_mapping.contains("username"))
    provider.attribute_mapping["username"] = DefaultUsernameClaim(provider.type);

  if (const json::array* ids = GetArray(request, "IdpIdentifiers")) {
    std::vector<std::string> identifiers;
    std::set<std::string> seen;
    for (const json::value& v : *ids) {
      if (!v.is_string()) continue;
      std::string id(v.get_string());
      if (!seen.insert(id).second)
        return Error::InvalidParameter("Duplicate IdpIdentifier " + id + ".");
      identifiers.push_back(std::move(id));
    }
    auto others = LoadAll(pool.id());
    if (!others.ok()) return std::move(others).error();
    for (const IdentityProvider& other : *others) {
      if (other.name == provider.name) continue;
      for (const std::string& id : other.idp_identifiers)
        if (seen.contains(id))
          return Error::InvalidParameter("The IdpIdentifier " + id +
                                         " is already used by identity provider " + other.name +
                                         ".");
    }
    provider.idp_identifiers = std::move(identifiers);
  }
  return OkStatus();
}

Status IdentityProviderService::ApplyDetails(const json::object& request,
                                             IdentityProvider& provider) const {
  const json::object* given = GetObject(request, "ProviderDetails");
  if (given == nullptr) return OkStatus();
  auto completed = CompleteProviderDetails(provider.type, *given, http_);
  if (!completed.ok()) return std::move(completed).error();
  provider.details = std::move(completed->details);
  provider.jwks_uri = std::move(completed->jwks_uri);
  provider.token_auth_method = std::move(completed->token_auth_method);
  return OkStatus();
}

Result<json::object> IdentityProviderService::CreateIdentityProvider(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  IdentityProvider provider;
  provider.pool_id = pool->id();
  provider.name = GetString(request, "ProviderName").value_or("");
  provider.type = GetString(request, "ProviderType").value_or("");
  COGNATE_RETURN_IF_ERROR(CheckProviderName(provider.type, provider.name));

  // Cheap refusals before the discovery round trip.
  auto existing = directory_.stores().documents->GetDocument(pool->id(), kKind, provider.name);
  if (!existing.ok()) return std::move(existing).error();
  if (existing->has_value()) {
    return Error::Make("DuplicateProviderException",
                       "A provider with the name " + provider.name + " already exists in this "
                       "user pool.");
  }
  auto all = LoadAll(pool->id());
  if (!all.ok()) return std::move(all).error();
  if (all->size() >= static_cast<size_t>(kMaxProvidersPerPool)) {
    return Error::LimitExceeded("The user pool already has the maximum number of identity "
                                "providers (" + std::to_string(kMaxProvidersPerPool) + ").");
  }
  COGNATE_RETURN_IF_ERROR(ApplyMappingAndIdentifiers(*pool, request, provider));
  if (GetObject(request, "ProviderDetails") == nullptr)
    return Error::InvalidParameter("ProviderDetails is required.");
  COGNATE_RETURN_IF_ERROR(ApplyDetails(request, provider));

  provider.created_ms = provider.modified_ms = directory_.clock().NowMs();
  auto created = directory_.stores().documents->CreateDocument(ToDocument(provider, directory_.kek()));
  if (!created.ok()) return std::move(created).error();
  if (!*created) {
    return Error::Make("DuplicateProviderException",
                       "A provider with the name " + provider.name + " already exists in this "
                       "user pool.");
  }
  return json::object{{"IdentityProvider", IdentityProviderType(provider)}};
}

Result<json::object> IdentityProviderService::DescribeIdentityProvider(
    const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  auto provider = Load(pool->id(), GetString(request, "ProviderName").value_or(""));
  if (!provider.ok()) return std::move(provider).error();
  return json::object{{"IdentityProvider", IdentityProviderType(*provider)}};
}

Result<json::object> IdentityProviderService::UpdateIdentityProvider(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  const std::string name = GetString(request, "ProviderName").value_or("");
  // Discovery happens once, outside the retried read-modify-write: a conflict re-applies the
  // completed details to the fresh record.
  auto current = Load(pool->id(), name);
  if (!current.ok()) return std::move(current).error();
  IdentityProvider changes = *current;
  COGNATE_RETURN_IF_ERROR(ApplyDetails(request, changes));
  COGNATE_RETURN_IF_ERROR(ApplyMappingAndIdentifiers(*pool, request, changes));
  const bool new_details = GetObject(request, "ProviderDetails") != nullptr;
  auto saved = identity::RetryOnConflict([&]() -> Result<IdentityProvider> {
    auto fresh = Load(pool->id(), name);
    if (!fresh.ok()) return std::move(fresh).error();
    IdentityProvider updated = std::move(*fresh);
    if (new_details) {
      updated.details = changes.details;
      updated.jwks_uri = changes.jwks_uri;
      updated.token_auth_method = changes.token_auth_method;
    }
    if (GetObject(request, "AttributeMapping") != nullptr)
      updated.attribute_mapping = changes.attribute_mapping;
    if (GetArray(request, "IdpIdentifiers") != nullptr)
      updated.idp_identifiers = changes.idp_identifiers;
    updated.modified_ms = directory_.clock().NowMs();
    Status stored =
        directory_.stores().documents->UpdateDocument(ToDocument(updated, directory_.kek()));
    if (!stored.ok() && stored.error().Is("ResourceNotFoundException")) return ProviderNotFound(name);
    COGNATE_RETURN_IF_ERROR(stored);
    updated.version++;
    return updated;
  });
  if (!saved.ok()) return std::move(saved).error();
  return json::object{{"IdentityProvider", IdentityProviderType(*saved)}};
}

Result<json::object> IdentityProviderService::DeleteIdentityProvider(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  const std::string name = GetString(request, "ProviderName").value_or("");
  auto deleted = directory_.stores().documents->DeleteDocument(pool->id(), kKind, name);
  if (!deleted.ok()) return std::move(deleted).error();
  if (!*deleted) return ProviderNotFound(name);
  return json::object();
}

Result<json::object> IdentityProviderService::ListIdentityProviders(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  std::string after;
  if (std::optional<std::string> token = GetString(request, "NextToken")) {
    std::optional<std::string> decoded = crypto::Base64UrlDecode(*token);
    if (!decoded || decoded->empty() || decoded->size() > 32)
      return Error::InvalidParameter("The pagination token is not valid.");
    after = std::move(*decoded);
  }
  auto page = directory_.stores().documents->ListDocuments(
      pool->id(), kKind, after, identity::PageSize(GetInt(request, "MaxResults")));
  if (!page.ok()) return std::move(page).error();
  json::array providers;
  for (const store::PoolDocumentRecord& doc : page->items) {
    auto provider = FromDocument(doc, directory_.kek());
    if (!provider.ok()) return std::move(provider).error();
    providers.push_back(ProviderDescription(*provider));
  }
  json::object out{{"Providers", std::move(providers)}};
  if (!page->next_after.empty()) out["NextToken"] = identity::EncodePageToken(page->next_after);
  return out;
}

Result<json::object> IdentityProviderService::GetIdentityProviderByIdentifier(
    const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  auto provider = FindByIdentifier(pool->id(), GetString(request, "IdpIdentifier").value_or(""));
  if (!provider.ok()) return std::move(provider).error();
  return json::object{{"IdentityProvider", IdentityProviderType(*provider)}};
}

}  // namespace cognate::federation
