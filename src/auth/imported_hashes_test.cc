#include "auth/imported_hashes.h"

#include <crypt.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "auth/password_hasher.h"

namespace cognate::auth {
namespace {

// Made by Python's hashlib.pbkdf2_hmac (independent of OpenSSL's use here).
constexpr char kDjango[] =
    "pbkdf2_sha256$1000$NaClNaCl$0U0QGHXYR/FxhScylYf6BEdR44dJFYypdtNwd0UFJwI=";
constexpr char kPasslib[] =
    "$pbkdf2-sha512$2000$AAECAwQFBgcICQoLDA0ODw$5R7BMBu3IBmQK.gXvx4rjc2AkDyBZDgKoBQzPkqvHlJpAYHNoy"
    "KOlx5Q1.isA9BD5NFXtTCTPswSDoA1qHL9ZA";
constexpr char kPbkdf2Password[] = "correct horse battery";
// crypt_blowfish's first test vector.
constexpr char kBcrypt[] = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

// A crypt(3) hash of `password` with a fresh setting for `prefix` at `count`.
std::string CryptHash(const char* prefix, unsigned long count, const char* password) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  EXPECT_NE(crypt_gensalt_rn(prefix, count, nullptr, 0, setting, sizeof setting), nullptr);
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_rn(password, setting, data.get(), sizeof(crypt_data));
  EXPECT_NE(out, nullptr);
  return out;
}

TEST(ImportedHashesTest, Pbkdf2InDjangoAndPasslibForms) {
  for (const char* hash : {kDjango, kPasslib}) {
    EXPECT_TRUE(IsAcceptedPasswordHash(hash)) << hash;
    EXPECT_TRUE(VerifyImportedHash(hash, kPbkdf2Password)) << hash;
    EXPECT_FALSE(VerifyImportedHash(hash, "correct horse battery!")) << hash;
    EXPECT_FALSE(VerifyImportedHash(hash, "")) << hash;
  }
}

TEST(ImportedHashesTest, BcryptAndScryptThroughCrypt) {
  EXPECT_TRUE(IsAcceptedPasswordHash(kBcrypt));
  EXPECT_TRUE(VerifyImportedHash(kBcrypt, "U*U"));
  EXPECT_FALSE(VerifyImportedHash(kBcrypt, "U*V"));
  EXPECT_FALSE(VerifyImportedHash(kBcrypt, std::string("U*U\0x", 5)));  // no NUL tricks
  const std::string bcrypt = CryptHash("$2b$", 4, "s3cret");
  EXPECT_TRUE(VerifyImportedHash(bcrypt, "s3cret"));
  const std::string scrypt = CryptHash("$7$", 0, "s3cret");
  EXPECT_TRUE(IsAcceptedPasswordHash(scrypt)) << scrypt;
  EXPECT_TRUE(VerifyImportedHash(scrypt, "s3cret"));
  EXPECT_FALSE(VerifyImportedHash(scrypt, "s3cre"));
}

TEST(ImportedHashesTest, RefusesUnknownFormsAndCostsOutOfBounds) {
  for (const std::string hash : {
           std::string(""), std::string("plaintext"), std::string("$1$abc$def"),
           std::string("$6$salt$hash"),  // sha512crypt: weak, not offered
           std::string("$2b$31$") + std::string(53, 'a'),  // bcrypt cost 2^31
           std::string("$2b$03$") + std::string(53, 'a'),
           std::string("pbkdf2_sha256$999$salt$0U0QGHXYR/FxhScylYf6BEdR44dJFYypdtNwd0UFJwI="),
           std::string("pbkdf2_sha256$5000001$salt$0U0QGHXYR/FxhScylYf6BEdR44dJFYypdtNwd0UFJwI="),
           std::string("pbkdf2_md5$1000$salt$0U0QGHXYR/FxhScylYf6BEdR44dJFYypdtNwd0UFJwI="),
           std::string("pbkdf2_sha256$1000$salt$not-base64"),
           std::string("$argon2id$v=19$m=4194304,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"),
           std::string("$argon2d$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"),
           std::string(600, 'x')}) {
    EXPECT_FALSE(IsAcceptedPasswordHash(hash)) << hash;
    EXPECT_FALSE(VerifyImportedHash(hash, "anything")) << hash;
  }
  EXPECT_TRUE(IsAcceptedPasswordHash(
      "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"));
}

TEST(ImportedHashesTest, PasswordHasherVerifiesThemAndWantsThemRehashed) {
  PasswordHasher hasher({1, 8 * 1024 * 1024});
  EXPECT_TRUE(hasher.Verify(kDjango, kPbkdf2Password));
  EXPECT_TRUE(hasher.Verify(kBcrypt, "U*U"));
  EXPECT_FALSE(hasher.Verify(kBcrypt, "wrong"));
  EXPECT_TRUE(hasher.NeedsRehash(kDjango));
  EXPECT_TRUE(hasher.NeedsRehash(kBcrypt));
  const std::string own = hasher.Hash("s3cret");
  EXPECT_TRUE(IsAcceptedPasswordHash(own));
  EXPECT_FALSE(VerifyImportedHash(own, "s3cret"));  // Argon2 is the hasher's own job
}

}  // namespace
}  // namespace cognate::auth
