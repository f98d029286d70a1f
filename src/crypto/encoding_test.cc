#include "crypto/encoding.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace cognate::crypto {
namespace {

// RFC 4648 section 10.
const std::vector<std::pair<std::string, std::string>> kBase64Vectors = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

TEST(HexTest, Rfc4648Vectors) {
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexEncode("f"), "66");
  EXPECT_EQ(HexEncode("foobar"), "666f6f626172");
  EXPECT_EQ(HexDecode("666F6F626172"), "foobar");
  EXPECT_EQ(HexDecode("666f6f626172"), "foobar");
  EXPECT_EQ(HexDecode(""), "");
}

TEST(HexTest, AllByteValuesRoundTrip) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(HexDecode(HexEncode(all)), all);
}

TEST(HexTest, RejectsMalformed) {
  EXPECT_EQ(HexDecode("6"), std::nullopt);
  EXPECT_EQ(HexDecode("666"), std::nullopt);
  EXPECT_EQ(HexDecode("6g"), std::nullopt);
  EXPECT_EQ(HexDecode("0x66"), std::nullopt);
  EXPECT_EQ(HexDecode(" 66"), std::nullopt);
}

TEST(Base64Test, Rfc4648Vectors) {
  for (const auto& [plain, encoded] : kBase64Vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded) << plain;
    EXPECT_EQ(Base64Decode(encoded), plain) << encoded;
  }
}

TEST(Base64Test, AllByteValuesRoundTrip) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(255 - i);
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    const std::string part = all.substr(0, n);
    EXPECT_EQ(Base64Decode(Base64Encode(part)), part);
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(part)), part);
  }
}

TEST(Base64Test, StandardAlphabetUsesPlusAndSlash) {
  EXPECT_EQ(Base64Encode("\xfb\xef\xbe"), "++++");
  EXPECT_EQ(Base64Encode("\xff\xff\xff"), "////");
  EXPECT_EQ(Base64Decode("+/8="), "\xfb\xff");
  EXPECT_EQ(Base64Decode("-_8="), std::nullopt);
}

TEST(Base64Test, RejectsMalformed) {
  EXPECT_EQ(Base64Decode("Zg"), std::nullopt);  // padding is required
  EXPECT_EQ(Base64Decode("Zg="), std::nullopt);
  EXPECT_EQ(Base64Decode("Zg==="), std::nullopt);
  EXPECT_EQ(Base64Decode("Z==="), std::nullopt);
  EXPECT_EQ(Base64Decode("===="), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm9v!A=="), std::nullopt);  // bad character
  EXPECT_EQ(Base64Decode("Zm 9v"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm9v\n"), std::nullopt);
  EXPECT_EQ(Base64Decode("Z=g="), std::nullopt);  // padding in the middle
  EXPECT_EQ(Base64Decode("Zg==Zm9v"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zh=="), std::nullopt);  // non-zero trailing bits
  EXPECT_EQ(Base64Decode("Zm9="), std::nullopt);
  EXPECT_EQ(Base64Decode(std::string("Zm9\0", 4)), std::nullopt);
}

TEST(Base64UrlTest, UrlAlphabetWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode("\xfb\xef\xbe"), "----");
  EXPECT_EQ(Base64UrlEncode("\xff\xff\xff"), "____");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64UrlDecode("-_8"), "\xfb\xff");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
}

TEST(Base64UrlTest, PaddingOptional) {
  EXPECT_EQ(Base64UrlDecode("Zg"), "f");
  EXPECT_EQ(Base64UrlDecode("Zg=="), "f");
  EXPECT_EQ(Base64UrlDecode("Zm8"), "fo");
  EXPECT_EQ(Base64UrlDecode("Zm8="), "fo");
  EXPECT_EQ(Base64UrlDecode(""), "");
}

TEST(Base64UrlTest, RejectsMalformed) {
  EXPECT_EQ(Base64UrlDecode("+/8"), std::nullopt);  // standard alphabet
  EXPECT_EQ(Base64UrlDecode("Z"), std::nullopt);    // impossible length
  EXPECT_EQ(Base64UrlDecode("Zm9vY"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zg="), std::nullopt);  // wrong padding
  EXPECT_EQ(Base64UrlDecode("Zm8=="), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zh"), std::nullopt);  // non-zero trailing bits
  EXPECT_EQ(Base64UrlDecode("Zm.v"), std::nullopt);
}

}  // namespace
}  // namespace cognate::crypto
