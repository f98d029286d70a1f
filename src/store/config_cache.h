#pragma once
// Pools and app clients change rarely and are read by nearly every request (GetUser reads its
// pool and client once each): decorators of PoolStore and ClientStore that keep what they read
// for up to `ttl_ms`. Every write through them empties both caches at once, so on a node that
// owns its store (SQLite) a change is seen by the next request, exactly as without the cache.
// Writes made by other nodes of a cluster are seen within `ttl_ms`: the PostgreSQL setup leaves
// the cache off unless asked (`cognate serve --config-cache-ms`). Misses are not cached.

#include <cstdint>

#include "common/clock.h"
#include "store/stores.h"

namespace cognate::store {

// Replaces stores.pools and stores.clients by caching decorators (`clock` must outlive them).
// ttl_ms <= 0 leaves the stores as they are.
void CachePoolsAndClients(Stores& stores, const Clock& clock, int64_t ttl_ms);

}  // namespace cognate::store
