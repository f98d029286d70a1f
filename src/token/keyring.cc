#include "token/keyring.h"

#include <openssl/crypto.h>

#include <mutex>
#include <utility>

namespace cognate::token {
namespace {

Error CannotOpenKeys() { return Error::Internal("Could not read the user pool's signing keys."); }
Error CannotReadKeys() {
  return Error::Internal("The user pool's signing keys cannot be read at the moment.");
}

}  // namespace

Keyring::Keyring(store::KeyStore& keys, const crypto::KeyEncryptionKey& kek, const Clock& clock)
    : store_(keys), kek_(kek), clock_(clock) {}

Result<SigningKey> Keyring::SigningKeyFor(const std::string& pool_id, std::string_view use) {
  // The store lists keys oldest first, so the last match is the newest. Keys dated in the future
  // (published ahead by a rotation) are skipped unless nothing else can sign.
  const int64_t now = clock_.NowMs();
  auto newest = [&](const KeySet& set) -> const Entry* {
    const Entry* fallback = nullptr;
    for (auto it = set.entries.rbegin(); it != set.entries.rend(); ++it) {
      if (!it->active || it->use != use) continue;
      if (it->created_ms <= now) return &*it;
      if (fallback == nullptr) fallback = &*it;
    }
    return fallback;
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
      if (!wants_reload(cached) || (since >= 0 && since < kReloadIntervalMs)) {
        // A key the caller lacks may have been added while the store could not be read: that
        // is "cannot tell", not "no such key".
        if (stale != nullptr && cached.keys.get() == stale && cached.last_load_failed) {
          return CannotReadKeys();
        }
        return cached.keys;
      }
      cached.last_load_ms = now;  // claimed under the lock: concurrent callers are throttled
      previous = cached.keys;
    }
  }
  auto loaded = Load(pool_id, previous.get());
  if (!loaded.ok()) {
    if (!previous) return loaded;
    {
      std::unique_lock lock(mu_);
      if (auto it = pools_.find(pool_id); it != pools_.end()) it->second.last_load_failed = true;
    }
    // Keys already in hand beat an error while the store is unavailable (retried after the
    // interval), unless the caller needs a key they lack.
    return stale != nullptr ? loaded : Result<Snapshot>(previous);
  }
  Install(pool_id, *loaded, now);
  return loaded;
}

Result<Keyring::Snapshot> Keyring::Load(const std::string& pool_id,
                                        const KeySet* previous) const {
  auto records = store_.ListKeys(pool_id);
  if (!records.ok()) return std::move(records).error();
  auto opened_before = [&](const std::string& kid) -> const Entry* {
    if (previous == nullptr) return nullptr;
    for (const Entry& e : previous->entries) {
      if (e.kid == kid) return &e;
    }
    return nullptr;
  };
  auto set = std::make_shared<KeySet>();
  for (const store::SigningKeyRecord& record : *records) {
    if (record.alg != "RS256") continue;  // nothing else is signed or accepted
    // A kid names one key for good (it is the key's thumbprint), so an opened key is reused.
    if (const Entry* known = opened_before(record.kid)) {
      set->entries.push_back(
          Entry{record.kid, record.use, record.active, record.created_ms, known->key});
      continue;
    }
    auto pem = kek_.Open(record.private_key_sealed, "signing-key:" + record.kid);
    if (!pem.ok()) return CannotOpenKeys();
    auto key = RsaKey::FromPrivatePem(*pem);
    // The plaintext PEM must not linger in freed heap memory.
    OPENSSL_cleanse(pem->data(), pem->size());
    if (!key.ok()) return CannotOpenKeys();
    set->entries.push_back(
        Entry{record.kid, record.use, record.active, record.created_ms, std::move(*key)});
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
