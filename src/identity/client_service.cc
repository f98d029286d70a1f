// PoolService: the app client actions. User pool actions are in pool_service.cc.

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <exception>
#include <utility>

#include "identity/client_config.h"
#include "identity/ids.h"
#include "identity/json_fields.h"
#include "identity/retry.h"
#include "identity/pool_service.h"
#include "identity/resource_servers.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

constexpr int kIdAttempts = 5;

std::string SecretAad(const std::string& client_id) { return "client-secret:" + client_id; }

// The sealed form of a new client's secret ("" for a client without one).
Result<std::string> SealSecret(const crypto::KeyEncryptionKey& kek,
                               const std::optional<std::string>& secret,
                               const std::string& client_id) {
  if (!secret) return std::string();
  try {
    return kek.Seal(*secret, SecretAad(client_id));
  } catch (const std::exception&) {
    // Seal reports OpenSSL failures by throwing; keep them off the request path.
    return Error::Internal("Could not protect the client secret.");
  }
}

// The secret of a new client: the caller's own (newer model), a generated one, or none.
Result<std::optional<std::string>> ChooseSecret(const json::object& request) {
  std::optional<bool> generate = GetBool(request, "GenerateSecret");
  if (std::optional<std::string> given = GetString(request, "ClientSecret")) {
    if (generate == false) {
      return Error::InvalidParameter("ClientSecret cannot be set when GenerateSecret is false.");
    }
    return given;
  }
  if (generate.value_or(false)) return std::optional<std::string>(NewClientSecret());
  return std::optional<std::string>();
}

}  // namespace

Result<ClientRules> PoolService::RulesFor(const LoadedPool& pool, bool has_secret,
                                          bool creating) const {
  ClientRules rules{pool.record.id, GetArray(pool.config, "SchemaAttributes"), has_secret,
                    creating};
  if (config_.documents != nullptr) {
    auto scopes = CustomScopesOf(*config_.documents, pool.record.id);
    if (!scopes.ok()) return std::move(scopes).error();
    rules.custom_scopes = std::move(*scopes);
    std::string after;
    do {
      auto page = config_.documents->ListDocuments(
          pool.record.id, store::PoolDocumentRecord::kIdentityProvider, after, 60);
      if (!page.ok()) return std::move(page).error();
      for (const auto& d : page->items) rules.identity_providers.push_back(d.name);
      after = page->next_after;
    } while (!after.empty());
  }
  return rules;
}

Result<PoolService::LoadedClient> PoolService::LoadClient(const json::object& request) const {
  std::string pool_id = GetString(request, "UserPoolId").value_or("");
  std::string client_id = GetString(request, "ClientId").value_or("");
  Result<std::optional<store::AppClientRecord>> found = clients_.GetClient(pool_id, client_id);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) {
    // A missing pool is reported as such, like every other action on a pool.
    Result<LoadedPool> pool = LoadPool(request);
    if (!pool.ok()) return std::move(pool).error();
    return Error::NotFound("User pool client " + client_id + " does not exist.");
  }
  Result<json::object> config = ParseStoredObject((*found)->config_json);
  if (!config.ok()) return std::move(config).error();
  return LoadedClient{std::move(**found), std::move(*config)};
}

Result<std::string> PoolService::UnusedClientId() const {
  for (int attempt = 0; attempt < kIdAttempts; ++attempt) {
    std::string client_id = NewClientId();
    Result<std::optional<store::AppClientRecord>> found = clients_.FindClient(client_id);
    if (!found.ok()) return std::move(found).error();
    if (!found->has_value()) return client_id;
  }
  return Error::Internal("Could not allocate an app client id.");
}

Result<json::object> PoolService::RenderClient(const store::AppClientRecord& record,
                                               const json::object& config) const {
  ClientIdentity identity{record.pool_id, record.client_id,  record.name,
                          std::nullopt,   record.created_ms, record.modified_ms};
  if (!record.secret_sealed.empty()) {
    Result<std::string> secret = kek_.Open(record.secret_sealed, SecretAad(record.client_id));
    if (!secret.ok()) return std::move(secret).error();
    identity.secret = std::move(*secret);
  }
  return json::object{{"UserPoolClient", RenderUserPoolClient(identity, config)}};
}

