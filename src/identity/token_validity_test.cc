#include "identity/token_validity.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace cognate::identity {
namespace {

namespace json = boost::json;

Result<json::object> Apply(std::string_view request) {
  json::object config;
  Status status = ApplyTokenValidity(json::parse(request).as_object(), config);
  if (!status.ok()) return std::move(status).error();
  return config;
}

std::string MessageOf(std::string_view request) {
  Result<json::object> r = Apply(request);
  EXPECT_FALSE(r.ok()) << request;
  if (r.ok()) return "<ok>";
  EXPECT_EQ(r.error().type, "InvalidParameterException");
  return r.error().message;
}

TEST(ClientTokenValidityTest, NothingGivenStoresOnlyTheRefreshDefault) {
  Result<json::object> config = Apply("{}");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(*config, json::parse(R"({"RefreshTokenValidity":30})"));
  TokenLifetimes lifetimes = EffectiveTokenLifetimes(*config);
  EXPECT_EQ(lifetimes.access_seconds, 3600);
  EXPECT_EQ(lifetimes.id_seconds, 3600);
  EXPECT_EQ(lifetimes.refresh_seconds, 30 * 86400);
  EXPECT_EQ(lifetimes.auth_session_seconds, 180);
}

TEST(ClientTokenValidityTest, ZeroRefreshMeansThirtyDaysInTheGivenUnit) {
  EXPECT_EQ(Apply(R"({"RefreshTokenValidity":0})")->at("RefreshTokenValidity"), 30);
  Result<json::object> config =
      Apply(R"({"RefreshTokenValidity":0,"TokenValidityUnits":{"RefreshToken":"hours"}})");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->at("RefreshTokenValidity"), 720);
  EXPECT_EQ(EffectiveTokenLifetimes(*config).refresh_seconds, 30 * 86400);
}

TEST(ClientTokenValidityTest, UnitsDefaultToHoursAndDays) {
  Result<json::object> config =
      Apply(R"({"AccessTokenValidity":2,"IdTokenValidity":24,"RefreshTokenValidity":10})");
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->contains("TokenValidityUnits"));
  TokenLifetimes lifetimes = EffectiveTokenLifetimes(*config);
  EXPECT_EQ(lifetimes.access_seconds, 2 * 3600);
  EXPECT_EQ(lifetimes.id_seconds, 24 * 3600);
  EXPECT_EQ(lifetimes.refresh_seconds, 10 * 86400);
}

TEST(ClientTokenValidityTest, GivenUnitsAreStoredAndApplied) {
  Result<json::object> config = Apply(R"({"AccessTokenValidity":5,"IdTokenValidity":300,
      "RefreshTokenValidity":60,"TokenValidityUnits":{"AccessToken":"minutes",
      "IdToken":"seconds","RefreshToken":"minutes"}})");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->at("TokenValidityUnits"), json::parse(R"({"AccessToken":"minutes",
      "IdToken":"seconds","RefreshToken":"minutes"})"));
  TokenLifetimes lifetimes = EffectiveTokenLifetimes(*config);
  EXPECT_EQ(lifetimes.access_seconds, 300);
  EXPECT_EQ(lifetimes.id_seconds, 300);
  EXPECT_EQ(lifetimes.refresh_seconds, 3600);
}

TEST(ClientTokenValidityTest, RangesAreCheckedInRealTime) {
  const std::string access = "Access token validity must be between 5 minutes and 1 day.";
  const std::string id = "Id token validity must be between 5 minutes and 1 day.";
  const std::string refresh = "Refresh token validity must be between 60 minutes and 3650 days.";
  EXPECT_EQ(MessageOf(R"({"AccessTokenValidity":25})"), access);  // 25 hours
  EXPECT_EQ(MessageOf(R"({"AccessTokenValidity":4,
                          "TokenValidityUnits":{"AccessToken":"minutes"}})"),
            access);
  EXPECT_EQ(MessageOf(R"({"AccessTokenValidity":2,"TokenValidityUnits":{"AccessToken":"days"}})"),
            access);
  EXPECT_EQ(MessageOf(R"({"IdTokenValidity":299,"TokenValidityUnits":{"IdToken":"seconds"}})"), id);
  EXPECT_EQ(MessageOf(R"({"RefreshTokenValidity":3651})"), refresh);
  EXPECT_EQ(MessageOf(R"({"RefreshTokenValidity":59,
                          "TokenValidityUnits":{"RefreshToken":"minutes"}})"),
            refresh);
  EXPECT_TRUE(Apply(R"({"AccessTokenValidity":1,"IdTokenValidity":1,"RefreshTokenValidity":3650,
                        "TokenValidityUnits":{"AccessToken":"days","IdToken":"days"}})")
                  .ok());
  EXPECT_TRUE(
      Apply(R"({"RefreshTokenValidity":1,"TokenValidityUnits":{"RefreshToken":"hours"}})").ok());
}

TEST(ClientTokenValidityTest, AuthSessionValidityIsInMinutes) {
  EXPECT_EQ(EffectiveTokenLifetimes(json::parse(R"({"AuthSessionValidity":15})").as_object())
                .auth_session_seconds,
            900);
}

}  // namespace
}  // namespace cognate::identity
