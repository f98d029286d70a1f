#include "auth/srp/srp_group.h"

#include <openssl/crypto.h>

#include <cstring>
#include <new>
#include <optional>
#include <string>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cognate::auth::srp {
namespace {

// RFC 3526 §4 (3072-bit MODP group), identical to AuthenticationHelper.js `initN`.
constexpr std::string_view kNHex =
    "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e34"
    "04ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6"
    "f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a6916"
    "3fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c"
    "32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea95"
    "6ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea7157"
    "5d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d876"
    "02733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e"
    "4b82d120a93ad2caffffffffffffffff";

constexpr std::string_view kDerivedKeyInfo = "Caldera Derived Key\x01";
constexpr std::size_t kDerivedKeyBytes = 16;

BigNum MakeN() {
  BigNum n = ParseHex(kNHex);
  if (n == nullptr) throw std::bad_alloc();
  return n;
}

BigNum MakeG() {
  BigNum g = NewBigNum();
  if (BN_set_word(g.get(), 2) != 1) throw std::bad_alloc();
  return g;
}

BigNum MakeK() {
  BigNum k = HexHashToBigNum(PadHex(GroupN()) + PadHex(GroupG()));
  if (k == nullptr) throw std::bad_alloc();
  return k;
}

}  // namespace

BigNum NewBigNum() {
  BigNum bn(BN_new());
  if (bn == nullptr) throw std::bad_alloc();
  return bn;
}

SecretBigNum NewSecretBigNum() {
  SecretBigNum bn(BN_secure_new());
  if (bn == nullptr) throw std::bad_alloc();
  return bn;
}

BnCtx NewBnCtx() {
  BnCtx ctx(BN_CTX_new());
  if (ctx == nullptr) throw std::bad_alloc();
  return ctx;
}

const BIGNUM* GroupN() {
  static const BigNum n = MakeN();
  return n.get();
}

const BIGNUM* GroupG() {
  static const BigNum g = MakeG();
  return g.get();
}

const BIGNUM* GroupK() {
  static const BigNum k = MakeK();
  return k.get();
}

std::string_view GroupNHex() { return kNHex; }

std::string ToHex(const BIGNUM* bn) {
  char* raw = BN_bn2hex(bn);
  if (raw == nullptr) throw std::bad_alloc();
  const std::size_t raw_len = std::strlen(raw);
  std::string out;
  out.reserve(raw_len);
  for (const char* p = raw; *p != '\0'; ++p) {
    if (*p == '-') continue;  // Never negative in this protocol.
    if (out.empty() && *p == '0') continue;
    out += static_cast<char>(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
  }
  OPENSSL_clear_free(raw, raw_len);  // May hold a secret (S).
  if (out.empty()) out = "0";
  return out;
}

std::string PadHex(const BIGNUM* bn) {
  std::string hex = ToHex(bn);
  if (hex.size() % 2 != 0) hex.insert(0, "0");
  if (hex[0] >= '8') hex.insert(0, "00");  // '8'-'9' and 'a'-'f' all sort after '8'.
  return hex;
}

BigNum ParseHex(std::string_view hex, std::size_t max_digits) {
  if (hex.empty() || hex.size() > max_digits) return nullptr;
  // Decode to bytes ourselves (BN_hex2bn accepts a sign and stops at the first bad digit).
  std::string even(hex.size() % 2, '0');
  even.append(hex);
  const std::optional<std::string> bytes = crypto::HexDecode(even);
  if (!bytes.has_value()) return nullptr;
  BigNum bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()),
                      static_cast<int>(bytes->size()), nullptr));
  if (bn == nullptr) throw std::bad_alloc();
  return bn;
}

std::string HashHex(std::string_view data) { return crypto::HexEncode(crypto::Sha256(data)); }

BigNum HexHashToBigNum(std::string_view hex) {
  const std::optional<std::string> bytes = crypto::HexDecode(hex);
  if (!bytes.has_value()) return nullptr;
  const std::string digest = crypto::Sha256(*bytes);
  BigNum bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(digest.data()),
                      static_cast<int>(digest.size()), nullptr));
  if (bn == nullptr) throw std::bad_alloc();
  return bn;
}

BigNum ComputeU(const BIGNUM* a_pub, const BIGNUM* b_pub) {
  return HexHashToBigNum(PadHex(a_pub) + PadHex(b_pub));
}

std::string DeriveKey(const BIGNUM* u, const BIGNUM* s) {
  // HKDF-SHA256 (RFC 5869) with one output block, as the clients compute it by hand.
  const std::optional<std::string> salt = crypto::HexDecode(PadHex(u));
  std::optional<std::string> ikm = crypto::HexDecode(PadHex(s));
  std::string prk = crypto::HmacSha256(*salt, *ikm);
  std::string okm = crypto::HmacSha256(prk, kDerivedKeyInfo);
  OPENSSL_cleanse(ikm->data(), ikm->size());
  OPENSSL_cleanse(prk.data(), prk.size());
  std::string key = okm.substr(0, kDerivedKeyBytes);
  OPENSSL_cleanse(okm.data(), okm.size());
  return key;
}

}  // namespace cognate::auth::srp
