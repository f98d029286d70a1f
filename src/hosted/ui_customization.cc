#include "hosted/ui_customization.h"

#include <optional>
#include <utility>

#include "crypto/encoding.h"
#include "hosted/branding.h"
#include "identity/domains.h"
#include "identity/json_fields.h"
#include "identity/retry.h"

namespace cognate::hosted {
namespace json = boost::json;
using identity::GetString;
using store::PoolDocumentRecord;

namespace {

// The logo the request carries (ImageFile, base64 on the wire): its bytes, "" for none.
Result<std::string> RequestLogo(const json::object& request) {
  std::string encoded = GetString(request, "ImageFile").value_or("");
  if (encoded.empty()) return std::string();
  std::optional<std::string> bytes = crypto::Base64Decode(encoded);
  if (!bytes) return Error::InvalidParameter("Invalid image file: it is not valid base64.");
  return std::move(*bytes);
}

// Inserts or replaces the document, keeping its creation time; returns what was stored.
Result<PoolDocumentRecord> Upsert(store::PoolDocumentStore& documents, PoolDocumentRecord doc) {
  return identity::RetryOnConflict([&]() -> Result<PoolDocumentRecord> {
    auto existing = documents.GetDocument(doc.pool_id, doc.kind, doc.name);
    if (!existing.ok()) return std::move(existing).error();
    if (existing->has_value()) {
      PoolDocumentRecord updated = std::move(**existing);
      updated.body_json = doc.body_json;
      updated.modified_ms = doc.modified_ms;
      COGNATE_RETURN_IF_ERROR(documents.UpdateDocument(updated));
      return updated;
    }
    auto created = documents.CreateDocument(doc);
    if (!created.ok()) return std::move(created).error();
    // Another request created it first: update that one on the next attempt.
    if (!*created) return Error::ConcurrentModification();
    return doc;
  });
}

// UICustomizationType.
json::object Shape(const std::string& pool_id, const std::string& name,
                   const UiCustomization* c, int64_t created_ms, int64_t modified_ms,
                   const std::string& public_url) {
  json::object out{{"UserPoolId", pool_id}, {"ClientId", name}};
  if (c == nullptr) return out;
  if (!c->logo.empty()) out["ImageUrl"] = LogoUrl(public_url, pool_id, name);
  if (!c->css.empty()) {
    out["CSS"] = c->css;
    out["CSSVersion"] = c->css_version;
  }
  out["CreationDate"] = identity::EpochSeconds(created_ms);
  out["LastModifiedDate"] = identity::EpochSeconds(modified_ms);
  return out;
}

}  // namespace

UiCustomizationService::UiCustomizationService(identity::UserDirectory& directory,
                                               std::string public_url)
    : directory_(directory), public_url_(std::move(public_url)) {}

Result<std::string> UiCustomizationService::TargetName(const std::string& pool_id,
                                                       const json::object& request) const {
  std::string client_id = GetString(request, "ClientId").value_or(kAllClients);
  if (client_id == kAllClients) return client_id;
  auto client = directory_.stores().clients->GetClient(pool_id, client_id);
  if (!client.ok()) return std::move(client).error();
  if (!client->has_value()) return identity::ClientNotFound(client_id);
  return client_id;
}

Result<json::object> UiCustomizationService::SetUICustomization(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  auto name = TargetName(pool->id(), request);
  if (!name.ok()) return std::move(name).error();
  // As on Cognito: the pages being branded exist only under a domain.
  auto domains = identity::DomainsOfPool(*directory_.stores().documents, pool->id());
  if (!domains.ok()) return std::move(domains).error();
  if (domains->prefix.empty() && domains->custom.empty()) {
    return Error::InvalidParameter("A domain must be associated with this user pool.");
  }

  UiCustomization c;
  c.css = GetString(request, "CSS").value_or("");
  COGNATE_RETURN_IF_ERROR(CheckBrandingCss(c.css));
  auto logo = RequestLogo(request);
  if (!logo.ok()) return std::move(logo).error();
  if (!logo->empty()) {
    auto media_type = CheckLogo(*logo);
    if (!media_type.ok()) return std::move(media_type).error();
    c.logo = std::move(*logo);
    c.logo_media_type = std::move(*media_type);
  }

  store::PoolDocumentStore& documents = *directory_.stores().documents;
  if (c.css.empty() && c.logo.empty()) {
    auto deleted = documents.DeleteDocument(pool->id(), PoolDocumentRecord::kUiCustomization, *name);
    if (!deleted.ok()) return std::move(deleted).error();
    return json::object{{"UICustomization", Shape(pool->id(), *name, nullptr, 0, 0, public_url_)}};
  }
  int64_t now_ms = directory_.clock().NowMs();
  if (!c.css.empty()) c.css_version = CssVersion(now_ms);
  PoolDocumentRecord doc{pool->id(), PoolDocumentRecord::kUiCustomization, *name,
                         SerializeUiCustomization(c), now_ms, now_ms, 0};
  auto stored = Upsert(documents, std::move(doc));
  if (!stored.ok()) return std::move(stored).error();
  return json::object{{"UICustomization", Shape(pool->id(), *name, &c, stored->created_ms,
                                                stored->modified_ms, public_url_)}};
}

Result<json::object> UiCustomizationService::GetUICustomization(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  auto name = TargetName(pool->id(), request);
  if (!name.ok()) return std::move(name).error();
  auto found = FindUiCustomization(*directory_.stores().documents, pool->id(), *name);
  if (!found.ok()) return std::move(found).error();
  if (found->has_value()) {
    const PoolDocumentRecord& doc = **found;
    auto c = ParseUiCustomization(doc.body_json);
    if (!c.ok()) return std::move(c).error();
    return json::object{{"UICustomization", Shape(pool->id(), doc.name, &*c, doc.created_ms,
                                                  doc.modified_ms, public_url_)}};
  }
  return json::object{{"UICustomization", Shape(pool->id(), *name, nullptr, 0, 0, public_url_)}};
}

}  // namespace cognate::hosted
