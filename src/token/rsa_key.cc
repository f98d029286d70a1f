#include "token/rsa_key.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <climits>
#include <stdexcept>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cognate::token {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// Never prompts for a passphrase (OpenSSL's default callback reads the terminal).
int NoPassphrase(char*, int, int, void*) { return 0; }

[[noreturn]] void ThrowOpenSsl(const char* what) {
  ERR_clear_error();
  throw std::runtime_error(std::string("OpenSSL: ") + what);
}

std::string BigEndianParam(EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) ThrowOpenSsl("RSA parameter unavailable");
  Bn bn(raw);
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

}  // namespace

void RsaKey::Free::operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }

RsaKey RsaKey::Generate(int bits) {
  if (bits < 2048) throw std::invalid_argument("RsaKey::Generate: at least 2048 bits");
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(bits));
  if (key == nullptr) ThrowOpenSsl("RSA key generation failed");
  return RsaKey(key);
}

Result<RsaKey> RsaKey::FromPrivatePem(std::string_view pem) {
  if (pem.size() > INT_MAX) return Error::Internal("Malformed RSA private key.");
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key =
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr) : nullptr;
  ERR_clear_error();  // a failed parse leaves decoder errors queued on this thread
  if (key == nullptr) return Error::Internal("Malformed RSA private key.");
  RsaKey result(key);
  if (!EVP_PKEY_is_a(key, "RSA")) return Error::Internal("Private key is not an RSA key.");
  return result;
}

std::string RsaKey::PrivatePem() const {
  // A secure-memory BIO is cleansed when freed, so no copy of the key is left in the heap.
  Bio bio(BIO_new(BIO_s_secmem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    ThrowOpenSsl("PEM encoding failed");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0 || data == nullptr) ThrowOpenSsl("PEM encoding failed");
  return std::string(data, static_cast<std::size_t>(len));
}

std::string RsaKey::JwkN() const {
  return crypto::Base64UrlEncode(BigEndianParam(key_.get(), OSSL_PKEY_PARAM_RSA_N));
}

std::string RsaKey::JwkE() const {
  return crypto::Base64UrlEncode(BigEndianParam(key_.get(), OSSL_PKEY_PARAM_RSA_E));
}

std::string RsaKey::Kid() const {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key_.get(), &der);
  if (len <= 0 || der == nullptr) ThrowOpenSsl("public key DER encoding failed");
  const std::string digest = crypto::Sha256(
      std::string_view(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len)));
  OPENSSL_free(der);
  return crypto::Base64Encode(digest);
}

std::string RsaKey::SignRs256(std::string_view data) const {
  MdCtx ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, crypto::FetchedSha256(), nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, in, data.size()) != 1) {
    ThrowOpenSsl("RS256 signing failed");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                     data.size()) != 1) {
    ThrowOpenSsl("RS256 signing failed");
  }
  sig.resize(len);
  return sig;
}

bool RsaKey::VerifyRs256(std::string_view data, std::string_view signature) const {
  MdCtx ctx(EVP_MD_CTX_new());
  const bool ok =
      ctx &&
      EVP_DigestVerifyInit(ctx.get(), nullptr, crypto::FetchedSha256(), nullptr, key_.get()) == 1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()) == 1;
  if (!ok) ERR_clear_error();
  return ok;
}

}  // namespace cognate::token
