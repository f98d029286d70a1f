#pragma once
// Access tokens this node has already verified, so that a client presenting the same token
// again (every user API call of a session does) skips the RSA verification and the JWT parse.
// Envoy's jwt_authn keeps such a cache for the same reason. Only the outcome of checks that
// cannot change for the same bytes is cached: the signature, issuer, token_use and claim shapes.
// Expiry and whether the signing key still exists are re-checked on every hit by the caller, and
// revocation is not part of verification at all (AccessGuard reads it from the store).
// Keyed by SHA-256 of the token, so a forged token cannot collide with a cached one. Bounded:
// each shard holds at most kShardCapacity entries; a full shard first drops what has expired,
// then everything (a refill costs one verification per token).

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cognate::token {

struct AccessTokenClaims;

struct CachedAccessToken {
  std::string kid;
  // The verified claims; AccessTokenClaims is defined in token_service.h.
  std::shared_ptr<const AccessTokenClaims> claims;
};

class VerifiedTokenCache {
 public:
  static constexpr std::size_t kShards = 16;
  static constexpr std::size_t kShardCapacity = 4096;  // 65,536 tokens, a few MiB in all

  // The cache key of a token: its SHA-256.
  static std::string KeyOf(std::string_view token);

  std::optional<CachedAccessToken> Find(const std::string& key) const;
  // `now_s` decides which entries a full shard may drop as expired.
  void Insert(const std::string& key, CachedAccessToken entry, int64_t now_s);

 private:
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, CachedAccessToken> entries;  // SHA-256 -> entry
  };
  Shard& ShardOf(const std::string& digest) const;

  mutable std::array<Shard, kShards> shards_;
};

}  // namespace cognate::token
