#include "token/token_service.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "token/jwt.h"
#include "token/testing/token_service_fixture.h"

namespace cognate::token {
namespace {

namespace json = boost::json;
using token_testing::Claims;
using token_testing::HeaderText;
using token_testing::Names;
using token_testing::TestKey;

using token_testing::kClient;
using token_testing::kPoolA;
using token_testing::kUrl;

class TokenServiceTest : public token_testing::TokenServiceFixture {};

TEST_F(TokenServiceTest, IssuedAccessTokenVerifies) {
  const IssuedTokens issued = IssueOk(Request());
  EXPECT_EQ(issued.expires_in, 3600);
  auto claims = service_.VerifyAccessToken(issued.access_token);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims->pool_id, kPoolA);
  EXPECT_EQ(claims->sub, Request().sub);
  EXPECT_EQ(claims->username, "alice");
  EXPECT_EQ(claims->client_id, kClient);
  EXPECT_EQ(claims->origin_jti, Request().origin_jti);
  EXPECT_EQ(claims->jti, issued.access_jti);
  EXPECT_EQ(claims->scope, "aws.cognito.signin.user.admin");
  EXPECT_EQ(claims->iat, env_.clock().NowSeconds());
  EXPECT_EQ(claims->exp, claims->iat + 3600);
  EXPECT_EQ(claims->auth_time, 1'699'999'000);
}

TEST_F(TokenServiceTest, IdTokenClaimsInCognitoOrder) {
  IssueRequest r = Request();
  r.groups = {"admins", "staff"};
  r.roles = {"arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/b"};
  r.preferred_role = "arn:aws:iam::123456789012:role/a";
  r.id_attributes = json::object{{"email", "a@example.com"},
                                 {"email_verified", true},
                                 {"updated_at", 1'690'000'000},
                                 {"custom:tier", "7"}};
  const IssuedTokens issued = IssueOk(r);
  const json::object id = Claims(issued.id_token);
  EXPECT_EQ(Names(id),
            (std::vector<std::string>{
                "sub", "cognito:groups", "cognito:roles", "cognito:preferred_role", "iss",
                "cognito:username", "origin_jti", "aud", "event_id", "token_use", "auth_time",
                "email", "email_verified", "updated_at", "custom:tier", "exp", "iat", "jti"}));
  EXPECT_EQ(id.at("iss"), json::value(std::string(kUrl) + "/" + kPoolA));
  EXPECT_EQ(id.at("aud"), kClient);
  EXPECT_EQ(id.at("token_use"), "id");
  EXPECT_EQ(id.at("cognito:username"), "alice");
  EXPECT_EQ(id.at("cognito:groups"), (json::array{"admins", "staff"}));
  EXPECT_EQ(id.at("cognito:preferred_role"), json::value(r.preferred_role));
  EXPECT_TRUE(id.at("email_verified").is_bool());
  EXPECT_EQ(id.at("updated_at"), 1'690'000'000);
  EXPECT_EQ(id.at("origin_jti"), json::value(r.origin_jti));
  EXPECT_EQ(id.at("event_id"), json::value(r.event_id));
  EXPECT_NE(id.at("jti"), json::value(issued.access_jti));
}

TEST_F(TokenServiceTest, AccessTokenClaimsInCognitoOrder) {
  IssueRequest r = Request();
  r.groups = {"admins"};
  r.roles = {"arn:aws:iam::123456789012:role/a"};
  r.id_attributes = json::object{{"email", "a@example.com"}};
  const IssuedTokens issued = IssueOk(r);
  const json::object access = Claims(issued.access_token);
  EXPECT_EQ(Names(access),
            (std::vector<std::string>{"sub", "cognito:groups", "iss", "client_id", "origin_jti",
                                      "event_id", "token_use", "scope", "auth_time", "exp", "iat",
                                      "jti", "username"}));
  EXPECT_FALSE(access.contains("aud"));
  EXPECT_EQ(access.at("client_id"), kClient);
  EXPECT_EQ(access.at("jti"), json::value(issued.access_jti));
  EXPECT_EQ(access.at("origin_jti"), Claims(issued.id_token).at("origin_jti"));
  EXPECT_EQ(access.at("event_id"), Claims(issued.id_token).at("event_id"));
  EXPECT_EQ(issued.access_jti.size(), 36u);
}

TEST_F(TokenServiceTest, TokensAreSignedWithTheirOwnKeys) {
  const IssuedTokens issued = IssueOk(Request());
  EXPECT_EQ(HeaderText(issued.id_token), R"({"kid":")" + pool_a_[0].kid + R"(","alg":"RS256"})");
  EXPECT_EQ(HeaderText(issued.access_token),
            R"({"kid":")" + pool_a_[1].kid + R"(","alg":"RS256"})");
  auto id = ParseJwt(issued.id_token);
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(TestKey(0).VerifyRs256(id->signing_input, id->signature));
}

TEST_F(TokenServiceTest, OptionalClaimsAreOmitted) {
  IssueRequest r = Request();
  r.origin_jti.clear();  // EnableTokenRevocation off
  r.event_id.clear();
  r.preferred_role = "ignored without roles";
  const IssuedTokens issued = IssueOk(r);
  EXPECT_TRUE(issued.access_jti.empty());
  for (const std::string& token : {issued.id_token, issued.access_token}) {
    const json::object claims = Claims(token);
    for (const char* name : {"cognito:groups", "cognito:roles", "cognito:preferred_role", "jti",
                             "origin_jti", "event_id"}) {
      EXPECT_FALSE(claims.contains(name)) << name;
    }
  }
  auto verified = service_.VerifyAccessToken(issued.access_token);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->jti.empty());
  EXPECT_TRUE(verified->origin_jti.empty());
}

TEST_F(TokenServiceTest, LifetimesFollowTheRequest) {
  env_.clock().SetMs(1'712'345'678'901);
  IssueRequest r = Request();
  r.id_validity_s = 300;
  r.access_validity_s = 86'400;
  const IssuedTokens issued = IssueOk(r);
  EXPECT_EQ(issued.expires_in, 86'400);
  const json::object id = Claims(issued.id_token);
  const json::object access = Claims(issued.access_token);
  EXPECT_EQ(id.at("iat"), 1'712'345'678);
  EXPECT_EQ(access.at("iat"), 1'712'345'678);
  EXPECT_EQ(id.at("exp").as_int64() - id.at("iat").as_int64(), 300);
  EXPECT_EQ(access.at("exp").as_int64() - access.at("iat").as_int64(), 86'400);
}

TEST_F(TokenServiceTest, AttributesDoNotOverrideClaims) {
  IssueRequest r = Request();
  r.origin_jti.clear();
  r.id_attributes = json::object{{"sub", "other"},    {"iss", "evil"},  {"exp", 1},
                                 {"jti", "x"},        {"aud", "y"},     {"cognito:groups", "g"},
                                 {"origin_jti", "o"}, {"name", "Alice"}};
  const json::object id = Claims(IssueOk(r).id_token);
  EXPECT_EQ(id.at("sub"), json::value(r.sub));
  EXPECT_EQ(id.at("iss"), json::value(std::string(kUrl) + "/" + kPoolA));
  EXPECT_EQ(id.at("aud"), kClient);
  EXPECT_GT(id.at("exp").as_int64(), 1);
  EXPECT_FALSE(id.contains("jti"));
  EXPECT_FALSE(id.contains("origin_jti"));
  EXPECT_FALSE(id.contains("cognito:groups"));
  EXPECT_EQ(id.at("name"), "Alice");
}

TEST_F(TokenServiceTest, IssueErrors) {
  IssueRequest r = Request();
  r.pool_id = "us-east-1_Missing";
  auto missing = service_.Issue(r);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().type, "InternalErrorException");
  for (auto broken : {&IssueRequest::client_id, &IssueRequest::sub, &IssueRequest::username}) {
    r = Request();
    (r.*broken).clear();
    auto result = service_.Issue(r);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().type, "InvalidParameterException");
  }
  r = Request();
  r.access_validity_s = 0;
  EXPECT_FALSE(service_.Issue(r).ok());
}

}  // namespace
}  // namespace cognate::token
