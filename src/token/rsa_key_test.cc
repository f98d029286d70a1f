#include "token/rsa_key.h"

#include <gtest/gtest.h>

#include <string>

#include "crypto/encoding.h"

namespace cognate::token {
namespace {

// Key generation costs ~50-100 ms, so the whole suite shares one key.
class RsaKeyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { key_ = new RsaKey(RsaKey::Generate()); }
  static void TearDownTestSuite() {
    delete key_;
    key_ = nullptr;
  }
  static const RsaKey& key() { return *key_; }

 private:
  static RsaKey* key_;
};

RsaKey* RsaKeyTest::key_ = nullptr;

TEST_F(RsaKeyTest, SignAndVerify) {
  const std::string data = "header.payload";
  const std::string sig = key().SignRs256(data);
  EXPECT_EQ(sig.size(), 256u);
  EXPECT_TRUE(key().VerifyRs256(data, sig));
  // PKCS#1 v1.5 is deterministic.
  EXPECT_EQ(key().SignRs256(data), sig);
}

TEST_F(RsaKeyTest, VerifyFailsOnAlteredDataOrSignature) {
  const std::string data = "header.payload";
  const std::string sig = key().SignRs256(data);
  EXPECT_FALSE(key().VerifyRs256("header.payloaD", sig));
  EXPECT_FALSE(key().VerifyRs256("", sig));
  std::string bad = sig;
  bad[bad.size() / 2] = static_cast<char>(bad[bad.size() / 2] ^ 0x01);
  EXPECT_FALSE(key().VerifyRs256(data, bad));
  EXPECT_FALSE(key().VerifyRs256(data, sig.substr(1)));
  EXPECT_FALSE(key().VerifyRs256(data, ""));
}

TEST_F(RsaKeyTest, PemRoundTripKeepsKid) {
  const std::string pem = key().PrivatePem();
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  auto parsed = RsaKey::FromPrivatePem(pem);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->Kid(), key().Kid());
  EXPECT_EQ(parsed->JwkN(), key().JwkN());
  // The parsed key verifies signatures of the original and vice versa.
  EXPECT_TRUE(parsed->VerifyRs256("x", key().SignRs256("x")));
  EXPECT_TRUE(key().VerifyRs256("y", parsed->SignRs256("y")));
}

TEST_F(RsaKeyTest, MalformedPemIsAnError) {
  for (const std::string& pem : {std::string(), std::string("not a pem"),
                                 std::string("-----BEGIN PRIVATE KEY-----\nAAAA\n"
                                             "-----END PRIVATE KEY-----\n")}) {
    auto parsed = RsaKey::FromPrivatePem(pem);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().type, "InternalErrorException");
  }
  std::string truncated = key().PrivatePem();
  truncated.resize(truncated.size() / 2);
  EXPECT_FALSE(RsaKey::FromPrivatePem(truncated).ok());
}

TEST_F(RsaKeyTest, JwkMembers) {
  EXPECT_EQ(key().JwkE(), "AQAB");
  const std::string n = key().JwkN();
  EXPECT_EQ(n.find_first_of("+/="), std::string::npos);
  const auto modulus = crypto::Base64UrlDecode(n);
  ASSERT_TRUE(modulus.has_value());
  ASSERT_EQ(modulus->size(), 256u);
  EXPECT_NE(static_cast<unsigned char>((*modulus)[0]) & 0x80, 0);  // full 2048 bits
}

TEST_F(RsaKeyTest, KidIsBase64OfSha256) {
  const std::string kid = key().Kid();
  EXPECT_EQ(kid.size(), 44u);
  const auto digest = crypto::Base64Decode(kid);
  ASSERT_TRUE(digest.has_value());
  EXPECT_EQ(digest->size(), 32u);
  EXPECT_EQ(key().Kid(), kid);
}

TEST(RsaKeyGenerateTest, CopiesShareTheKeyAndWeakSizesAreRejected) {
  const RsaKey other = RsaKey::Generate();
  const RsaKey copy = other;  // shares the EVP_PKEY
  EXPECT_EQ(copy.Kid(), other.Kid());
  EXPECT_FALSE(other.VerifyRs256("x", RsaKey::FromPrivatePem(other.PrivatePem())->SignRs256("y")));
  EXPECT_THROW(RsaKey::Generate(1024), std::invalid_argument);
}

}  // namespace
}  // namespace cognate::token
