// Token contents after a sign-in: claims, attributes, groups, lifetimes, the stored refresh token.

#include "auth/token_issuer.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <optional>

#include "auth/testing/sign_in_env.h"

namespace cognate::auth {
namespace {

namespace json = boost::json;
using testing::SignInTest;
using testing::TestClient;

class TokenIssuerTest : public SignInTest {
 protected:
  void SetUp() override {
    json::object tier{{"Name", "tier"}, {"AttributeDataType", "Number"}, {"Mutable", true}};
    pool_ = NewPool({{"Schema", {tier}}});
    client_ = NewClient(pool_);
    user_ = AddUser(pool_, "alice",
                    {{"email", "alice@example.com"},
                     {"email_verified", "true"},
                     {"phone_number", "+15555550100"},
                     {"phone_number_verified", "false"},
                     {"name", "Alice"},
                     {"updated_at", "1700000000"},
                     {"custom:tier", "3"}});
  }

  void AddGroup(const std::string& name, std::optional<int64_t> precedence,
                const std::string& role_arn = "") {
    store::GroupRecord g{pool_, name, "", role_arn, precedence, clock_.NowMs(), clock_.NowMs()};
    ASSERT_TRUE(stores_.groups->CreateGroup(g).ok());
    ASSERT_TRUE(stores_.groups->AddMember(pool_, name, user_.username_key).ok());
  }

  json::object SignIn(const TestClient& client) {
    return TokensOf(PasswordSignIn(client, "alice"));
  }

