#pragma once
// The request path a fuzz target drives: a CognitoDispatcher with every operation of the
// service model registered (each answering {} once its body has passed authentication and
// validation), SigV4 against one known access key, over an in-memory access-key table.

#include <map>
#include <memory>
#include <string>

#include "api/cognito/access_keys.h"
#include "api/cognito/dispatcher.h"
#include "common/clock.h"
#include "crypto/kek.h"
#include "store/stores.h"

namespace cognate::fuzz {

inline constexpr char kAccessKeyId[] = "AKIDFUZZ000000000001";
inline constexpr char kSecret[] = "fuzz-secret-key-0000000000000000000000";

class MemoryAccessKeys final : public store::AccessKeyStore {
 public:
  Status PutAccessKey(const store::AccessKeyRecord& key) override {
    keys_[key.access_key_id] = key;
    return OkStatus();
  }
  Result<std::optional<store::AccessKeyRecord>> GetAccessKey(const std::string& id) override {
    auto it = keys_.find(id);
    if (it == keys_.end()) return std::optional<store::AccessKeyRecord>();
    return std::optional<store::AccessKeyRecord>(it->second);
  }

 private:
  std::map<std::string, store::AccessKeyRecord> keys_;
};

struct FrontDoor {
  FrontDoor();
  FakeClock clock{1'700'000'000'000};
  crypto::KeyEncryptionKey kek{std::string(32, 'k')};
  MemoryAccessKeys keys;
  std::unique_ptr<api::AccessKeyAuthorizer> authorizer;
  std::unique_ptr<api::CognitoDispatcher> dispatcher;
};

// Built once per process (fuzz targets are single-threaded).
FrontDoor& TheFrontDoor();

}  // namespace cognate::fuzz
