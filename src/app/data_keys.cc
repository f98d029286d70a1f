#include "app/data_keys.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace cognate::app {
namespace {

constexpr char kRootId[] = "k0";

std::vector<store::DataKeyRecord> ListOrThrow(store::DataKeyStore& store) {
  auto keys = store.ListDataKeys();
  if (!keys.ok()) throw std::runtime_error("cannot read data keys: " + keys.error().message);
  return std::move(*keys);
}

void AddOrThrow(store::DataKeyStore& store, const store::DataKeyRecord& key) {
  // A node starting at the same time may have added its own first: the re-read takes that one.
  if (auto added = store.AddDataKey(key); !added.ok())
    throw std::runtime_error("cannot store data keys: " + added.error().message);
}

}  // namespace

std::optional<crypto::KeyEncryptionKey> ExistingMasterKey(const std::string& data_dir) {
  const char* env = std::getenv("COGNATE_MASTER_KEY");
  const bool from_env = env != nullptr && *env != '\0';
  if (!from_env && !std::filesystem::exists(data_dir + "/master.key")) {
    std::fprintf(stderr, "cognate: no master key in %s (set --data, or COGNATE_MASTER_KEY)\n",
                 data_dir.c_str());
    return std::nullopt;
  }
  return crypto::KeyEncryptionKey::LoadOrCreate(data_dir, from_env ? env : "");
}

crypto::KeyEncryptionKey LoadKeySet(const crypto::KeyEncryptionKey& master,
                                    store::DataKeyStore& store, int64_t now_ms) {
  const std::string master_id = master.Fingerprint();
  auto all = ListOrThrow(store);
  // Keys are created only on a store no other master key has keys in (a new one, or one
  // whose creation a node starting at the same time has begun): a wrong master key must fail,
  // not start a second key set.
  bool others = false;
  bool has_root = false;
  bool has_current = false;
  for (const store::DataKeyRecord& key : all) {
    others = others || key.master_id != master_id;
    if (key.master_id != master_id) continue;
    (key.id == kRootId ? has_root : has_current) = true;
  }
  if (!others && (!has_root || !has_current)) {
    if (!has_root) {
      crypto::WrappedDataKey root = master.WrapOwnBytes(kRootId);
      AddOrThrow(store, {root.id, master_id, root.wrapped, now_ms});
    }
    if (!has_current) {
      crypto::WrappedDataKey first = master.NewDataKey("k1");
      AddOrThrow(store, {first.id, master_id, first.wrapped, now_ms + 1});
    }
    all = ListOrThrow(store);
  }
  std::vector<crypto::WrappedDataKey> mine;
  std::string current;
  for (const store::DataKeyRecord& key : all) {
    if (key.master_id != master_id) continue;
    mine.push_back({key.id, key.wrapped});
    if (key.id != kRootId) current = key.id;  // listed oldest first: the newest seals
  }
  if (mine.empty() || current.empty()) {
    throw std::runtime_error(
        "the master key does not open this store's data keys (after rotate-master-key, start "
        "with the new key)");
  }
  auto set = master.WithDataKeys(mine, kRootId, current);
  if (!set.ok()) throw std::runtime_error(set.error().message);
  return std::move(*set);
}

}  // namespace cognate::app
