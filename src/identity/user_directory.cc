#include "identity/config_memo.h"
#include "identity/user_directory.h"

#include <algorithm>

#include "common/ascii.h"
#include "identity/json_fields.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

std::vector<std::string> Strings(const json::object& config, std::string_view key) {
  std::vector<std::string> out;
  if (const json::array* a = GetArray(config, key))
    for (const auto& v : *a)
      if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

bool Has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// ASCII lowercase. Cognito folds case for ASCII letters; other characters compare as given.

bool IsTrue(const json::object& attrs, std::string_view name) {
  std::optional<std::string> v = GetString(attrs, name);
  return v && *v == "true";
}

}  // namespace

bool IsVerifiableAttribute(std::string_view name) {
  return name == "email" || name == "phone_number";
}

std::string PendingAttributeKey(std::string_view attribute) {
  return std::string(kPendingAttributePrefix) + std::string(attribute);
}

bool IsReservedAttribute(std::string_view name) {
  return name.starts_with(kReservedAttributePrefix);
}

void DropReservedAttributes(json::object& attributes) {
  for (auto it = attributes.begin(); it != attributes.end();) {
    if (IsReservedAttribute(it->key()))
      it = attributes.erase(it);
    else
      ++it;
  }
}

Error UserNotFound() { return Error::Make("UserNotFoundException", "User does not exist."); }

Error ClientNotFound(const std::string& client_id) {
  return Error::NotFound("User pool client " + client_id + " does not exist.");
}

namespace {
triggers::TriggerInvoker& NoTriggersInvoker() {
  static triggers::NoTriggers none;
  return none;
}
}  // namespace

UserDirectory::UserDirectory(store::Stores& stores, const crypto::KeyEncryptionKey& kek,
                             const Clock& clock)
    : stores_(stores), kek_(kek), clock_(clock), triggers_(&NoTriggersInvoker()) {}

SharedConfig::SharedConfig() : object_(std::make_shared<const json::object>()) {}

Result<PoolContext> UserDirectory::LoadPool(const std::string& pool_id) const {
  auto found = stores_.pools->GetPool(pool_id);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return Error::NotFound("User pool " + pool_id + " does not exist.");
  auto config = SharedStoredConfig(pool_id, (*found)->config_json);
  if (!config.ok()) return std::move(config).error();
  PoolContext pool;
  pool.record = std::move(**found);
  pool.config = SharedConfig(std::move(*config));
  if (const json::object* u = GetObject(pool.config, "UsernameConfiguration"))
    pool.case_sensitive = GetBool(*u, "CaseSensitive").value_or(true);
  pool.username_attributes = Strings(pool.config, "UsernameAttributes");
  pool.alias_attributes = Strings(pool.config, "AliasAttributes");
  return pool;
}

Result<ClientContext> UserDirectory::LoadClient(const std::string& client_id) const {
  auto found = stores_.clients->FindClient(client_id);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return ClientNotFound(client_id);
  auto config = SharedStoredConfig(client_id, (*found)->config_json);
  if (!config.ok()) return std::move(config).error();
  ClientContext client{std::move(**found), SharedConfig(std::move(*config)), {}};
  if (!client.record.secret_sealed.empty()) {
    auto secret = kek_.Open(client.record.secret_sealed, "client-secret:" + client_id);
    if (!secret.ok()) return std::move(secret).error();
    client.secret = std::move(*secret);
  }
  return client;
}

Result<ClientContext> UserDirectory::LoadClient(const std::string& pool_id,
                                                const std::string& client_id) const {
  auto client = LoadClient(client_id);
  if (client.ok() && client->record.pool_id != pool_id) return ClientNotFound(client_id);
  return client;
}

std::string UserDirectory::UsernameKey(const PoolContext& pool, std::string_view username) {
  return pool.case_sensitive ? std::string(username) : AsciiLower(username);
}

std::string UserDirectory::AliasKey(const PoolContext& pool, std::string_view kind,
                                    std::string_view value) {
  if (kind == "email") return AsciiLower(value);
  if (kind == "preferred_username") return UsernameKey(pool, value);
  return std::string(value);
}

Result<std::optional<store::UserRecord>> UserDirectory::Find(const PoolContext& pool,
                                                             std::string_view name) const {
  auto by_name = stores_.users->GetUser(pool.id(), UsernameKey(pool, name));
  if (!by_name.ok() || by_name->has_value()) return by_name;
  for (const auto* kinds : {&pool.username_attributes, &pool.alias_attributes}) {
    for (const std::string& kind : *kinds) {
      auto holder = stores_.users->FindByKey(pool.id(), {kind, AliasKey(pool, kind, name)});
      if (!holder.ok() || holder->has_value()) return holder;
    }
  }
  return stores_.users->FindBySub(pool.id(), std::string(name));
}

Result<store::UserRecord> UserDirectory::Require(const PoolContext& pool,
                                                 std::string_view name) const {
  auto found = Find(pool, name);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return UserNotFound();
  return std::move(**found);
}

std::vector<store::UserKey> UserDirectory::KeysFor(const PoolContext& pool,
                                                   const json::object& attributes) {
  std::vector<store::UserKey> keys;
  for (const char* kind : {"email", "phone_number", "preferred_username"}) {
    std::optional<std::string> value = GetString(attributes, kind);
    if (!value || value->empty()) continue;
    bool username_attribute = Has(pool.username_attributes, kind);
    // email and phone aliases count once verified; preferred_username needs no verification.
    bool verified = std::string_view(kind) == "preferred_username" ||
                    IsTrue(attributes, std::string(kind) + "_verified");
    if (username_attribute || (Has(pool.alias_attributes, kind) && verified))
      keys.push_back({kind, AliasKey(pool, kind, *value)});
  }
  return keys;
}

Result<json::object> UserDirectory::Attributes(const store::UserRecord& user) {
  auto attrs = ParseStoredObject(user.attributes_json);
  if (!attrs.ok()) return std::move(attrs).error();
  DropReservedAttributes(*attrs);
  (*attrs)["sub"] = user.sub;
  return attrs;
}

json::array UserDirectory::AttributeList(const json::object& attributes,
                                         const std::vector<std::string>* only) {
  json::array out;
  auto add = [&](std::string_view name, const json::value& value) {
    if (only && !Has(*only, name)) return;
    out.push_back(json::object{{"Name", name}, {"Value", value}});
  };
  if (const json::value* sub = attributes.if_contains("sub")) add("sub", *sub);
  for (const auto& kv : attributes)
    if (kv.key() != "sub") add(kv.key(), kv.value());
  return out;
}

Result<json::object> UserDirectory::UserType(const store::UserRecord& user,
                                             const std::vector<std::string>* only) {
  auto attrs = Attributes(user);
  if (!attrs.ok()) return std::move(attrs).error();
  return json::object{{"Username", user.username},
                      {"Attributes", AttributeList(*attrs, only)},
                      {"UserCreateDate", EpochSeconds(user.created_ms)},
                      {"UserLastModifiedDate", EpochSeconds(user.modified_ms)},
                      {"Enabled", user.enabled},
                      {"UserStatus", user.status}};
}

}  // namespace cognate::identity
