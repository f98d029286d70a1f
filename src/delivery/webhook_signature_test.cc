// X-Cognate-Signature: the value is checked against a vector computed independently
// (python3 hmac / openssl dgst -sha256 -hmac), and verification refuses every alteration.

#include "delivery/webhook_signature.h"

#include <gtest/gtest.h>

namespace cognate::delivery {
namespace {

constexpr char kSecret[] = "whsec_test";
constexpr char kBody[] = R"({"hello":"world"})";
constexpr int64_t kTime = 1'700'000'000;
// printf '%s' '1700000000.{"hello":"world"}' | openssl dgst -sha256 -hmac whsec_test
constexpr char kExpected[] =
    "t=1700000000,v1=f592bbf3951cfc94e560eecfb5d9dd4da6b0fff2e626235f8ab4b54860925d0b";

TEST(WebhookSignatureTest, MatchesTheIndependentVector) {
  EXPECT_EQ(SignWebhook(kSecret, kTime, kBody), kExpected);
  EXPECT_STREQ(kSignatureHeader, "X-Cognate-Signature");
}

TEST(WebhookSignatureTest, VerifiesItsOwnSignatures) {
  EXPECT_TRUE(VerifyWebhookSignature(kSecret, kExpected, kBody, kTime));
  EXPECT_TRUE(VerifyWebhookSignature(kSecret, kExpected, kBody, kTime + 300));
  EXPECT_TRUE(VerifyWebhookSignature(kSecret, kExpected, kBody, kTime - 300));
}

TEST(WebhookSignatureTest, RefusesAlterations) {
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, kExpected, R"({"hello":"World"})", kTime));
  EXPECT_FALSE(VerifyWebhookSignature("whsec_tesT", kExpected, kBody, kTime));
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, kExpected, kBody, kTime + 301));  // replay
  // The timestamp is covered by the MAC.
  std::string moved = kExpected;
  moved.replace(2, 10, "1700000001");
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, moved, kBody, kTime));
}

TEST(WebhookSignatureTest, RefusesMalformedHeaders) {
  const std::string mac = std::string(kExpected).substr(13);  // "v1=..."
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, "", kBody, kTime));
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, mac, kBody, kTime));             // no t=
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, "t=1700000000", kBody, kTime));  // no v1=
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, "t=17e8," + mac, kBody, kTime));
  EXPECT_FALSE(VerifyWebhookSignature(kSecret, "t=1700000000,t=1700000000," + mac, kBody, kTime));
}

TEST(WebhookSignatureTest, AnyOfSeveralV1ValuesMayMatch) {
  const std::string rotated = "t=1700000000,v1=" + std::string(64, '0') + "," +
                              std::string(kExpected).substr(13) + ",v0=ignored";
  EXPECT_TRUE(VerifyWebhookSignature(kSecret, rotated, kBody, kTime)) << rotated;
}

}  // namespace
}  // namespace cognate::delivery
