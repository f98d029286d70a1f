// PoolService: the user pool actions. App client actions are in client_service.cc.

#include "identity/pool_service.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "identity/domains.h"
#include "identity/ids.h"
#include "identity/json_fields.h"
#include "identity/retry.h"
#include "identity/pool_config.h"
#include "identity/schema.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

// Random ids collide with negligible probability; a few retries make it impossible in practice.
constexpr int kIdAttempts = 5;

Error PoolNotFound(const std::string& pool_id) {
  return Error::NotFound("User pool " + pool_id + " does not exist.");
}

Error BadPageToken() { return Error::InvalidParameter("The pagination token is not valid."); }

// One item of ListUserPools (UserPoolDescriptionType; Status is deprecated and not shown).
Result<json::object> DescribePoolBriefly(const store::UserPoolRecord& record) {
  Result<json::object> config = ParseStoredObject(record.config_json);
  if (!config.ok()) return std::move(config).error();
  const json::object* lambda = GetObject(*config, "LambdaConfig");
  return json::object{{"Id", record.id},
                      {"Name", record.name},
                      {"LambdaConfig", lambda ? *lambda : json::object()},
                      {"LastModifiedDate", EpochSeconds(record.modified_ms)},
                      {"CreationDate", EpochSeconds(record.created_ms)}};
}

}  // namespace

PoolService::PoolService(store::PoolStore& pools, store::ClientStore& clients,
                         store::KeyStore& keys, const crypto::KeyEncryptionKey& kek,
                         const Clock& clock, PoolServiceConfig config, KeyFactory key_factory)
    : pools_(pools),
      clients_(clients),
      keys_(keys),
      kek_(kek),
      clock_(clock),
      config_(std::move(config)),
      key_factory_(std::move(key_factory)) {}

Result<PoolService::LoadedPool> PoolService::LoadPool(const json::object& request) const {
  std::string pool_id = GetString(request, "UserPoolId").value_or("");
  Result<std::optional<store::UserPoolRecord>> found = pools_.GetPool(pool_id);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return PoolNotFound(pool_id);
  Result<json::object> config = ParseStoredObject((*found)->config_json);
  if (!config.ok()) return std::move(config).error();
  return LoadedPool{std::move(**found), std::move(*config)};
}

Result<std::string> PoolService::UnusedPoolId() const {
  for (int attempt = 0; attempt < kIdAttempts; ++attempt) {
    std::string pool_id = NewPoolId(config_.region);
    Result<std::optional<store::UserPoolRecord>> found = pools_.GetPool(pool_id);
    if (!found.ok()) return std::move(found).error();
    if (!found->has_value()) return pool_id;
  }
  return Error::Internal("Could not allocate a user pool id.");
}

json::object PoolService::RenderPool(const store::UserPoolRecord& record,
                                     const json::object& config) const {
  int64_t users = 0;
  if (config_.users != nullptr) {
    // An estimate, as in Cognito: a failed count shows 0 rather than failing the call.
    if (auto counted = config_.users->CountUsers(record.id); counted.ok()) users = *counted;
  }
  PoolIdentity identity{
      record.id,         record.name,        PoolArn(config_.region, config_.account_id, record.id),
      record.created_ms, record.modified_ms, users};
  if (config_.documents == nullptr) {
    return json::object{{"UserPool", RenderUserPool(identity, config)}};
  }
  // Domains live apart from the pool's settings; like the user count, a failed read leaves
  // them out rather than failing the call.
  json::object shown = config;
  if (auto domains = DomainsOfPool(*config_.documents, record.id); domains.ok()) {
    if (!domains->prefix.empty()) shown["Domain"] = domains->prefix;
    if (!domains->custom.empty()) shown["CustomDomain"] = domains->custom;
  }
  return json::object{{"UserPool", RenderUserPool(identity, shown)}};
}

