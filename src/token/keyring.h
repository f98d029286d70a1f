#pragma once
// The signing keys of every pool, opened once and cached in memory. The store stays the source
// of truth: an unknown kid (or a missing key of a use) reloads that pool's keys, at most once per
// kReloadIntervalMs per pool, so a key added by another node is picked up without letting forged
// kids turn every request into a store read; keys older than kMaxAgeMs are re-read as well.
// Private keys are opened with the KEK and live only inside RsaKey objects. Thread-safe: readers
// share immutable snapshots.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "crypto/kek.h"
#include "store/stores.h"
#include "token/rsa_key.h"

namespace cognate::token {

struct SigningKey {
  std::string kid;
  RsaKey key;
};

class Keyring {
 public:
  static constexpr int64_t kReloadIntervalMs = 1000;
  // Cached keys are re-read this often anyway, so a rotation made on another node is used for
  // signing here too (the JWKS is cached for as long).
  static constexpr int64_t kMaxAgeMs = 300'000;
  // Bounds the cache when tokens name many pools that do not exist (cached as empty).
  static constexpr std::size_t kMaxCachedPools = 10000;

  // All three must outlive the Keyring.
  Keyring(store::KeyStore& keys, const crypto::KeyEncryptionKey& kek, const Clock& clock);

  // The newest active key of `use` ("id" or "access"). InternalErrorException when the pool has
  // none or its keys cannot be read or opened.
  Result<SigningKey> SigningKeyFor(const std::string& pool_id, std::string_view use);
  // The key with `kid`, active or not; std::nullopt when the pool has no such key.
  // InternalErrorException when the store or the KEK fails.
  Result<std::optional<RsaKey>> VerificationKey(const std::string& pool_id, const std::string& kid);
  // Drops a pool's cached keys (e.g. after the pool is deleted on this node).
  void Forget(const std::string& pool_id);

 private:
  struct Entry {
    std::string kid;
    std::string use;
    bool active = false;
    RsaKey key;
  };
  struct KeySet {
    std::vector<Entry> entries;  // oldest first, as the store lists them
  };
  using Snapshot = std::shared_ptr<const KeySet>;
  struct Cached {
    Snapshot keys;
    int64_t last_load_ms = 0;
  };

  // The cached keys of a pool, loading them on first use or when older than kMaxAgeMs. With
  // `stale` (a snapshot that lacked what the caller wanted) it reloads, unless a reload started
  // less than kReloadIntervalMs ago. A failed reload keeps serving the previous snapshot.
  Result<Snapshot> Keys(const std::string& pool_id, const KeySet* stale);
  Result<Snapshot> Load(const std::string& pool_id) const;
  void Install(const std::string& pool_id, Snapshot keys, int64_t now_ms);

  store::KeyStore& store_;
  const crypto::KeyEncryptionKey& kek_;
  const Clock& clock_;
  std::shared_mutex mu_;
  std::map<std::string, Cached, std::less<>> pools_;  // guarded by mu_
};

}  // namespace cognate::token
