#pragma once
// The server half of Cognito's USER_SRP_AUTH (cognito-wire.md §4.4), as a pure computation:
//   Start:        A from SRP_A (rejected when A mod N == 0), random b, B = (k*v + g^b) mod N.
//   VerifyClaim:  u = H(padHex(A) || padHex(B)), S = (A * v^u)^b mod N, K = HKDF(S, u), and
//                 PASSWORD_CLAIM_SIGNATURE == base64(HMAC-SHA256(K, pool_name || username ||
//                 secret block bytes || TIMESTAMP)), compared in constant time.
// The TIMESTAMP is hashed exactly as received; ParseTimestamp lets the caller enforce freshness.
// Sealing A and b into SECRET_BLOCK, single use, lockout and error mapping belong to the caller:
// a session is rebuilt from the unsealed values with Resume().
// A session is immutable after construction; its const members are safe to call concurrently.

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/srp/srp_group.h"
#include "auth/srp/srp_verifier.h"
#include "common/result.h"

namespace cognate::auth::srp {

class SrpServerSession {
 public:
  // The values of the key agreement, exposed for tests and diagnostics. `key` is raw bytes.
  struct KeyMaterial {
    std::string u_hex;
    std::string s_hex;
    std::string key;
  };

  // InvalidParameterException for malformed SRP_A or A mod N == 0; InternalErrorException when
  // the stored verifier is unusable.
  static Result<SrpServerSession> Start(const SrpVerifier& verifier, std::string_view srp_a_hex);
  // Rebuilds the session for a known private b (from SECRET_BLOCK, or fixed in tests). Same
  // errors as Start, plus InvalidParameterException for a malformed or zero b.
  static Result<SrpServerSession> Resume(const SrpVerifier& verifier, std::string_view srp_a_hex,
                                         std::string_view b_hex);

  // SRP_B: lowercase hex without leading zeros (BigInteger.toString(16)).
  const std::string& srp_b_hex() const { return b_pub_hex_; }
  const std::string& salt_hex() const { return salt_hex_; }
  // The private exponent, for sealing into SECRET_BLOCK. Secret.
  std::string private_b_hex() const { return ToHex(b_.get()); }

  // InvalidParameterException when u == 0 (only for a hostile A).
  Result<KeyMaterial> DeriveKeyMaterial() const;

  // True when the signature proves knowledge of the password; false for a wrong one.
  // InvalidParameterException when the secret block or the signature is not base64.
  Result<bool> VerifyClaim(std::string_view pool_name, std::string_view username_for_srp,
                           std::string_view secret_block_b64, std::string_view timestamp,
                           std::string_view signature_b64) const;

  // "EEE MMM d HH:mm:ss UTC yyyy" (English names, day 1-31 unpadded or zero-padded, weekday
  // must match the date) -> seconds since the epoch. InvalidParameterException otherwise.
  static Result<int64_t> ParseTimestamp(std::string_view timestamp);

 private:
  SrpServerSession(BigNum a_pub, BigNum v, SecretBigNum b, BigNum b_pub, std::string salt_hex);
  static Result<SrpServerSession> Build(const SrpVerifier& verifier, std::string_view srp_a_hex,
                                        SecretBigNum fixed_b);

  BigNum a_pub_;
  BigNum v_;
  SecretBigNum b_;
  BigNum b_pub_;
  std::string b_pub_hex_;
  std::string salt_hex_;
};

}  // namespace cognate::auth::srp
