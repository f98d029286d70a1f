#include "auth/srp/srp_server.h"

#include <openssl/crypto.h>

#include <new>
#include <optional>
#include <string>
#include <utility>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace cognate::auth::srp {
namespace {

constexpr std::size_t kMaxPublicDigits = 1024;  // A, B, v are < N (768 digits); allow zeros.
constexpr std::size_t kMaxSaltDigits = 256;
constexpr std::size_t kPrivateBytes = 32;  // b: 256 bits (§4.4: ">= 256 bits").
constexpr int kMaxAttempts = 8;

void Check(int openssl_rc) {
  if (openssl_rc != 1) throw std::bad_alloc();  // BN arithmetic fails only when out of memory.
}

SecretBigNum RandomPrivate() {
  std::string bytes = crypto::RandomBytes(kPrivateBytes);
  SecretBigNum b = NewSecretBigNum();
  if (BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                static_cast<int>(bytes.size()), b.get()) == nullptr) {
    throw std::bad_alloc();
  }
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return b;
}

bool IsZeroModN(const BIGNUM* value, BN_CTX* ctx) {
  BigNum rem = NewBigNum();
  Check(BN_nnmod(rem.get(), value, GroupN(), ctx));
  return BN_is_zero(rem.get());
}

}  // namespace

SrpServerSession::SrpServerSession(BigNum a_pub, BigNum v, SecretBigNum b, BigNum b_pub,
                                   std::string salt_hex)
    : a_pub_(std::move(a_pub)),
      v_(std::move(v)),
      b_(std::move(b)),
      b_pub_(std::move(b_pub)),
      b_pub_hex_(ToHex(b_pub_.get())),
      salt_hex_(std::move(salt_hex)) {}

Result<SrpServerSession> SrpServerSession::Start(const SrpVerifier& verifier,
                                                 std::string_view srp_a_hex) {
  return Build(verifier, srp_a_hex, nullptr);
}

Result<SrpServerSession> SrpServerSession::Resume(const SrpVerifier& verifier,
                                                  std::string_view srp_a_hex,
                                                  std::string_view b_hex) {
  BigNum parsed = ParseHex(b_hex, kMaxPublicDigits);
  if (parsed == nullptr || BN_is_zero(parsed.get())) {
    return Error::InvalidParameter("The SRP private value is malformed.");
  }
  SecretBigNum b = NewSecretBigNum();
  if (BN_copy(b.get(), parsed.get()) == nullptr) throw std::bad_alloc();
  BN_clear(parsed.get());
  return Build(verifier, srp_a_hex, std::move(b));
}

Result<SrpServerSession> SrpServerSession::Build(const SrpVerifier& verifier,
                                                 std::string_view srp_a_hex, SecretBigNum fixed_b) {
  BnCtx ctx = NewBnCtx();
  BigNum a_pub = ParseHex(srp_a_hex, kMaxPublicDigits);
  if (a_pub == nullptr) return Error::InvalidParameter("SRP_A must be a hexadecimal number.");
  if (IsZeroModN(a_pub.get(), ctx.get())) {
    return Error::InvalidParameter("SRP_A cannot be 0 mod N.");
  }
  BigNum v = ParseHex(verifier.verifier_hex, kMaxPublicDigits);
  if (v == nullptr || IsZeroModN(v.get(), ctx.get()) ||
      ParseHex(verifier.salt_hex, kMaxSaltDigits) == nullptr) {
    return Error::Internal("The stored SRP verifier is unusable.");
  }
  BigNum kv = NewBigNum();
  Check(BN_mod_mul(kv.get(), GroupK(), v.get(), GroupN(), ctx.get()));

  const bool fixed = fixed_b != nullptr;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    SecretBigNum b = fixed ? std::move(fixed_b) : RandomPrivate();
    if (BN_is_zero(b.get())) {
      if (fixed) return Error::InvalidParameter("The SRP private value is malformed.");
      continue;
    }
    BN_set_flags(b.get(), BN_FLG_CONSTTIME);
    BigNum g_b = NewBigNum();
    Check(BN_mod_exp(g_b.get(), GroupG(), b.get(), GroupN(), ctx.get()));
    BigNum b_pub = NewBigNum();
    Check(BN_mod_add(b_pub.get(), kv.get(), g_b.get(), GroupN(), ctx.get()));
    if (!BN_is_zero(b_pub.get())) {
      return SrpServerSession(std::move(a_pub), std::move(v), std::move(b), std::move(b_pub),
                              verifier.salt_hex);
    }
    if (fixed) return Error::InvalidParameter("The SRP private value gives B = 0.");
  }
  return Error::Internal("Could not pick an SRP private value.");
}

Result<SrpServerSession::KeyMaterial> SrpServerSession::DeriveKeyMaterial() const {
  BigNum u = ComputeU(a_pub_.get(), b_pub_.get());
  if (BN_is_zero(u.get())) return Error::InvalidParameter("SRP_A gives u = 0.");
  BnCtx ctx = NewBnCtx();
  BigNum v_u = NewBigNum();
  Check(BN_mod_exp(v_u.get(), v_.get(), u.get(), GroupN(), ctx.get()));
  SecretBigNum base = NewSecretBigNum();
  Check(BN_mod_mul(base.get(), a_pub_.get(), v_u.get(), GroupN(), ctx.get()));
  SecretBigNum s = NewSecretBigNum();
  Check(BN_mod_exp(s.get(), base.get(), b_.get(), GroupN(), ctx.get()));
  return KeyMaterial{ToHex(u.get()), ToHex(s.get()), DeriveKey(u.get(), s.get())};
}

Result<bool> SrpServerSession::VerifyClaim(std::string_view pool_name,
                                           std::string_view username_for_srp,
                                           std::string_view secret_block_b64,
                                           std::string_view timestamp,
                                           std::string_view signature_b64) const {
  const std::optional<std::string> secret_block = crypto::Base64Decode(secret_block_b64);
  if (!secret_block.has_value()) {
    return Error::InvalidParameter("PASSWORD_CLAIM_SECRET_BLOCK is not valid base64.");
  }
  const std::optional<std::string> signature = crypto::Base64Decode(signature_b64);
  if (!signature.has_value()) {
    return Error::InvalidParameter("PASSWORD_CLAIM_SIGNATURE is not valid base64.");
  }
  Result<KeyMaterial> material = DeriveKeyMaterial();
  if (!material.ok()) return std::move(material).error();

  std::string message;
  message.reserve(pool_name.size() + username_for_srp.size() + secret_block->size() +
                  timestamp.size());
  message.append(pool_name).append(username_for_srp).append(*secret_block).append(timestamp);
  const std::string expected = crypto::HmacSha256(material->key, message);
  OPENSSL_cleanse(material->key.data(), material->key.size());
  OPENSSL_cleanse(material->s_hex.data(), material->s_hex.size());
  return crypto::ConstantTimeEquals(expected, *signature);
}

}  // namespace cognate::auth::srp
