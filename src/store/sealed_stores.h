#pragma once
// Users' profile data encrypted at rest, for every backend: decorators of UserStore and
// GroupStore that seal attributes_json (AES-256-GCM under the current data key, bound to the
// user's pool and sub) on the way in and open it on the way out, and store sign-in keys
// (email, phone number, preferred_username lookups) as keyed hashes: HMAC-SHA256 under a key
// derived from the data keys, so uniqueness and alias sign-in still work by equality while the
// database holds no address. Everything above the store sees plaintext.
//
// Rows written before sealing (attributes starting with '{', keys without the "hmac:" prefix)
// still read; SealProfiles rewrites them once.

#include <memory>

#include "crypto/kek.h"
#include "store/stores.h"
#include "store/user_stores.h"

namespace cognate::store {

// Replaces stores.users and stores.groups by sealing decorators over them (`kek` must outlive
// every use of the stores). The first time (store flag "profiles-sealed" unset) it also rewrites every user
// still in clear, then sets the flag so later starts skip the scan. Returns how many users were
// rewritten.
Result<int64_t> SealProfiles(Stores& stores, const crypto::KeyEncryptionKey& kek);

}  // namespace cognate::store
