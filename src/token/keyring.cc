#include "token/keyring.h"

#include <openssl/crypto.h>

#include <mutex>
#include <utility>

namespace cognate::token {
namespace {

Error CannotOpenKeys() { return Error::Internal("Could not read the user pool's signing keys."); }

}  // namespace

Keyring::Keyring(store::KeyStore& keys, const crypto::KeyEncryptionKey& kek, const Clock& clock)
    : store_(keys), kek_(kek), clock_(clock) {}

Result<SigningKey> Keyring::SigningKeyFor(const std::string& pool_id, std::string_view use) {
  // The store lists keys oldest first, so the last active match is the newest.
  auto newest = [&](const KeySet& set) -> const Entry* {
    for (auto it = set.entries.rbegin(); it != set.entries.rend(); ++it) {
      if (it->active && it->use == use) return &*it;
    }
    return nullptr;
  };
  auto keys = Keys(pool_id, nullptr);
  if (!keys.ok()) return std::move(keys).error();
  const Entry* entry = newest(**keys);
  if (entry == nullptr) {
    keys = Keys(pool_id, keys->get());
    if (!keys.ok()) return std::move(keys).error();
    entry = newest(**keys);
  }
  if (entry == nullptr) return Error::Internal("The user pool has no active signing key.");
  return SigningKey{entry->kid, entry->key};
}

Result<std::optional<RsaKey>> Keyring::VerificationKey(const std::string& pool_id,
                                                       const std::string& kid) {
  auto find = [&](const KeySet& set) -> std::optional<RsaKey> {
    for (const Entry& e : set.entries) {
      if (e.kid == kid) return e.key;
    }
    return std::nullopt;
  };
  auto keys = Keys(pool_id, nullptr);
  if (!keys.ok()) return std::move(keys).error();
  if (auto key = find(**keys)) return key;
  keys = Keys(pool_id, keys->get());
  if (!keys.ok()) return std::move(keys).error();
  return find(**keys);
}

void Keyring::Forget(const std::string& pool_id) {
  std::unique_lock lock(mu_);
  pools_.erase(pool_id);
}

Result<Keyring::Snapshot> Keyring::Keys(const std::string& pool_id, const KeySet* stale) {
  const int64_t now = clock_.NowMs();
  // `stale` is only compared by address: the caller still holds it, so it cannot be reused.
  auto wants_reload = [&](const Cached& c) {
    return (stale != nullptr && c.keys.get() == stale) || now - c.last_load_ms >= kMaxAgeMs;
  };
  {
    std::shared_lock lock(mu_);
    auto it = pools_.find(pool_id);
    if (it != pools_.end() && !wants_reload(it->second)) return it->second.keys;
  }
  Snapshot previous;
  {
    std::unique_lock lock(mu_);
    auto it = pools_.find(pool_id);
    if (it != pools_.end()) {
      Cached& cached = it->second;
      const int64_t since = now - cached.last_load_ms;
      // A clock that went backwards does not block reloads.
      if (!wants_reload(cached) || (since >= 0 && since < kReloadIntervalMs)) return cached.keys;
      cached.last_load_ms = now;  // claimed under the lock: concurrent callers are throttled
      previous = cached.keys;
    }
  }
  auto loaded = Load(pool_id);
  // Keys already in hand beat an error while the store is unavailable; retried after the interval.
  if (!loaded.ok()) return previous ? Result<Snapshot>(previous) : loaded;
  Install(pool_id, *loaded, now);
  return loaded;
}

Result<Keyring::Snapshot> Keyring::Load(const std::string& pool_id) const {
  auto records = store_.ListKeys(pool_id);
  if (!records.ok()) return std::move(records).error();
  auto set = std::make_shared<KeySet>();
  for (const store::SigningKeyRecord& record : *records) {
    if (record.alg != "RS256") continue;  // nothing else is signed or accepted
    auto pem = kek_.Open(record.private_key_sealed, "signing-key:" + record.kid);
    if (!pem.ok()) return CannotOpenKeys();
    auto key = RsaKey::FromPrivatePem(*pem);
    // The plaintext PEM must not linger in freed heap memory.
    OPENSSL_cleanse(pem->data(), pem->size());
    if (!key.ok()) return CannotOpenKeys();
    set->entries.push_back(Entry{record.kid, record.use, record.active, std::move(*key)});
  }
  return Snapshot(std::move(set));
}

void Keyring::Install(const std::string& pool_id, Snapshot keys, int64_t now_ms) {
  std::unique_lock lock(mu_);
  if (pools_.size() >= kMaxCachedPools && !pools_.contains(pool_id)) {
    // Entries of pools without keys are the cheap ones to lose; if that is not enough, start over.
    std::erase_if(pools_, [](const auto& kv) { return kv.second.keys->entries.empty(); });
    if (pools_.size() >= kMaxCachedPools) pools_.clear();
  }
  pools_[pool_id] = Cached{std::move(keys), now_ms};
}

}  // namespace cognate::token
