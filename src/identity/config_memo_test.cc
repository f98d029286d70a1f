#include "identity/config_memo.h"

#include <gtest/gtest.h>

namespace cognate::identity {
namespace {

TEST(ConfigMemoTest, ReusesOnlyIdenticalText) {
  EXPECT_EQ(ParseStoredConfig("us-east-1_Memo1", R"({"a":1})")->at("a").as_int64(), 1);
  EXPECT_EQ(ParseStoredConfig("us-east-1_Memo1", R"({"a":1})")->at("a").as_int64(), 1);
  // The stored text changed (another update): parsed again, never the old object.
  EXPECT_EQ(ParseStoredConfig("us-east-1_Memo1", R"({"a":2})")->at("a").as_int64(), 2);
  EXPECT_EQ(ParseStoredConfig("us-east-1_Memo2", R"({"b":true})")->size(), 1u);
}

TEST(ConfigMemoTest, BadTextIsAnErrorEachTime) {
  for (int i = 0; i < 2; ++i) {
    auto parsed = ParseStoredConfig("us-east-1_Memo3", "[1]");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().type, "InternalErrorException");
  }
}

}  // namespace
}  // namespace cognate::identity
