#include "federation/jwks.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "federation/testing/fake_http.h"
#include "federation/testing/upstream_keys.h"

namespace cognate::federation {
namespace {

namespace json = boost::json;
constexpr char kJwksUri[] = "http://idp.test/jwks";

class JwksCacheTest : public ::testing::Test {
 protected:
  JwksCacheTest() : cache_(http_, clock_) { Publish({"key-1"}); }

  // Publishes UpstreamKey(0) under each kid.
  void Publish(std::vector<std::string> kids) {
    json::array keys;
    for (const auto& kid : kids) keys.push_back(testing::RsaJwk(testing::UpstreamKey(0), kid));
    http_.OnJson("GET", kJwksUri, json::serialize(json::object{{"keys", keys}}));
  }
  size_t Found(const std::string& kid) {
    auto keys = cache_.KeysFor(kJwksUri, kid);
    EXPECT_TRUE(keys.ok());
    return keys.ok() ? keys->size() : 0;
  }

  testing::FakeHttp http_;
  FakeClock clock_;
  JwksCache cache_;
};

TEST_F(JwksCacheTest, FetchesOnceAndServesFromTheCache) {
  EXPECT_EQ(Found("key-1"), 1u);
  EXPECT_EQ(Found("key-1"), 1u);
  EXPECT_EQ(Found(""), 1u);
  EXPECT_EQ(http_.CountTo(kJwksUri), 1);
}

TEST_F(JwksCacheTest, RefetchesForAnUnknownKidAtMostOncePerMinute) {
  EXPECT_EQ(Found("key-1"), 1u);
  clock_.AdvanceMs(61'000);
  Publish({"key-1", "key-2"});
  EXPECT_EQ(Found("key-2"), 1u);  // Rotated in: one refetch finds it.
  EXPECT_EQ(http_.CountTo(kJwksUri), 2);
  EXPECT_EQ(Found("made-up"), 0u);  // Within the minute: no refetch.
  EXPECT_EQ(Found("made-up-2"), 0u);
  EXPECT_EQ(http_.CountTo(kJwksUri), 2);
  clock_.AdvanceMs(60'000);
  EXPECT_EQ(Found("made-up"), 0u);
  EXPECT_EQ(http_.CountTo(kJwksUri), 3);
}

TEST_F(JwksCacheTest, RefetchesAfterMaxAgeAndKeepsStaleKeysWhenTheProviderIsDown) {
  EXPECT_EQ(Found("key-1"), 1u);
  clock_.AdvanceMs(3'600'001);
  http_.OnJson("GET", kJwksUri, "oops", 500);
  EXPECT_EQ(Found("key-1"), 1u);  // Stale but served.
  EXPECT_EQ(http_.CountTo(kJwksUri), 2);
}

TEST_F(JwksCacheTest, FailsWhenNothingWasEverFetched) {
  auto keys = cache_.KeysFor("http://down.test/jwks", "k");
  ASSERT_FALSE(keys.ok());
  EXPECT_EQ(keys.error().type, "NotAuthorizedException");
  http_.OnJson("GET", "http://bad.test/jwks", "{\"keys\":3}");
  EXPECT_FALSE(cache_.KeysFor("http://bad.test/jwks", "k").ok());
}

}  // namespace
}  // namespace cognate::federation
