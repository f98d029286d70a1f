// TOTP against RFC 6238 appendix B (SHA-1 rows) and RFC 4648 base32 vectors.

#include "crypto/totp.h"

#include <gtest/gtest.h>

namespace cognate::crypto {
namespace {

constexpr std::string_view kRfcSecret = "12345678901234567890";

TEST(TotpTest, Rfc6238Sha1Vectors) {
  // The RFC's 8-digit values; Cognito's 6 digits are their last six.
  EXPECT_EQ(TotpCode(kRfcSecret, TotpStep(59), 8), "94287082");
  EXPECT_EQ(TotpCode(kRfcSecret, TotpStep(1111111109), 8), "07081804");
  EXPECT_EQ(TotpCode(kRfcSecret, TotpStep(1111111111), 8), "14050471");
  EXPECT_EQ(TotpCode(kRfcSecret, TotpStep(1234567890), 8), "89005924");
  EXPECT_EQ(TotpCode(kRfcSecret, TotpStep(2000000000), 8), "69279037");
  EXPECT_EQ(TotpCode(kRfcSecret, TotpStep(20000000000), 8), "65353130");
  EXPECT_EQ(TotpCode(kRfcSecret, TotpStep(59)), "287082");
}

TEST(TotpTest, Base32Rfc4648Vectors) {
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("fo"), "MZXQ");
  EXPECT_EQ(Base32Encode("foo"), "MZXW6");
  EXPECT_EQ(Base32Encode("foob"), "MZXW6YQ");
  EXPECT_EQ(Base32Encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32Decode("MZXW6YTBOI======"), "foobar");
  EXPECT_EQ(Base32Decode("mzxw6ytboi"), "foobar");
  EXPECT_EQ(Base32Decode(Base32Encode(kRfcSecret)), kRfcSecret);
  EXPECT_FALSE(Base32Decode("MZ1W").has_value());  // '1' is not in the alphabet
  EXPECT_EQ(Base32Encode(std::string(kTotpSecretBytes, 'x')).size(), 32u);
}

TEST(TotpTest, AcceptsOneStepOfDriftEitherWay) {
  const int64_t now = 1111111111;
  const int64_t step = TotpStep(now);
  EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step), now, 0), step);
  EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step - 1), now, 0), step - 1);
  EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step + 1), now, 0), step + 1);
  EXPECT_FALSE(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step - 2), now, 0));
  EXPECT_FALSE(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step + 2), now, 0));
}

TEST(TotpTest, RefusesUsedStepsWrongCodesAndOtherLengths) {
  const int64_t now = 1234567890;
  const int64_t step = TotpStep(now);
  std::string code = TotpCode(kRfcSecret, step);
  EXPECT_FALSE(MatchTotp(kRfcSecret, code, now, step));  // already used
  EXPECT_FALSE(MatchTotp(kRfcSecret, code, now, step + 1));
  std::string wrong = code;
  wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);
  EXPECT_FALSE(MatchTotp(kRfcSecret, wrong, now, 0));
  EXPECT_FALSE(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step, 8), now, 0));
  EXPECT_FALSE(MatchTotp(kRfcSecret, "", now, 0));
  EXPECT_FALSE(MatchTotp("another secret", code, now, 0));
}

}  // namespace
}  // namespace cognate::crypto
