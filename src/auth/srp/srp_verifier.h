#pragma once
// The per-user SRP verifier stored at sign-up and password change (cognito-wire.md §4.4):
//   x = H(padHex(salt) || hash(pool_name + username + ":" + password)),  v = g^x mod N.
// `pool_name` is the part of the pool id after '_' ("us-east-1_Abc123" -> "Abc123") and
// `username` the immutable name later returned as USER_ID_FOR_SRP; changing either invalidates
// the verifier. The salt is hashed the way the clients see it: they parse SALT as a number and
// re-encode it with padHex, so leading zero bytes of the salt are dropped before hashing.

#include <string>
#include <string_view>

#include "auth/srp/srp_group.h"
#include "common/result.h"

namespace cognate::auth::srp {

struct SrpVerifier {
  std::string salt_hex;      // 32 lowercase hex digits (16 random bytes), sent as SALT.
  std::string verifier_hex;  // v as lowercase hex without leading zeros.
};

// A fresh verifier with a random 16-byte salt.
SrpVerifier MakeVerifier(std::string_view pool_name, std::string_view username_for_srp,
                         std::string_view password);
// The verifier for a given salt (tests, or re-deriving); InvalidParameterException when the salt
// is not hex.
Result<SrpVerifier> MakeVerifierWithSalt(std::string_view salt_hex, std::string_view pool_name,
                                         std::string_view username_for_srp,
                                         std::string_view password);
// The private exponent x; nullptr when the salt is not hex.
SecretBigNum ComputeX(std::string_view salt_hex, std::string_view pool_name,
                      std::string_view username_for_srp, std::string_view password);

}  // namespace cognate::auth::srp