  std::string pool_;
  TestClient client_;
  store::UserRecord user_;
};

TEST_F(TokenIssuerTest, StandardClaims) {
  int64_t now_s = clock_.NowSeconds();
  json::object result = SignIn(client_);
  json::object id = Claims(Member(result, "IdToken"));
  json::object access = Claims(Member(result, "AccessToken"));
  std::string iss = std::string(testing::kPublicUrl) + "/" + pool_;
  EXPECT_EQ(id.at("iss"), json::value(iss));
  EXPECT_EQ(access.at("iss"), json::value(iss));
  EXPECT_EQ(id.at("sub"), json::value(user_.sub));
  EXPECT_EQ(access.at("sub"), json::value(user_.sub));
  EXPECT_EQ(id.at("aud"), json::value(client_.id));
  EXPECT_FALSE(access.contains("aud"));
  EXPECT_EQ(access.at("client_id"), json::value(client_.id));
  EXPECT_EQ(id.at("cognito:username"), "alice");
  EXPECT_EQ(access.at("username"), "alice");
  EXPECT_EQ(access.at("scope"), "aws.cognito.signin.user.admin");
  for (const json::object* t : {&id, &access}) {
    EXPECT_EQ(t->at("auth_time"), now_s);
    EXPECT_EQ(t->at("iat"), now_s);
    EXPECT_EQ(t->at("exp").as_int64() - t->at("iat").as_int64(), 3600);
    EXPECT_FALSE(t->contains("cognito:groups"));
    EXPECT_TRUE(t->contains("jti"));
  }
  EXPECT_EQ(id.at("origin_jti"), access.at("origin_jti"));
  EXPECT_EQ(id.at("event_id"), access.at("event_id"));
  EXPECT_NE(id.at("jti"), access.at("jti"));
  // A new sign-in is a new session.
  json::object again = Claims(Member(SignIn(client_), "IdToken"));
  EXPECT_NE(again.at("origin_jti"), id.at("origin_jti"));
  EXPECT_NE(again.at("event_id"), id.at("event_id"));
}

TEST_F(TokenIssuerTest, AttributesInClaimForm) {
  json::object id = Claims(Member(SignIn(client_), "IdToken"));
  EXPECT_EQ(id.at("email"), "alice@example.com");
  EXPECT_EQ(id.at("email_verified"), true);
  EXPECT_EQ(id.at("phone_number_verified"), false);
  EXPECT_EQ(id.at("updated_at"), 1700000000);
  EXPECT_EQ(id.at("custom:tier"), "3");
  EXPECT_EQ(id.at("name"), "Alice");
  json::object access = Claims(Member(SignIn(client_), "AccessToken"));
  EXPECT_FALSE(access.contains("email"));
}

TEST_F(TokenIssuerTest, OnlyAttributesTheClientMayRead) {
  TestClient limited = NewClient(pool_, {{"ReadAttributes", {"email", "name"}}});
  json::object id = Claims(Member(SignIn(limited), "IdToken"));
  EXPECT_TRUE(id.contains("email"));
  EXPECT_TRUE(id.contains("name"));
  for (const char* hidden : {"email_verified", "phone_number", "custom:tier", "updated_at"}) {
    EXPECT_FALSE(id.contains(hidden)) << hidden;
  }
}

TEST_F(TokenIssuerTest, GroupsByPrecedenceThenName) {
  AddGroup("b-second", 2, "arn:aws:iam::1:role/b");
  AddGroup("a-first", 1);
  AddGroup("c-unranked", std::nullopt, "arn:aws:iam::1:role/c");
  AddGroup("a-second", 2, "arn:aws:iam::1:role/a2");
  json::object result = SignIn(client_);
  json::object id = Claims(Member(result, "IdToken"));
  json::object access = Claims(Member(result, "AccessToken"));
  json::value groups = json::parse(R"(["a-first","a-second","b-second","c-unranked"])");
  EXPECT_EQ(id.at("cognito:groups"), groups);
  EXPECT_EQ(access.at("cognito:groups"), groups);
  EXPECT_EQ(id.at("cognito:roles"), json::parse(R"(["arn:aws:iam::1:role/a2",
      "arn:aws:iam::1:role/b","arn:aws:iam::1:role/c"])"));
  EXPECT_EQ(id.at("cognito:preferred_role"), "arn:aws:iam::1:role/a2");
}

TEST_F(TokenIssuerTest, AllGroupPagesAreRead) {
  for (int i = 0; i < 65; ++i) AddGroup("g" + std::to_string(100 + i), std::nullopt);
  json::object id = Claims(Member(SignIn(client_), "IdToken"));
  ASSERT_EQ(id.at("cognito:groups").as_array().size(), 65u);
  EXPECT_EQ(id.at("cognito:groups").as_array().back(), "g164");
}

TEST_F(TokenIssuerTest, NoJtiClaimsWithoutTokenRevocation) {
  TestClient plain = NewClient(pool_, {{"EnableTokenRevocation", false}});
  json::object result = SignIn(plain);
  for (const char* token : {"IdToken", "AccessToken"}) {
    json::object claims = Claims(Member(result, token));
    EXPECT_FALSE(claims.contains("origin_jti")) << token;
    EXPECT_FALSE(claims.contains("jti")) << token;
    EXPECT_TRUE(claims.contains("event_id")) << token;
  }
}

TEST_F(TokenIssuerTest, LifetimesFollowTheClient) {
  TestClient short_lived = NewClient(
      pool_, {{"AccessTokenValidity", 5},
              {"IdTokenValidity", 10},
              {"RefreshTokenValidity", 2},
              {"TokenValidityUnits",
               {{"AccessToken", "minutes"}, {"IdToken", "minutes"}, {"RefreshToken", "hours"}}}});
  json::object result = SignIn(short_lived);
  EXPECT_EQ(result.at("ExpiresIn"), 300);
  json::object id = Claims(Member(result, "IdToken"));
  json::object access = Claims(Member(result, "AccessToken"));
  EXPECT_EQ(id.at("exp").as_int64() - id.at("iat").as_int64(), 600);
  EXPECT_EQ(access.at("exp").as_int64() - access.at("iat").as_int64(), 300);
  auto stored = stores_.refresh_tokens->GetRefreshToken(
      TokenIssuer::HashRefreshToken(Member(result, "RefreshToken")));
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->expires_ms, clock_.NowMs() + 2 * 3600 * 1000);
}

TEST_F(TokenIssuerTest, RefreshTokenIsStoredOnlyAsItsHash) {
  json::object result = SignIn(client_);
  std::string token = Member(result, "RefreshToken");
  EXPECT_EQ(token.size(), 43u);  // 32 bytes, base64url without padding
  auto raw = stores_.refresh_tokens->GetRefreshToken(token);
  ASSERT_TRUE(raw.ok());
  EXPECT_FALSE(raw->has_value());
  auto stored = stores_.refresh_tokens->GetRefreshToken(TokenIssuer::HashRefreshToken(token));
  ASSERT_TRUE(stored.ok() && stored->has_value());
  const store::RefreshTokenRecord& r = **stored;
  EXPECT_EQ(r.token_hash.size(), 64u);
  EXPECT_EQ(r.pool_id, pool_);
  EXPECT_EQ(r.client_id, client_.id);
  EXPECT_EQ(r.username_key, "alice");
  EXPECT_EQ(json::value(r.origin_jti), Claims(Member(result, "IdToken")).at("origin_jti"));
  EXPECT_EQ(r.auth_time_s, clock_.NowSeconds());
  EXPECT_EQ(r.expires_ms, clock_.NowMs() + 30LL * 24 * 3600 * 1000);
  EXPECT_FALSE(r.revoked);
  EXPECT_EQ(r.rotated_ms, 0);
}

}  // namespace
}  // namespace cognate::auth
