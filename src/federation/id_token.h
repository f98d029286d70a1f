#pragma once
// Verification of an upstream provider's id_token (OpenID Connect Core 3.1.3.7) before
// Cognate trusts any claim in it:
//   - compact JWS of at most 16 KiB, header alg RS256 or ES256 (never "none", never HMAC), no
//     "crit";
//   - a signature by a key of the provider's JWKS with the token's kid (any key when the token
//     has none) whose algorithm is the header's;
//   - iss equal to the provider's oidc_issuer (a trailing slash aside);
//   - aud equal to or containing client_id, and azp, when present, equal to client_id;
//   - exp after now and iat, nbf not after now, each with kClockSkewSeconds of tolerance;
//   - nonce equal to the one Cognate sent (compared in constant time);
//   - a non-empty string sub.
// Every failure is NotAuthorizedException whose message says which check failed (for logs;
// it never contains the token).

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "federation/jwks.h"

namespace cognate::federation {

inline constexpr int64_t kClockSkewSeconds = 300;

struct IdTokenExpectations {
  std::string issuer;
  std::string client_id;
  std::string nonce;  // Required: Cognate always sends one.
  int64_t now_seconds = 0;
};

// The candidate keys for a kid ("" when the token names none); JwksCache::KeysFor in
// production, fixed keys in tests.
using KeyLookup = std::function<Result<JwkList>(const std::string& kid)>;

// The token's claims when every check passes.
Result<boost::json::object> VerifyIdToken(std::string_view token,
                                          const IdTokenExpectations& expected,
                                          const KeyLookup& keys);

}  // namespace cognate::federation
