#pragma once
// Shared set-up for the token tests: pre-generated RSA keys (2048-bit generation costs ~0.1 s,
// so the whole test binary shares a few), an in-memory SQLite store, a KEK, a FakeClock and a
// Keyring over them, plus a KeyStore wrapper that counts reads.

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "crypto/kek.h"
#include "identity/signing_keys.h"
#include "store/sqlite/open.h"
#include "store/stores.h"
#include "token/keyring.h"
#include "token/rsa_key.h"

namespace cognate::token::token_testing {

inline constexpr int kTestKeyCount = 6;

// Key i of a fixed set, generated once per process.
inline const RsaKey& TestKey(int i) {
  static const std::vector<RsaKey> keys = [] {
    std::vector<RsaKey> out;
    for (int k = 0; k < kTestKeyCount; ++k) out.push_back(RsaKey::Generate());
    return out;
  }();
  return keys.at(static_cast<std::size_t>(i % kTestKeyCount));
}

// Forwards to a real KeyStore and counts ListKeys calls, to observe cache reloads. With
// scramble_sealed, listed keys come back with sealed private keys that cannot be opened.
class CountingKeyStore final : public store::KeyStore {
 public:
  explicit CountingKeyStore(store::KeyStore& inner) : inner_(inner) {}
  Result<std::vector<store::SigningKeyRecord>> ListKeys(const std::string& pool_id) override {
    ++lists;
    if (fail_lists) return Error::Internal("down");
    auto keys = inner_.ListKeys(pool_id);
    if (keys.ok() && scramble_sealed) {
      for (store::SigningKeyRecord& key : *keys) key.private_key_sealed = "scrambled";
    }
    return keys;
  }
  Status AddKey(const store::SigningKeyRecord& key) override { return inner_.AddKey(key); }

  std::atomic<int> lists{0};
  std::atomic<bool> fail_lists{false};
  std::atomic<bool> scramble_sealed{false};

 private:
  store::KeyStore& inner_;
};

class TokenEnv {
 public:
  TokenEnv()
      : stores_(store::sqlite::Open(":memory:")),
        counting_(*stores_.keys),
        kek_(std::string(32, 'k')),
        keyring_(counting_, kek_, clock_) {}

  // Creates `pool_id` with an "id" key (TestKey(first)) and an "access" key (TestKey(first + 1));
  // returns their records, or nothing when that failed.
  std::vector<store::SigningKeyRecord> CreatePool(const std::string& pool_id, int first = 0) {
    int next = first;
    auto records = identity::NewPoolSigningKeys(pool_id, clock_.NowMs(), kek_,
                                                [&] { return TestKey(next++); });
    store::UserPoolRecord pool;
    pool.id = pool_id;
    pool.name = "test";
    pool.config_json = "{}";
    if (!records.ok() || !stores_.pools->CreatePool(pool, *records).ok()) return {};
    return *records;
  }

  // A pool without keys (kids are unique across pools, so test pools cannot share TestKeys).
  bool CreateBarePool(const std::string& pool_id) {
    store::UserPoolRecord pool;
    pool.id = pool_id;
    pool.name = "test";
    pool.config_json = "{}";
    return stores_.pools->CreatePool(pool, {}).ok();
  }

  // A key record of `use` for `key`, sealed as the identity module seals them.
  store::SigningKeyRecord Record(const std::string& pool_id, const std::string& use,
                                 const RsaKey& key, bool active = true) const {
    store::SigningKeyRecord r;
    r.pool_id = pool_id;
    r.kid = key.Kid();
    r.use = use;
    r.alg = "RS256";
    r.public_jwk_json = "{}";
    r.private_key_sealed = kek_.Seal(key.PrivatePem(), "signing-key:" + r.kid);
    r.created_ms = clock_.NowMs();
    r.active = active;
    return r;
  }

  FakeClock& clock() { return clock_; }
  const crypto::KeyEncryptionKey& kek() const { return kek_; }
  store::KeyStore& keys() { return *stores_.keys; }
  store::PoolStore& pools() { return *stores_.pools; }
  CountingKeyStore& counting() { return counting_; }
  Keyring& keyring() { return keyring_; }

 private:
  FakeClock clock_;
  store::Stores stores_;
  CountingKeyStore counting_;
  crypto::KeyEncryptionKey kek_;
  Keyring keyring_;
};

}  // namespace cognate::token::token_testing
