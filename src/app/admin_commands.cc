#include "app/admin_commands.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>

#include "app/serve.h"
#include "common/clock.h"
#include "crypto/kek.h"
#include "identity/signing_keys.h"
#include "triggers/trigger_secret.h"

namespace cognate::app {
namespace {

// The KEK the servers use, or std::nullopt (reported) when there is none to load.
std::optional<crypto::KeyEncryptionKey> ExistingKek(const std::string& data_dir) {
  const char* env = std::getenv("COGNATE_MASTER_KEY");
  const bool from_env = env != nullptr && *env != '\0';
  if (!from_env && !std::filesystem::exists(data_dir + "/master.key")) {
    std::fprintf(stderr, "cognate: no master key in %s (set --data, or COGNATE_MASTER_KEY)\n",
                 data_dir.c_str());
    return std::nullopt;
  }
  return crypto::KeyEncryptionKey::LoadOrCreate(data_dir, from_env ? env : "");
}

}  // namespace

int PrintTriggerSecret(const ParsedArgs& args) {
  try {
    auto kek = ExistingKek(args.serve.data_dir);
    if (!kek) return 1;
    std::printf("%s\n", triggers::TriggerSecret(*kek, args.pool_id).c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cognate: %s\n", e.what());
    return 1;
  }
}

int RotateKeys(const ParsedArgs& args) {
  try {
    auto kek = ExistingKek(args.serve.data_dir);
    if (!kek) return 1;
    store::Stores stores = OpenStores(args.serve);
    auto pool = stores.pools->GetPool(args.pool_id);
    if (!pool.ok() || !pool->has_value()) {
      std::fprintf(stderr, "cognate: %s\n",
                   pool.ok() ? ("no user pool " + args.pool_id).c_str()
                             : pool.error().message.c_str());
      return 1;
    }
    const int64_t signs_from = SystemClock().NowMs() + args.publish_ahead_seconds * 1000LL;
    auto keys = identity::NewPoolSigningKeys(args.pool_id, signs_from, *kek,
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

}  // namespace cognate::app
