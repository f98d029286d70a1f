#pragma once
// RSA signing keys for JWTs: generation, PEM round trip, public JWK members, key ids.

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace cognate::token {

class RsaKey {
 public:
  static RsaKey Generate(int bits = 2048);
  // Parses a PKCS#8 PEM private key; InternalErrorException when malformed.
  static Result<RsaKey> FromPrivatePem(std::string_view pem);

  std::string PrivatePem() const;  // PKCS#8 PEM
  // Base64url (no padding) big-endian modulus and exponent, as a JWK's "n" and "e".
  std::string JwkN() const;
  std::string JwkE() const;
  // Cognito-style key id: standard base64 of SHA-256 over the DER SubjectPublicKeyInfo.
  std::string Kid() const;
  // RSASSA-PKCS1-v1_5 with SHA-256 over `data` (JWS RS256); raw signature bytes.
  std::string SignRs256(std::string_view data) const;
  bool VerifyRs256(std::string_view data, std::string_view signature) const;

  EVP_PKEY* get() const { return key_.get(); }

 private:
  struct Free { void operator()(EVP_PKEY*) const; };
  explicit RsaKey(EVP_PKEY* k) : key_(k, Free{}) {}  // takes ownership
  std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace cognate::token
