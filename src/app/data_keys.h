#pragma once
// The server's key set (crypto/kek.h): the data keys in the store, unwrapped with the master
// key. The first start on a store creates them: "k0" holds the master key's own bytes (so that
// values sealed before data keys, and derived keys such as trigger secrets, stay as they were)
// and "k1", random, seals from then on.

#include <cstdint>
#include <optional>
#include <string>

#include "crypto/kek.h"
#include "store/stores.h"

namespace cognate::app {

// The master key the servers use (COGNATE_MASTER_KEY, else <data_dir>/master.key), or
// std::nullopt, reported on stderr, when there is none: one-shot commands never create one.
std::optional<crypto::KeyEncryptionKey> ExistingMasterKey(const std::string& data_dir);

// std::runtime_error when the master key opens none of the store's data keys (a wrong key, or
// the old one after rotate-master-key retired it) or the store is away.
crypto::KeyEncryptionKey LoadKeySet(const crypto::KeyEncryptionKey& master,
                                    store::DataKeyStore& store, int64_t now_ms);

}  // namespace cognate::app
