#pragma once
// Public keys of an upstream OpenID provider (RFC 7517 JWK Sets) for id_token signatures:
// RS256 (RSA, 2048 to 8192 bits) and ES256 (EC P-256). Keys of other types, curves or uses are
// skipped, not errors, so a provider publishing extra keys still works.
//
// JwksCache keeps each jwks_uri's keys for max_age_ms. A kid it does not know triggers a
// refetch, at most once per refetch_interval_ms per URI (a token with a made-up kid cannot make
// Cognate hammer the provider). Thread-safe; fetches run outside the lock.

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "federation/http_client.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace cognate::federation {

class Jwk {
 public:
  // The key a JWK object describes; InvalidParameterException when it is not a usable RS256
  // or ES256 signature key.
  static Result<std::shared_ptr<const Jwk>> FromJson(const boost::json::object& jwk);

  const std::string& kid() const { return kid_; }
  // "RS256" or "ES256": the only algorithm this key verifies.
  const std::string& alg() const { return alg_; }
  // Checks a JWS signature (raw bytes: PKCS#1 v1.5 for RS256, r||s for ES256) over `data`.
  bool Verify(std::string_view data, std::string_view signature) const;

  ~Jwk();
  Jwk(const Jwk&) = delete;
  Jwk& operator=(const Jwk&) = delete;

 private:
  Jwk(std::string kid, std::string alg, EVP_PKEY* key);  // takes ownership of `key`

  std::string kid_;
  std::string alg_;
  EVP_PKEY* key_;
};

using JwkList = std::vector<std::shared_ptr<const Jwk>>;

// The usable keys of a JWK Set document; InvalidParameterException when it is not one.
Result<JwkList> ParseJwks(std::string_view document);

struct JwksCacheOptions {
  int64_t refetch_interval_ms = 60'000;
  int64_t max_age_ms = 3'600'000;
  std::size_t max_uris = 256;  // Oldest entries go first beyond this.
};

class JwksCache {
 public:
  JwksCache(HttpClient& http, const Clock& clock, JwksCacheOptions options = {});

  // The keys of `jwks_uri` that may have signed a token with `kid` ("" = any key). Fetches
  // when nothing is cached, when the cache is stale, or (rate-limited) when no key has `kid`.
  // An empty list when none matches; NotAuthorizedException when the keys cannot be fetched.
  Result<JwkList> KeysFor(const std::string& jwks_uri, const std::string& kid);

 private:
  struct Entry {
    JwkList keys;
    int64_t fetched_ms = 0;   // 0: never fetched successfully
    int64_t attempted_ms = 0;
  };
  static JwkList Matching(const JwkList& keys, const std::string& kid);
  Result<JwkList> Fetch(const std::string& jwks_uri);

  HttpClient& http_;
  const Clock& clock_;
  JwksCacheOptions options_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace cognate::federation
