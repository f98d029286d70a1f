#include "app/admin_commands.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>

#include "app/data_keys.h"
#include "app/serve.h"
#include "common/clock.h"
#include "crypto/kek.h"
#include "crypto/random.h"
#include "identity/signing_keys.h"
#include "triggers/trigger_secret.h"

namespace cognate::app {
namespace {

bool MasterKeyFromEnv() {
  const char* env = std::getenv("COGNATE_MASTER_KEY");
  return env != nullptr && *env != '\0';
}

}  // namespace

int PrintTriggerSecret(const ParsedArgs& args) {
  try {
    auto master = ExistingMasterKey(args.serve.data_dir);
    if (!master) return 1;
    store::Stores stores = OpenStores(args.serve);
    auto kek = LoadKeySet(*master, *stores.data_keys, SystemClock().NowMs());
    std::printf("%s\n", triggers::TriggerSecret(kek, args.pool_id).c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cognate: %s\n", e.what());
    return 1;
  }
}

int RotateKeys(const ParsedArgs& args) {
  try {
    auto master = ExistingMasterKey(args.serve.data_dir);
    if (!master) return 1;
    store::Stores stores = OpenStores(args.serve);
    auto kek = LoadKeySet(*master, *stores.data_keys, SystemClock().NowMs());
    auto pool = stores.pools->GetPool(args.pool_id);
    if (!pool.ok() || !pool->has_value()) {
      std::fprintf(stderr, "cognate: %s\n",
                   pool.ok() ? ("no user pool " + args.pool_id).c_str()
                             : pool.error().message.c_str());
      return 1;
    }
    const int64_t signs_from = SystemClock().NowMs() + args.publish_ahead_seconds * 1000LL;
    auto keys = identity::NewPoolSigningKeys(args.pool_id, signs_from, kek,
                                             identity::GenerateSigningKey);
    if (!keys.ok()) {
      std::fprintf(stderr, "cognate: %s\n", keys.error().message.c_str());
      return 1;
    }
    for (const store::SigningKeyRecord& key : *keys) {
      if (Status added = stores.keys->AddKey(key); !added.ok()) {
        std::fprintf(stderr, "cognate: %s\n", added.error().message.c_str());
        return 1;
      }
      std::printf("%s key %s: published now, signs from %s\n", key.use.c_str(), key.kid.c_str(),
                  FormatUtc(signs_from, "%Y-%m-%dT%H:%M:%SZ").c_str());
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cognate: %s\n", e.what());
    return 1;
  }
}

int RotateMasterKey(const ParsedArgs& args) {
  const MasterKeyRotation& rotation = args.master_key;
  try {
    auto old_master = ExistingMasterKey(args.serve.data_dir);
    if (!old_master) return 1;
    store::Stores stores = OpenStores(args.serve);
    const int64_t now_ms = SystemClock().NowMs();
    // Creates the data keys on a store that has none yet, and proves the old key opens them.
    LoadKeySet(*old_master, *stores.data_keys, now_ms);
    if (rotation.retire_old) {
      auto removed = stores.data_keys->RetireMasterKeys(old_master->Fingerprint());
      if (!removed.ok()) throw std::runtime_error(removed.error().message);
      std::printf("removed %lld wrappings under other master keys\n",
                  static_cast<long long>(*removed));
      return 0;
    }
    if (rotation.new_key_file.empty() && MasterKeyFromEnv()) {
      std::fprintf(stderr,
                   "cognate: the master key comes from COGNATE_MASTER_KEY: give the new one with "
                   "--new-key-file\n");
      return 1;
    }
    std::string raw;
    if (rotation.new_key_file.empty()) raw = crypto::RandomBytes(32);
    auto new_master = rotation.new_key_file.empty()
                          ? crypto::KeyEncryptionKey(raw)
                          : crypto::KeyEncryptionKey::FromFile(rotation.new_key_file);
    const std::string new_id = new_master.Fingerprint();
    if (new_id == old_master->Fingerprint()) {
      std::fprintf(stderr, "cognate: the new master key is the current one\n");
      return 1;
    }
    auto keys = stores.data_keys->ListDataKeys();
    if (!keys.ok()) throw std::runtime_error(keys.error().message);
    int rewrapped = 0;
    for (const store::DataKeyRecord& key : *keys) {
      if (key.master_id != old_master->Fingerprint()) continue;
      auto next = old_master->Rewrap({key.id, key.wrapped}, new_master);
      if (!next.ok()) throw std::runtime_error(next.error().message);
      auto added = stores.data_keys->AddDataKey({key.id, new_id, next->wrapped, now_ms});
      if (!added.ok()) throw std::runtime_error(added.error().message);
      ++rewrapped;
    }
    // The new wrappings are durable before the new key replaces the old file.
    if (!raw.empty()) {
      crypto::KeyEncryptionKey::ReplaceKeyFile(args.serve.data_dir, raw);
      sodium_memzero(raw.data(), raw.size());
      std::printf("wrote the new master key to %s/master.key\n", args.serve.data_dir.c_str());
    }
    std::printf("re-wrapped %d data keys under master key %s\n", rewrapped, new_id.c_str());
    if (!rotation.keep_old) {
      auto removed = stores.data_keys->RetireMasterKeys(new_id);
      if (!removed.ok()) throw std::runtime_error(removed.error().message);
      std::printf("the old master key no longer opens anything\n");
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cognate: %s\n", e.what());
    return 1;
  }
}

}  // namespace cognate::app
