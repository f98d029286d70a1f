#include "identity/config_memo.h"

#include <gtest/gtest.h>

namespace cognate::identity {
namespace {

TEST(ConfigMemoTest, ReusesOnlyIdenticalText) {
  auto first = SharedStoredConfig("us-east-1_Memo1", R"({"a":1})");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ((*first)->at("a").as_int64(), 1);
  auto again = SharedStoredConfig("us-east-1_Memo1", R"({"a":1})");
  EXPECT_EQ(again->get(), first->get());  // the same object, not parsed again
  // The stored text changed (another update): parsed again, never the old object.
  EXPECT_EQ((*SharedStoredConfig("us-east-1_Memo1", R"({"a":2})"))->at("a").as_int64(), 2);
  EXPECT_EQ((*SharedStoredConfig("us-east-1_Memo2", R"({"b":true})"))->size(), 1u);
}

TEST(ConfigMemoTest, BadTextIsAnErrorEachTime) {
  for (int i = 0; i < 2; ++i) {
    auto parsed = SharedStoredConfig("us-east-1_Memo3", "[1]");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().type, "InternalErrorException");
  }
}

}  // namespace
}  // namespace cognate::identity
