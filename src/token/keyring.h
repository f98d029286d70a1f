#pragma once
// The signing keys of every pool, opened once and cached in memory. The store stays the source
// of truth: a pool's key list is re-read when it is older than kMaxAgeMs, and an unknown kid (or
// a missing key of a use) re-reads it sooner, at most once per kReloadIntervalMs per pool, so a
// key added or retired by another node is seen here within a second without letting forged kids
// turn every request into a store read. A re-read opens only keys it has not seen before.
// A key whose created_ms lies in the future is published (it verifies) but does not sign until
// then: rotation (`cognate rotate-keys`) dates new keys ahead so that every node of a cluster
// knows a key before any node signs with it.
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
  // Cached key lists are re-read this often anyway (one indexed query per pool in use), so key
  // changes made on another node reach this one within a second.
  static constexpr int64_t kMaxAgeMs = 1000;
  // Bounds the cache when tokens name many pools that do not exist (cached as empty).
  static constexpr std::size_t kMaxCachedPools = 10000;

  // All three must outlive the Keyring.
  Keyring(store::KeyStore& keys, const crypto::KeyEncryptionKey& kek, const Clock& clock);

  // The newest active key of `use` ("id" or "access"). InternalErrorException when the pool has
  // none or its keys cannot be read or opened.
  Result<SigningKey> SigningKeyFor(const std::string& pool_id, std::string_view use);
  // The key with `kid`, active or not; std::nullopt when the pool has no such key.
  // InternalErrorException when the store or the KEK fails, also when `kid` is unknown and the
  // last attempt to re-read the pool's keys failed (a token signed by a new key is then
  // "try again", not "invalid").
  Result<std::optional<RsaKey>> VerificationKey(const std::string& pool_id, const std::string& kid);
  // Drops a pool's cached keys (e.g. after the pool is deleted on this node).
  void Forget(const std::string& pool_id);

 private:
  struct Entry {
    std::string kid;
    std::string use;
    bool active = false;
    int64_t created_ms = 0;
    RsaKey key;
  };
  struct KeySet {
    std::vector<Entry> entries;  // oldest first, as the store lists them
  };
  using Snapshot = std::shared_ptr<const KeySet>;
  struct Cached {
    Snapshot keys;
    int64_t last_load_ms = 0;
    bool last_load_failed = false;  // the snapshot may lack keys added since
  };

  // The cached keys of a pool, loading them on first use or when older than kMaxAgeMs. With
  // `stale` (a snapshot that lacked what the caller wanted) it reloads, unless a reload started
  // less than kReloadIntervalMs ago. A failed reload keeps serving the previous snapshot, except
  // to a caller with `stale`: it gets InternalErrorException until a reload succeeds, since the
  // key it wants may be one the store could not tell about.
  Result<Snapshot> Keys(const std::string& pool_id, const KeySet* stale);
  // Reads the pool's keys, reusing the opened keys of `previous` (may be null) by kid.
  Result<Snapshot> Load(const std::string& pool_id, const KeySet* previous) const;
  void Install(const std::string& pool_id, Snapshot keys, int64_t now_ms);

  store::KeyStore& store_;
  const crypto::KeyEncryptionKey& kek_;
  const Clock& clock_;
  std::shared_mutex mu_;
  std::map<std::string, Cached, std::less<>> pools_;  // guarded by mu_
};

}  // namespace cognate::token