Result<json::object> PoolService::CreateUserPool(const json::object& request) {
  Result<json::object> config = NewPoolConfig(request);
  if (!config.ok()) return std::move(config).error();
  Result<std::string> pool_id = UnusedPoolId();
  if (!pool_id.ok()) return std::move(pool_id).error();
  int64_t now_ms = clock_.NowMs();
  store::UserPoolRecord record{*pool_id, GetString(request, "PoolName").value_or(""), now_ms,
                               now_ms, json::serialize(*config)};
  Result<std::vector<store::SigningKeyRecord>> keys =
      NewPoolSigningKeys(*pool_id, now_ms, kek_, key_factory_);
  if (!keys.ok()) return std::move(keys).error();
  COGNATE_RETURN_IF_ERROR(pools_.CreatePool(record, *keys));
  return RenderPool(record, *config);
}

Result<json::object> PoolService::DescribeUserPool(const json::object& request) {
  Result<LoadedPool> pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  return RenderPool(pool->record, pool->config);
}

Result<json::object> PoolService::UpdateUserPool(const json::object& request) {
  return RetryOnConflict([&]() -> Result<json::object> {
    Result<LoadedPool> pool = LoadPool(request);
    if (!pool.ok()) return std::move(pool).error();
    Result<json::object> config = UpdatedPoolConfig(pool->config, request);
    if (!config.ok()) return std::move(config).error();
    store::UserPoolRecord& record = pool->record;
    // PoolName is updatable in the newer model only; older clients never send it.
    if (std::optional<std::string> name = GetString(request, "PoolName")) record.name = *name;
    record.config_json = json::serialize(*config);
    record.modified_ms = clock_.NowMs();
    COGNATE_RETURN_IF_ERROR(pools_.UpdatePool(record));
    return json::object();
  });
}

Result<json::object> PoolService::DeleteUserPool(const json::object& request) {
  Result<LoadedPool> pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  if (GetString(pool->config, "DeletionProtection") == "ACTIVE") {
    return Error::InvalidParameter(
        "The user pool cannot be deleted because deletion protection is activated. Deletion "
        "protection must be inactivated first.");
  }
  if (config_.documents != nullptr) {
    auto domains = DomainsOfPool(*config_.documents, pool->record.id);
    if (!domains.ok()) return std::move(domains).error();
    if (!domains->prefix.empty() || !domains->custom.empty()) {
      return Error::InvalidParameter(
          "User pool cannot be deleted. It has a domain configured that should be deleted first.");
    }
  }
  COGNATE_RETURN_IF_ERROR(pools_.DeletePool(pool->record.id));
  return json::object();
}

Result<json::object> PoolService::ListUserPools(const json::object& request) {
  std::string after;
  if (std::optional<std::string> token = GetString(request, "NextToken")) {
    std::optional<std::string> decoded = DecodePoolPageToken(*token);
    if (!decoded) return BadPageToken();
    after = std::move(*decoded);
  }
  Result<store::Page<store::UserPoolRecord>> page =
      pools_.ListPools(after, PageSize(GetInt(request, "MaxResults")));
  if (!page.ok()) return std::move(page).error();
  json::array items;
  for (const store::UserPoolRecord& record : page->items) {
    Result<json::object> item = DescribePoolBriefly(record);
    if (!item.ok()) return std::move(item).error();
    items.push_back(std::move(*item));
  }
  json::object out{{"UserPools", std::move(items)}};
  if (!page->next_after.empty()) out["NextToken"] = EncodePageToken(page->next_after);
  return out;
}

Result<json::object> PoolService::AddCustomAttributes(const json::object& request) {
  return RetryOnConflict([&]() -> Result<json::object> {
    Result<LoadedPool> pool = LoadPool(request);
    if (!pool.ok()) return std::move(pool).error();
    const json::array none;
    const json::array* schema = GetArray(pool->config, "SchemaAttributes");
    const json::array* custom = GetArray(request, "CustomAttributes");
    Result<json::array> updated =
        AddCustomAttributesToSchema(schema ? *schema : none, custom ? *custom : none);
    if (!updated.ok()) return std::move(updated).error();
    pool->config["SchemaAttributes"] = std::move(*updated);
    pool->record.config_json = json::serialize(pool->config);
    pool->record.modified_ms = clock_.NowMs();
    COGNATE_RETURN_IF_ERROR(pools_.UpdatePool(pool->record));
    return json::object();
  });
}

}  // namespace cognate::identity
