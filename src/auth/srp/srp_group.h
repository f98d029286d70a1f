#pragma once
// The arithmetic shared by both ends of Cognito's SRP-6a (cognito-wire.md §4.1-4.3), written to
// reproduce amazon-cognito-identity-js / Amplify bit for bit:
// - N is the 3072-bit MODP prime of RFC 3526 (group 15), g = 2.
// - Numbers are hashed in `padHex` form: minimal two's-complement hex (not fixed width).
// - k = H(padHex(N) || padHex(g)) with g NOT padded to the length of N ("02").
// - u = H(padHex(A) || padHex(B)); K = HKDF-SHA256(ikm = padHex(S), salt = padHex(u),
//   info = "Caldera Derived Key" || 0x01), first 16 bytes.
// Everything here is stateless and thread-safe; the group constants are built once.

#include <openssl/bn.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace cognate::auth::srp {

struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
struct BnClearFree {  // For secrets (exponents, premaster secrets): wiped before release.
  void operator()(BIGNUM* bn) const { BN_clear_free(bn); }
};
struct BnCtxFree {
  void operator()(BN_CTX* ctx) const { BN_CTX_free(ctx); }
};
using BigNum = std::unique_ptr<BIGNUM, BnFree>;
using SecretBigNum = std::unique_ptr<BIGNUM, BnClearFree>;
using BnCtx = std::unique_ptr<BN_CTX, BnCtxFree>;

// Allocation failures of OpenSSL are treated like std::bad_alloc (thrown), as for any allocation.
BigNum NewBigNum();
SecretBigNum NewSecretBigNum();
BnCtx NewBnCtx();

// The group. The pointers live for the whole program.
const BIGNUM* GroupN();
const BIGNUM* GroupG();
const BIGNUM* GroupK();
// N in lowercase hex (768 digits), as in AuthenticationHelper.js `initN`.
std::string_view GroupNHex();

// Lowercase hex of the value without leading zeros ("0" for zero): BigInteger.toString(16).
std::string ToHex(const BIGNUM* bn);
// Minimal two's-complement hex of a non-negative value: even length, "00" prefixed when the top
// nibble is 8-f. 20 -> "14", 236 -> "00ec", 2 -> "02", 0 -> "00".
std::string PadHex(const BIGNUM* bn);
// Parses hex digits (either case, leading zeros allowed) as `new BigInteger(hex, 16)` does for
// the values the protocol carries. nullptr when empty, longer than max_digits, or not hex.
BigNum ParseHex(std::string_view hex, std::size_t max_digits = 1024);

// `hash(str)` of the clients: SHA-256 of the bytes, as 64 lowercase hex digits.
std::string HashHex(std::string_view data);
// `hexHash(hex)` as a number: SHA-256 of the hex-decoded bytes. nullptr for malformed hex.
BigNum HexHashToBigNum(std::string_view hex);

// u = H(padHex(A) || padHex(B)).
BigNum ComputeU(const BIGNUM* a_pub, const BIGNUM* b_pub);
// The 16-byte session key derived from the premaster secret S and u (raw bytes).
std::string DeriveKey(const BIGNUM* u, const BIGNUM* s);

}  // namespace cognate::auth::srp
