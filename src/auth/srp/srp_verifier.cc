#include "auth/srp/srp_verifier.h"

#include <openssl/crypto.h>

#include <new>
#include <string>

#include "crypto/encoding.h"
#include "crypto/random.h"

namespace cognate::auth::srp {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kMaxSaltDigits = 256;

}  // namespace

SecretBigNum ComputeX(std::string_view salt_hex, std::string_view pool_name,
                      std::string_view username_for_srp, std::string_view password) {
  const BigNum salt = ParseHex(salt_hex, kMaxSaltDigits);
  if (salt == nullptr) return nullptr;
  std::string identity;
  identity.reserve(pool_name.size() + username_for_srp.size() + 1 + password.size());
  identity.append(pool_name).append(username_for_srp).append(":").append(password);
  std::string inner = HashHex(identity);
  OPENSSL_cleanse(identity.data(), identity.size());
  BigNum x_public = HexHashToBigNum(PadHex(salt.get()) + inner);
  OPENSSL_cleanse(inner.data(), inner.size());
  SecretBigNum x = NewSecretBigNum();
  if (BN_copy(x.get(), x_public.get()) == nullptr) throw std::bad_alloc();
  BN_clear(x_public.get());
  return x;
}

Result<SrpVerifier> MakeVerifierWithSalt(std::string_view salt_hex, std::string_view pool_name,
                                         std::string_view username_for_srp,
                                         std::string_view password) {
  SecretBigNum x = ComputeX(salt_hex, pool_name, username_for_srp, password);
  if (x == nullptr) return Error::InvalidParameter("SRP salt must be hexadecimal.");
  BN_set_flags(x.get(), BN_FLG_CONSTTIME);
  BigNum v = NewBigNum();
  BnCtx ctx = NewBnCtx();
  if (BN_mod_exp(v.get(), GroupG(), x.get(), GroupN(), ctx.get()) != 1) throw std::bad_alloc();
  return SrpVerifier{std::string(salt_hex), ToHex(v.get())};
}

SrpVerifier MakeVerifier(std::string_view pool_name, std::string_view username_for_srp,
                         std::string_view password) {
  const std::string salt_hex = crypto::HexEncode(crypto::RandomBytes(kSaltBytes));
  return std::move(MakeVerifierWithSalt(salt_hex, pool_name, username_for_srp, password)).value();
}

}  // namespace cognate::auth::srp
