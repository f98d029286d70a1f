#include "identity/resource_servers.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <set>
#include <string_view>
#include <utility>

#include "crypto/encoding.h"
#include "identity/ids.h"
#include "identity/json_fields.h"
#include "identity/retry.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

using store::PoolDocumentRecord;

constexpr int kMaxPage = 50;  // ListResourceServersLimitType
// Tells this listing's tokens apart from every other listing's.
constexpr std::string_view kPageTag = "resource-servers:";

Error ServerNotFound(const std::string& identifier) {
  return Error::NotFound("Resource server " + identifier + " does not exist.");
}

// The Scopes of a request: each {ScopeName, ScopeDescription}, names unique. The front door
// has checked types, lengths and patterns; this guards direct callers and the rules the model
// cannot express.
Result<json::array> ReadScopes(const json::object& request) {
  json::array scopes;
  const json::array* given = GetArray(request, "Scopes");
  if (given == nullptr) return scopes;
  if (given->size() > static_cast<size_t>(kMaxScopesPerResourceServer)) {
    return Error::InvalidParameter("A resource server can have at most " +
                                   std::to_string(kMaxScopesPerResourceServer) + " scopes.");
  }
  std::set<std::string, std::less<>> names;
  for (const json::value& v : *given) {
    const json::object* scope = v.if_object();
    std::optional<std::string> name = scope ? GetString(*scope, "ScopeName") : std::nullopt;
    std::optional<std::string> description =
        scope ? GetString(*scope, "ScopeDescription") : std::nullopt;
    if (!name || name->empty() || name->find('/') != std::string::npos || !description) {
      return Error::InvalidParameter(
          "Each scope needs a ScopeName without '/' and a "
          "ScopeDescription.");
    }
    if (!names.insert(*name).second) {
      return Error::InvalidParameter("Duplicate scope name " + *name + " in the resource server.");
    }
    scopes.push_back(json::object{{"ScopeName", *name}, {"ScopeDescription", *description}});
  }
  return scopes;
}

// The ResourceServerType a request describes (members in Cognito's order).
Result<json::object> ServerFromRequest(const std::string& pool_id, const json::object& request) {
  auto scopes = ReadScopes(request);
  if (!scopes.ok()) return std::move(scopes).error();
  return json::object{{"UserPoolId", pool_id},
                      {"Identifier", GetString(request, "Identifier").value_or("")},
                      {"Name", GetString(request, "Name").value_or("")},
                      {"Scopes", std::move(*scopes)}};
}

Result<json::object> StoredServer(const PoolDocumentRecord& document) {
  return ParseStoredObject(document.body_json);
}

Result<std::string> ResumeAfter(const json::object& request) {
  std::optional<std::string> token = GetString(request, "NextToken");
  if (!token) return std::string();
  std::optional<std::string> after = DecodeTaggedPageToken(kPageTag, *token);
  if (!after) return Error::InvalidParameter("The pagination token is not valid.");
  return std::move(*after);
}

}  // namespace

ResourceServerService::ResourceServerService(UserDirectory& directory) : directory_(directory) {}

Result<PoolDocumentRecord> ResourceServerService::LoadServer(const json::object& request) const {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  std::string identifier = GetString(request, "Identifier").value_or("");
  auto found = documents().GetDocument(pool->id(), PoolDocumentRecord::kResourceServer, identifier);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return ServerNotFound(identifier);
  return std::move(**found);
}

Status ResourceServerService::CheckQuota(const std::string& pool_id) const {
  auto page = documents().ListDocuments(pool_id, PoolDocumentRecord::kResourceServer, "",
                                        kMaxResourceServersPerPool);
  if (!page.ok()) return std::move(page).error();
  if (page->items.size() >= static_cast<size_t>(kMaxResourceServersPerPool)) {
    return Error::LimitExceeded("The user pool has reached its limit of " +
                                std::to_string(kMaxResourceServersPerPool) + " resource servers.");
  }
  return OkStatus();
}

