#pragma once
// Admin access keys: SigV4 verification against keys kept (sealed) in the AccessKeyStore, and
// the per-key policy (which actions, which pools). Decrypted secrets are cached briefly in
// memory so a signed call costs no store round trip or decryption in the common case.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "crypto/kek.h"
#include "http/message.h"
#include "store/stores.h"

namespace cognate::api {

struct AccessKeyPolicy {
  std::vector<std::string> actions{"*"};  // Action names, or "*".
  std::vector<std::string> pools{"*"};    // User pool ids, or "*".
  static AccessKeyPolicy Admin() { return {}; }
  std::string ToJson() const;
  static AccessKeyPolicy FromJson(const std::string& json);  // Malformed -> allows nothing.
};

struct AccessKeyIdentity {
  std::string access_key_id;
  AccessKeyPolicy policy;
};

class AccessKeyAuthorizer {
 public:
  AccessKeyAuthorizer(store::AccessKeyStore& store, const crypto::KeyEncryptionKey& kek,
                      const Clock& clock);

  // Verifies the request's SigV4 signature; returns the caller's key and policy.
  Result<AccessKeyIdentity> Authenticate(const http::Request& request) const;
  // AccessDeniedException unless the policy allows `action` on `pool_id` ("" = no pool).
  static Status Authorize(const AccessKeyIdentity& who, const std::string& action,
                          const std::string& pool_id);

  // Creates or replaces an access key (secret sealed at rest).
  Status PutKey(const std::string& access_key_id, const std::string& secret,
                const AccessKeyPolicy& policy, const std::string& description) const;

 private:
  struct Cached {
    std::string secret;
    AccessKeyPolicy policy;
    int64_t loaded_ms;
  };
  std::optional<Cached> Load(const std::string& access_key_id) const;

  store::AccessKeyStore& store_;
  const crypto::KeyEncryptionKey& kek_;
  const Clock& clock_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, Cached> cache_;
};

}  // namespace cognate::api