Result<json::object> PoolService::CreateUserPoolClient(const json::object& request) {
  Result<LoadedPool> pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  const std::string& pool_id = pool->record.id;
  Result<int64_t> count = clients_.CountClients(pool_id);
  if (!count.ok()) return std::move(count).error();
  if (*count >= kMaxClientsPerPool) {
    return Error::LimitExceeded("The user pool has reached its limit of 1000 app clients.");
  }
  Result<std::optional<std::string>> secret = ChooseSecret(request);
  if (!secret.ok()) return std::move(secret).error();
  Result<ClientRules> rules = RulesFor(*pool, secret->has_value(), true);
  if (!rules.ok()) return std::move(rules).error();
  Result<json::object> config = BuildClientConfig(request, *rules);
  if (!config.ok()) return std::move(config).error();
  Result<std::string> client_id = UnusedClientId();
  if (!client_id.ok()) return std::move(client_id).error();
  Result<std::string> sealed = SealSecret(kek_, *secret, *client_id);
  if (!sealed.ok()) return std::move(sealed).error();
  int64_t now_ms = clock_.NowMs();
  store::AppClientRecord record{pool_id,
                                *client_id,
                                GetString(request, "ClientName").value_or(""),
                                *sealed,
                                now_ms,
                                now_ms,
                                json::serialize(*config)};
  COGNATE_RETURN_IF_ERROR(clients_.CreateClient(record));
  return RenderClient(record, *config);
}

Result<json::object> PoolService::DescribeUserPoolClient(const json::object& request) {
  Result<LoadedClient> client = LoadClient(request);
  if (!client.ok()) return std::move(client).error();
  return RenderClient(client->record, client->config);
}

Result<json::object> PoolService::UpdateUserPoolClient(const json::object& request) {
  return RetryOnConflict([&]() -> Result<json::object> {
    Result<LoadedPool> pool = LoadPool(request);
    if (!pool.ok()) return std::move(pool).error();
    Result<LoadedClient> client = LoadClient(request);
    if (!client.ok()) return std::move(client).error();
    store::AppClientRecord& record = client->record;
    // The secret never changes here; the request is checked against the one the client has.
    Result<ClientRules> rules = RulesFor(*pool, !record.secret_sealed.empty(), false);
    if (!rules.ok()) return std::move(rules).error();
    Result<json::object> config = BuildClientConfig(request, *rules);
    if (!config.ok()) return std::move(config).error();
    if (std::optional<std::string> name = GetString(request, "ClientName")) record.name = *name;
    record.config_json = json::serialize(*config);
    record.modified_ms = clock_.NowMs();
    COGNATE_RETURN_IF_ERROR(clients_.UpdateClient(record));
    return RenderClient(record, *config);
  });
}

Result<json::object> PoolService::DeleteUserPoolClient(const json::object& request) {
  Result<LoadedClient> client = LoadClient(request);
  if (!client.ok()) return std::move(client).error();
  COGNATE_RETURN_IF_ERROR(clients_.DeleteClient(client->record.pool_id, client->record.client_id));
  return json::object();
}

Result<json::object> PoolService::ListUserPoolClients(const json::object& request) {
  Result<LoadedPool> pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  std::string after;
  if (std::optional<std::string> token = GetString(request, "NextToken")) {
    std::optional<std::string> decoded = DecodeClientPageToken(*token);
    if (!decoded) return Error::InvalidParameter("The pagination token is not valid.");
    after = std::move(*decoded);
  }
  Result<store::Page<store::AppClientRecord>> page =
      clients_.ListClients(pool->record.id, after, PageSize(GetInt(request, "MaxResults")));
  if (!page.ok()) return std::move(page).error();
  json::array items;
  for (const store::AppClientRecord& record : page->items) {
    items.push_back(json::object{{"ClientId", record.client_id},
                                 {"UserPoolId", record.pool_id},
                                 {"ClientName", record.name}});
  }
  json::object out{{"UserPoolClients", std::move(items)}};
  if (!page->next_after.empty()) out["NextToken"] = EncodePageToken(page->next_after);
  return out;
}

}  // namespace cognate::identity
