#pragma once
// Each pool's trigger signing secret, derived from the key-encryption key so nothing new is
// stored: hex(HMAC-SHA256(KEK.Derive("trigger-secrets"), "trigger-secret:<pool id>")), 64
// lowercase hex characters. The receiver uses that text (its ASCII bytes) as the HMAC key of
// X-Cognate-Signature, like the delivery webhooks' secret; `cognate trigger-secret --data DIR
// POOL_ID` prints it. It changes only with the KEK (DATA/master.key or COGNATE_MASTER_KEY).

#include <string>
#include <string_view>

#include "crypto/kek.h"

namespace cognate::triggers {

inline constexpr char kTriggerSecretPurpose[] = "trigger-secrets";

std::string TriggerSecret(const crypto::KeyEncryptionKey& kek, std::string_view pool_id);

// The same from the already derived key (kek.Derive(kTriggerSecretPurpose)).
std::string TriggerSecretFromKey(std::string_view derived_key, std::string_view pool_id);

}  // namespace cognate::triggers
