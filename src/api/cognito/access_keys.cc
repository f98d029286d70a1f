#include "api/cognito/access_keys.h"

#include <algorithm>

#include <boost/json.hpp>

#include "api/cognito/sigv4.h"

namespace cognate::api {
namespace {

constexpr int64_t kCacheTtlMs = 1000;  // Bounds how long a replaced key keeps working here.

std::string SecretAad(const std::string& access_key_id) { return "access-key:" + access_key_id; }

bool Allows(const std::vector<std::string>& allowed, const std::string& value) {
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](const std::string& a) { return a == "*" || a == value; });
}

std::vector<std::string> Strings(const boost::json::object& o, const char* key) {
  std::vector<std::string> out;
  if (auto* v = o.if_contains(key); v && v->is_array())
    for (const auto& s : v->as_array())
      if (s.is_string()) out.emplace_back(s.as_string());
  return out;
}

}  // namespace

std::string AccessKeyPolicy::ToJson() const {
  boost::json::object o;
  o["actions"] = boost::json::value_from(actions);
  o["pools"] = boost::json::value_from(pools);
  return boost::json::serialize(o);
}

AccessKeyPolicy AccessKeyPolicy::FromJson(const std::string& json) {
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return {{}, {}};
  return {Strings(v.as_object(), "actions"), Strings(v.as_object(), "pools")};
}

AccessKeyAuthorizer::AccessKeyAuthorizer(store::AccessKeyStore& store,
                                         const crypto::KeyEncryptionKey& kek, const Clock& clock)
    : store_(store), kek_(kek), clock_(clock) {}

std::optional<AccessKeyAuthorizer::Cached> AccessKeyAuthorizer::Load(
    const std::string& access_key_id) const {
  int64_t now = clock_.NowMs();
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(access_key_id);
    if (it != cache_.end() && now - it->second.loaded_ms < kCacheTtlMs) return it->second;
  }
  auto record = store_.GetAccessKey(access_key_id);
  if (!record.ok() || !record->has_value()) return std::nullopt;
  auto secret = kek_.Open((*record)->secret_sealed, SecretAad(access_key_id));
  if (!secret.ok()) return std::nullopt;
  Cached c{std::move(*secret), AccessKeyPolicy::FromJson((*record)->policy_json), now};
  std::lock_guard lock(mu_);
  cache_[access_key_id] = c;
  return c;
}

Result<AccessKeyIdentity> AccessKeyAuthorizer::Authenticate(const http::Request& request) const {
  std::optional<AccessKeyPolicy> policy;
  SecretLookup lookup = [&](std::string_view akid) -> std::optional<std::string> {
    auto c = Load(std::string(akid));
    if (!c) return std::nullopt;
    policy = c->policy;
    return c->secret;
  };
  auto who = VerifySigV4(request, lookup, clock_.NowSeconds());
  if (!who.ok()) return std::move(who).error();
  return AccessKeyIdentity{who->access_key_id, policy.value_or(AccessKeyPolicy{{}, {}})};
}

Status AccessKeyAuthorizer::Authorize(const AccessKeyIdentity& who, const std::string& action,
                                      const std::string& pool_id) {
  if (Allows(who.policy.actions, action) && (pool_id.empty() || Allows(who.policy.pools, pool_id)))
    return OkStatus();
  return Error::Make("AccessDeniedException", "User: " + who.access_key_id +
                                                  " is not authorized to perform: cognito-idp:" +
                                                  action);
}

Status AccessKeyAuthorizer::PutKey(const std::string& access_key_id, const std::string& secret,
                                   const AccessKeyPolicy& policy,
                                   const std::string& description) const {
  store::AccessKeyRecord r;
  r.access_key_id = access_key_id;
  r.secret_sealed = kek_.Seal(secret, SecretAad(access_key_id));
  r.policy_json = policy.ToJson();
  r.description = description;
  r.created_ms = clock_.NowMs();
  COGNATE_RETURN_IF_ERROR(store_.PutAccessKey(r));
  std::lock_guard lock(mu_);
  cache_.erase(access_key_id);
  return OkStatus();
}

}  // namespace cognate::api
