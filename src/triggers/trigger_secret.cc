#include "triggers/trigger_secret.h"

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cognate::triggers {

std::string TriggerSecretFromKey(std::string_view derived_key, std::string_view pool_id) {
  return crypto::HexEncode(
      crypto::HmacSha256(derived_key, std::string("trigger-secret:").append(pool_id)));
}

std::string TriggerSecret(const crypto::KeyEncryptionKey& kek, std::string_view pool_id) {
  return TriggerSecretFromKey(kek.Derive(kTriggerSecretPurpose), pool_id);
}

}  // namespace cognate::triggers
