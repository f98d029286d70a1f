#include "throttle/throttler.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace cognate::throttle {
namespace {

boost::json::object Body(const char* json) { return boost::json::parse(json).as_object(); }

TEST(RateLimitTest, Parses) {
  auto a = ParseRateLimit("10");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->per_second, 10);
  EXPECT_EQ(a->burst, 10);
  auto b = ParseRateLimit("0.5/3");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->per_second, 0.5);
  EXPECT_EQ(b->burst, 3);
  EXPECT_EQ(ParseRateLimit("0.2")->burst, 1);  // a bucket holds at least one call
  for (const char* bad : {"", "0", "-1", "x", "10/", "/5", "10/0", "1e9", "5 "}) {
    EXPECT_FALSE(ParseRateLimit(bad)) << bad;
  }
}

TEST(ThrottlerTest, OffAdmitsEverything) {
  FakeClock clock;
  Throttler t({}, clock);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(t.AdmitSource("10.0.0.1").ok());
    ASSERT_TRUE(t.AdmitCall("InitiateAuth", Body(R"({"ClientId":"c"})")).ok());
  }
}

TEST(ThrottlerTest, PerIpBucketEmptiesAndRefills) {
  FakeClock clock;
  Throttler t({.per_ip = {2, 3}}, clock);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(t.AdmitSource("10.0.0.1").ok()) << i;
  Status refused = t.AdmitSource("10.0.0.1");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "TooManyRequestsException");
  EXPECT_EQ(refused.error().http_status, 429);
  EXPECT_TRUE(t.AdmitSource("10.0.0.2").ok());  // another address has its own bucket
  clock.AdvanceMs(499);
  EXPECT_FALSE(t.AdmitSource("10.0.0.1").ok());
  clock.AdvanceMs(1);  // 2 per second: one token after 500 ms
  EXPECT_TRUE(t.AdmitSource("10.0.0.1").ok());
  EXPECT_FALSE(t.AdmitSource("10.0.0.1").ok());
  clock.AdvanceMs(60'000);  // refills to the burst, not beyond
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(t.AdmitSource("10.0.0.1").ok()) << i;
  EXPECT_FALSE(t.AdmitSource("10.0.0.1").ok());
}

TEST(ThrottlerTest, PerUserIsPerPoolAndCaseInsensitive) {
  FakeClock clock;
  Throttler t({.per_user = {1, 2}}, clock);
  const auto alice = Body(R"({"ClientId":"c1","AuthParameters":{"USERNAME":"Alice"}})");
  const auto alice_lower = Body(R"({"ClientId":"c1","AuthParameters":{"USERNAME":"alice"}})");
  EXPECT_TRUE(t.AdmitCall("InitiateAuth", alice).ok());
  EXPECT_TRUE(t.AdmitCall("InitiateAuth", alice_lower).ok());
  EXPECT_FALSE(t.AdmitCall("InitiateAuth", alice).ok());
  // Another user, the same name in another client's pool, and calls naming nobody pass.
  EXPECT_TRUE(
      t.AdmitCall("InitiateAuth", Body(R"({"ClientId":"c1","AuthParameters":{"USERNAME":"bob"}})"))
          .ok());
  EXPECT_TRUE(t.AdmitCall("AdminGetUser", Body(R"({"UserPoolId":"p","Username":"alice"})")).ok());
  EXPECT_TRUE(t.AdmitCall("ListUsers", Body(R"({"UserPoolId":"p"})")).ok());
}

TEST(ThrottlerTest, PerPoolCountsClientsAsTheirPool) {
  FakeClock clock;
  Throttler t({.per_pool = {1, 1}}, clock);
  EXPECT_TRUE(t.AdmitCall("ListUsers", Body(R"({"UserPoolId":"p1"})")).ok());
  EXPECT_FALSE(t.AdmitCall("AdminGetUser", Body(R"({"UserPoolId":"p1","Username":"x"})")).ok());
  EXPECT_TRUE(t.AdmitCall("ListUsers", Body(R"({"UserPoolId":"p2"})")).ok());
  EXPECT_TRUE(t.AdmitCall("SignUp", Body(R"({"ClientId":"c1"})")).ok());
  EXPECT_FALSE(t.AdmitCall("SignUp", Body(R"({"ClientId":"c1"})")).ok());
  EXPECT_TRUE(t.AdmitCall("ListUserPools", Body(R"({"MaxResults":1})")).ok());  // no pool
}

TEST(ThrottlerTest, CognitoPresetLimitsEachCategoryOfAPool) {
  FakeClock clock;
  Throttler t({.cognito_preset = true}, clock);
  EXPECT_EQ(QuotaCategory("DescribeUserPool"), "UserPoolRead");
  EXPECT_EQ(CategoryLimit("UserPoolRead").per_second, 15);
  const auto pool = Body(R"({"UserPoolId":"p1"})");
  for (int i = 0; i < 15; ++i) EXPECT_TRUE(t.AdmitCall("DescribeUserPool", pool).ok()) << i;
  EXPECT_FALSE(t.AdmitCall("DescribeUserPool", pool).ok());
  EXPECT_FALSE(t.AdmitCall("ListUserPools", pool).ok());  // same category
  EXPECT_TRUE(t.AdmitCall("ListUsers", pool).ok());       // UserList has its own budget
  EXPECT_TRUE(t.AdmitCall("DescribeUserPool", Body(R"({"UserPoolId":"p2"})")).ok());
  EXPECT_TRUE(t.AdmitCall("AddCustomAttributes", pool).ok());  // in no category
  clock.AdvanceMs(1000);
  EXPECT_TRUE(t.AdmitCall("DescribeUserPool", pool).ok());
}

TEST(ThrottlerTest, ManyKeysStayBounded) {
  FakeClock clock;
  Throttler t({.per_ip = {1000, 1000}}, clock);
  for (std::size_t i = 0; i < Throttler::kMaxKeys + 10; ++i) {
    ASSERT_TRUE(t.AdmitSource("ip" + std::to_string(i)).ok());
  }
}

}  // namespace
}  // namespace cognate::throttle
