#pragma once
// Compact JWS (RFC 7515) as Cognito uses it: RS256 only, header {"kid":"<kid>","alg":"RS256"}.
// ParseJwt only checks the shape; the caller verifies the signature with the key named by kid
// and decides what the claims mean.

#include <boost/json/object.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"
#include "token/rsa_key.h"

namespace cognate::token {

// Far above any token we issue (~1-2 KiB); bounds the work spent on untrusted input.
inline constexpr std::size_t kMaxJwtBytes = 16 * 1024;

struct Jwt {
  boost::json::object header;
  boost::json::object claims;
  std::string kid;            // header "kid", non-empty
  std::string signing_input;  // "<header>.<payload>" exactly as received
  std::string signature;      // raw signature bytes
};

// Signs `claims` (serialized in their insertion order) with `key`. Throws std::runtime_error
// only when OpenSSL itself fails, as RsaKey::SignRs256 does.
std::string SignJwt(const RsaKey& key, const std::string& kid, const boost::json::object& claims);

// Strict parse of an untrusted token: at most kMaxJwtBytes, three non-empty canonical base64url
// segments (no padding, no whitespace), JSON object header and payload, alg "RS256", a non-empty
// string kid and no "crit". Any failure is a NotAuthorizedException; the message says which check
// failed, for logs, and callers replace it with their own wording.
Result<Jwt> ParseJwt(std::string_view token);

}  // namespace cognate::token
