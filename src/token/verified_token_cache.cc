#include "token/verified_token_cache.h"

#include <cstring>
#include <utility>

#include "crypto/hash.h"
#include "token/token_service.h"

namespace cognate::token {

std::string VerifiedTokenCache::KeyOf(std::string_view token) { return crypto::Sha256(token); }

VerifiedTokenCache::Shard& VerifiedTokenCache::ShardOf(const std::string& key) const {
  // The key is a digest: any of its bytes is uniformly spread.
  return shards_[static_cast<unsigned char>(key.empty() ? 0 : key[0]) % kShards];
}

std::optional<CachedAccessToken> VerifiedTokenCache::Find(const std::string& key) const {
  Shard& shard = ShardOf(key);
  std::lock_guard lock(shard.mu);
  auto it = shard.entries.find(key);
  if (it == shard.entries.end()) return std::nullopt;
  return it->second;
}

void VerifiedTokenCache::Insert(const std::string& key, CachedAccessToken entry, int64_t now_s) {
  Shard& shard = ShardOf(key);
  std::lock_guard lock(shard.mu);
  if (shard.entries.size() >= kShardCapacity) {
    std::erase_if(shard.entries,
                  [now_s](const auto& kv) { return now_s >= kv.second.claims->exp; });
    if (shard.entries.size() >= kShardCapacity) shard.entries.clear();
  }
  shard.entries.insert_or_assign(key, std::move(entry));
}

}  // namespace cognate::token
