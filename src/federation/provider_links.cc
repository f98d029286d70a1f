#include "federation/provider_links.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "identity/json_fields.h"

namespace cognate::federation {
namespace json = boost::json;
namespace {

// Provider and attribute names hold no newline (their model patterns), so the value, last,
// may hold anything.
std::string DocumentName(const std::string& provider, const std::string& attribute,
                         const std::string& value) {
  return provider + "\n" + attribute + "\n" + value;
}

}  // namespace

Result<std::optional<ProviderLink>> ProviderLinks::Find(const std::string& pool_id,
                                                        const std::string& provider_name,
                                                        const std::string& attribute_name,
                                                        const std::string& attribute_value) const {
  auto doc = documents_.GetDocument(pool_id, kIdentityLinkKind,
                                    DocumentName(provider_name, attribute_name, attribute_value));
  if (!doc.ok()) return std::move(doc).error();
  if (!doc->has_value()) return std::optional<ProviderLink>();
  auto body = identity::ParseStoredObject((*doc)->body_json);
  if (!body.ok()) return std::move(body).error();
  ProviderLink link{provider_name,
                    attribute_name,
                    attribute_value,
                    identity::GetString(*body, "username_key").value_or(""),
                    identity::GetString(*body, "sub").value_or(""),
                    (*doc)->created_ms};
  return std::optional<ProviderLink>(std::move(link));
}

Result<bool> ProviderLinks::Create(const std::string& pool_id, const ProviderLink& link) const {
  store::PoolDocumentRecord doc;
  doc.pool_id = pool_id;
  doc.kind = kIdentityLinkKind;
  doc.name = DocumentName(link.provider_name, link.attribute_name, link.attribute_value);
  doc.body_json =
      json::serialize(json::object{{"username_key", link.username_key}, {"sub", link.user_sub}});
  doc.created_ms = doc.modified_ms = link.created_ms;
  return documents_.CreateDocument(doc);
}

Result<bool> ProviderLinks::Delete(const std::string& pool_id, const ProviderLink& link) const {
  return documents_.DeleteDocument(
      pool_id, kIdentityLinkKind,
      DocumentName(link.provider_name, link.attribute_name, link.attribute_value));
}

}  // namespace cognate::federation
