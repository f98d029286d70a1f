#include "federation/identity_provider.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "federation/provider_details.h"
#include "identity/json_fields.h"

namespace cognate::federation {
namespace json = boost::json;
namespace {

std::string SecretAad(const IdentityProvider& p, std::string_view key) {
  return "identity-provider:" + p.pool_id + ":" + p.name + ":" + std::string(key);
}

std::string StringOf(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

const json::object& ObjectOf(const json::object& o, std::string_view key) {
  static const json::object empty;
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? v->get_object() : empty;
}

}  // namespace

std::string IdentityProvider::Detail(std::string_view key) const { return StringOf(details, key); }

std::string IdentityProvider::UsernameClaim() const {
  std::string mapped = StringOf(attribute_mapping, "username");
  return mapped.empty() ? std::string(DefaultUsernameClaim(type)) : mapped;
}

store::PoolDocumentRecord ToDocument(const IdentityProvider& p,
                                     const crypto::KeyEncryptionKey& kek) {
  json::object plain;
  json::object sealed;
  for (const auto& kv : p.details) {
    if (IsSecretDetail(kv.key()) && kv.value().is_string())
      sealed[kv.key()] = kek.Seal(kv.value().get_string(), SecretAad(p, kv.key()));
    else
      plain[kv.key()] = kv.value();
  }
  json::array identifiers;
  for (const std::string& id : p.idp_identifiers) identifiers.emplace_back(id);
  json::object body{{"ProviderType", p.type},
                    {"ProviderDetails", std::move(plain)},
                    {"SealedDetails", std::move(sealed)},
                    {"AttributeMapping", p.attribute_mapping},
                    {"IdpIdentifiers", std::move(identifiers)},
                    {"JwksUri", p.jwks_uri},
                    {"TokenAuthMethod", p.token_auth_method}};
  store::PoolDocumentRecord doc;
  doc.pool_id = p.pool_id;
  doc.kind = store::PoolDocumentRecord::kIdentityProvider;
  doc.name = p.name;
  doc.body_json = json::serialize(body);
  doc.created_ms = p.created_ms;
  doc.modified_ms = p.modified_ms;
  doc.version = p.version;
  return doc;
}

Result<IdentityProvider> FromDocument(const store::PoolDocumentRecord& doc,
                                      const crypto::KeyEncryptionKey& kek) {
  auto body = identity::ParseStoredObject(doc.body_json);
  if (!body.ok()) return std::move(body).error();
  IdentityProvider p;
  p.pool_id = doc.pool_id;
  p.name = doc.name;
  p.type = StringOf(*body, "ProviderType");
  p.details = ObjectOf(*body, "ProviderDetails");
  for (const auto& kv : ObjectOf(*body, "SealedDetails")) {
    if (!kv.value().is_string()) return Error::Internal("Malformed identity provider.");
    auto opened = kek.Open(kv.value().get_string(), SecretAad(p, kv.key()));
    if (!opened.ok()) return std::move(opened).error();
    p.details[kv.key()] = *opened;
  }
  p.attribute_mapping = ObjectOf(*body, "AttributeMapping");
  if (const json::value* ids = body->if_contains("IdpIdentifiers"); ids && ids->is_array())
    for (const json::value& id : ids->get_array())
      if (id.is_string()) p.idp_identifiers.emplace_back(id.get_string());
  p.jwks_uri = StringOf(*body, "JwksUri");
  p.token_auth_method = StringOf(*body, "TokenAuthMethod");
  p.created_ms = doc.created_ms;
  p.modified_ms = doc.modified_ms;
  p.version = doc.version;
  return p;
}

json::object IdentityProviderType(const IdentityProvider& p) {
  json::array identifiers;
  for (const std::string& id : p.idp_identifiers) identifiers.emplace_back(id);
  return json::object{{"UserPoolId", p.pool_id},
                      {"ProviderName", p.name},
                      {"ProviderType", p.type},
                      {"ProviderDetails", p.details},
                      {"AttributeMapping", p.attribute_mapping},
                      {"IdpIdentifiers", std::move(identifiers)},
                      {"LastModifiedDate", identity::EpochSeconds(p.modified_ms)},
                      {"CreationDate", identity::EpochSeconds(p.created_ms)}};
}

json::object ProviderDescription(const IdentityProvider& p) {
  return json::object{{"ProviderName", p.name},
                      {"ProviderType", p.type},
                      {"LastModifiedDate", identity::EpochSeconds(p.modified_ms)},
                      {"CreationDate", identity::EpochSeconds(p.created_ms)}};
}

}  // namespace cognate::federation
