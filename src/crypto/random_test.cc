#include "crypto/random.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

namespace cognate::crypto {
namespace {

TEST(RandomBytesTest, LengthAndVariety) {
  EXPECT_EQ(RandomBytes(0).size(), 0u);
  EXPECT_EQ(RandomBytes(1).size(), 1u);
  EXPECT_EQ(RandomBytes(64).size(), 64u);
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
}

TEST(RandomStringTest, UsesOnlyTheAlphabet) {
  EXPECT_EQ(RandomString(0, kAlnum), "");
  for (std::size_t n : {1u, 7u, 32u, 200u}) {
    const std::string s = RandomString(n, kLowerAlnum);
    ASSERT_EQ(s.size(), n);
    EXPECT_EQ(s.find_first_not_of(kLowerAlnum), std::string::npos) << s;
  }
  const std::string s = RandomString(4000, "ab");
  EXPECT_EQ(s.find_first_not_of("ab"), std::string::npos);
  // Both symbols appear (the chance of a miss is 2^-3999).
  EXPECT_NE(s.find('a'), std::string::npos);
  EXPECT_NE(s.find('b'), std::string::npos);
  EXPECT_EQ(RandomString(5, "x"), "xxxxx");
}

TEST(RandomStringTest, CoversTheAlphabet) {
  const std::string s = RandomString(5000, kAlnum);
  const std::set<char> seen(s.begin(), s.end());
  EXPECT_EQ(seen.size(), kAlnum.size());
}

TEST(RandomStringTest, EmptyAlphabetThrows) {
  EXPECT_THROW(RandomString(3, ""), std::invalid_argument);
}

// Checks the 8-4-4-4-12 lowercase layout, the version nibble (4) and the variant bits (10xx).
bool IsUuidV4(const std::string& id) {
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (id[i] == '-')) return false;
    if (!dash && std::string_view("0123456789abcdef").find(id[i]) == std::string_view::npos) {
      return false;
    }
  }
  return id[14] == '4' && std::string_view("89ab").find(id[19]) != std::string_view::npos;
}

TEST(RandomUuidTest, Version4Format) {
  EXPECT_TRUE(IsUuidV4("123e4567-e89b-42d3-a456-426614174000"));
  EXPECT_FALSE(IsUuidV4("123e4567-e89b-12d3-a456-426614174000"));  // the checker itself
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string id = RandomUuid();
    EXPECT_TRUE(IsUuidV4(id)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 200u);
}

}  // namespace
}  // namespace cognate::crypto
