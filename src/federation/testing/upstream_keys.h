#pragma once
// Signing keys of a pretend upstream provider, for id_token tests without a network: RSA keys
// generated once per test binary (generation is slow), their JWK Set, and compact JWS signing
// with any header.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "crypto/encoding.h"
#include "token/rsa_key.h"

namespace cognate::federation::testing {

// Two distinct keys: [0] is published, [1] is an impostor's.
inline const token::RsaKey& UpstreamKey(int i) {
  static const token::RsaKey* keys[2] = {new token::RsaKey(token::RsaKey::Generate(2048)),
                                         new token::RsaKey(token::RsaKey::Generate(2048))};
  return *keys[i];
}

inline boost::json::object RsaJwk(const token::RsaKey& key, const std::string& kid) {
  return boost::json::object{{"kty", "RSA"}, {"use", "sig"}, {"alg", "RS256"},
                             {"kid", kid},   {"n", key.JwkN()}, {"e", key.JwkE()}};
}

// {"keys":[UpstreamKey(0) as kid "upstream-key-1"]}
inline std::string UpstreamJwks() {
  return boost::json::serialize(
      boost::json::object{{"keys", boost::json::array{RsaJwk(UpstreamKey(0), "upstream-key-1")}}});
}

inline std::string SignWith(const token::RsaKey& key, const boost::json::object& header,
                            const boost::json::object& claims) {
  std::string input = crypto::Base64UrlEncode(boost::json::serialize(header)) + "." +
                      crypto::Base64UrlEncode(boost::json::serialize(claims));
  return input + "." + crypto::Base64UrlEncode(key.SignRs256(input));
}

// An RS256 id_token signed by UpstreamKey(key_index) with kid `kid`.
inline std::string SignIdToken(const boost::json::object& claims,
                               const std::string& kid = "upstream-key-1", int key_index = 0) {
  return SignWith(UpstreamKey(key_index), {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", kid}}, claims);
}

}  // namespace cognate::federation::testing