Result<json::object> ResourceServerService::CreateResourceServer(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  auto server = ServerFromRequest(pool->id(), request);
  if (!server.ok()) return std::move(server).error();
  std::string identifier(server->at("Identifier").as_string());
  Error taken =
      Error::InvalidParameter(identifier + " already exists in user pool " + pool->id() + ".");
  // A taken identifier is reported before a full pool (the store checks it again on insert).
  auto existing =
      documents().GetDocument(pool->id(), PoolDocumentRecord::kResourceServer, identifier);
  if (!existing.ok()) return std::move(existing).error();
  if (existing->has_value()) return taken;
  COGNATE_RETURN_IF_ERROR(CheckQuota(pool->id()));

  int64_t now_ms = directory_.clock().NowMs();
  PoolDocumentRecord document{pool->id(), PoolDocumentRecord::kResourceServer,
                              identifier, json::serialize(*server),
                              now_ms,     now_ms};
  auto created = documents().CreateDocument(document);
  if (!created.ok()) return std::move(created).error();
  if (!*created) return taken;
  return json::object{{"ResourceServer", std::move(*server)}};
}

Result<json::object> ResourceServerService::DescribeResourceServer(const json::object& request) {
  auto document = LoadServer(request);
  if (!document.ok()) return std::move(document).error();
  auto server = StoredServer(*document);
  if (!server.ok()) return std::move(server).error();
  return json::object{{"ResourceServer", std::move(*server)}};
}

// Name and Scopes are replaced; Scopes left out clear the server's scopes, as on Cognito.
Result<json::object> ResourceServerService::UpdateResourceServer(const json::object& request) {
  return RetryOnConflict([&]() -> Result<json::object> {
    auto document = LoadServer(request);
    if (!document.ok()) return std::move(document).error();
    auto server = ServerFromRequest(document->pool_id, request);
    if (!server.ok()) return std::move(server).error();
    document->body_json = json::serialize(*server);
    document->modified_ms = directory_.clock().NowMs();
    Status updated = documents().UpdateDocument(*document);
    if (!updated.ok() && updated.error().Is("ResourceNotFoundException"))
      return ServerNotFound(document->name);
    COGNATE_RETURN_IF_ERROR(updated);
    return json::object{{"ResourceServer", std::move(*server)}};
  });
}

Result<json::object> ResourceServerService::DeleteResourceServer(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  std::string identifier = GetString(request, "Identifier").value_or("");
  auto deleted =
      documents().DeleteDocument(pool->id(), PoolDocumentRecord::kResourceServer, identifier);
  if (!deleted.ok()) return std::move(deleted).error();
  if (!*deleted) return ServerNotFound(identifier);
  return json::object();
}

Result<json::object> ResourceServerService::ListResourceServers(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  auto after = ResumeAfter(request);
  if (!after.ok()) return std::move(after).error();
  int limit = static_cast<int>(
      std::clamp<int64_t>(GetInt(request, "MaxResults").value_or(kMaxPage), 1, kMaxPage));
  auto page =
      documents().ListDocuments(pool->id(), PoolDocumentRecord::kResourceServer, *after, limit);
  if (!page.ok()) return std::move(page).error();
  json::array items;
  for (const PoolDocumentRecord& document : page->items) {
    auto server = StoredServer(document);
    if (!server.ok()) return std::move(server).error();
    items.push_back(std::move(*server));
  }
  json::object out{{"ResourceServers", std::move(items)}};
  if (!page->next_after.empty()) {
    out["NextToken"] = EncodeTaggedPageToken(kPageTag, page->next_after);
  }
  return out;
}

Result<std::vector<std::string>> CustomScopesOf(store::PoolDocumentStore& documents,
                                                const std::string& pool_id) {
  // At most kMaxResourceServersPerPool servers, but read every page in case a race overshot.
  std::vector<std::string> scopes;
  std::string after;
  do {
    auto page =
        documents.ListDocuments(pool_id, PoolDocumentRecord::kResourceServer, after, kMaxPage);
    if (!page.ok()) return std::move(page).error();
    for (const PoolDocumentRecord& document : page->items) {
      auto server = StoredServer(document);
      if (!server.ok()) return std::move(server).error();
      const json::array* list = GetArray(*server, "Scopes");
      if (list == nullptr) continue;
      for (const json::value& v : *list) {
        const json::object* scope = v.if_object();
        if (auto name = scope ? GetString(*scope, "ScopeName") : std::nullopt)
          scopes.push_back(document.name + "/" + *name);
      }
    }
    after = std::move(page->next_after);
  } while (!after.empty());
  return scopes;
}

}  // namespace cognate::identity
