// GetTokensFromRefreshToken, with and without refresh-token rotation.

#include <gtest/gtest.h>

#include "auth/testing/sign_in_env.h"
#include "auth/token_issuer.h"

namespace cognate::auth {
namespace {

namespace json = boost::json;
using testing::SignInTest;
using testing::TestClient;

class RefreshRotationTest : public SignInTest {
 protected:
  void SetUp() override {
    pool_ = NewPool();
    client_ = NewClient(pool_);
    AddUser(pool_, "alice");
  }

  TestClient RotatingClient(int grace_seconds) {
    return NewClient(pool_,
                     {{"RefreshTokenRotation",
                       {{"Feature", "ENABLED"}, {"RetryGracePeriodSeconds", grace_seconds}}}});
  }

  std::string SignIn(const TestClient& client) {
    return Member(TokensOf(PasswordSignIn(client, "alice")), "RefreshToken");
  }

  Result<json::object> GetTokens(const TestClient& client, const std::string& token,
                                 const std::string& secret = "") {
    json::object request{{"ClientId", client.id}, {"RefreshToken", token}};
    if (!secret.empty()) request["ClientSecret"] = secret;
    return service_.GetTokensFromRefreshToken(request);
  }

  // The new refresh token of a rotation that must succeed.
  std::string Rotate(const TestClient& client, const std::string& token) {
    json::object result = TokensOf(GetTokens(client, token));
    EXPECT_TRUE(result.contains("RefreshToken"));
    return Member(result, "RefreshToken");
  }

  std::string ErrorOf(const TestClient& client, const std::string& token) {
    auto out = GetTokens(client, token);
    EXPECT_FALSE(out.ok());
    return out.ok() ? "" : out.error().type + ": " + out.error().message;
  }

  store::RefreshTokenRecord Stored(const std::string& token) {
    auto r = stores_.refresh_tokens->GetRefreshToken(TokenIssuer::HashRefreshToken(token));
    EXPECT_TRUE(r.ok() && r->has_value());
    return r.ok() && r->has_value() ? **r : store::RefreshTokenRecord{};
  }

  std::string pool_;
  TestClient client_;
};

TEST_F(RefreshRotationTest, WithoutRotationTheTokenStays) {
  std::string token = SignIn(client_);
  json::object out = Ok(GetTokens(client_, token));
  EXPECT_FALSE(out.contains("ChallengeParameters"));
  const json::object& result = out.at("AuthenticationResult").as_object();
  EXPECT_FALSE(result.contains("RefreshToken"));
  EXPECT_TRUE(result.contains("IdToken"));
  EXPECT_TRUE(GetTokens(client_, token).ok());
  EXPECT_EQ(Stored(token).rotated_ms, 0);
}

TEST_F(RefreshRotationTest, ClientSecretIsTheRawSecret) {
  TestClient secret_client = NewClient(pool_, {{"GenerateSecret", true}});
  std::string token = SignIn(client_);
  auto with_secret = [&](const std::string& secret) {
    json::object request{{"ClientId", secret_client.id}, {"RefreshToken", token}};
    if (!secret.empty()) request["ClientSecret"] = secret;
    return service_.GetTokensFromRefreshToken(request);
  };
  EXPECT_EQ(Fails(with_secret("")).message,
            "Client " + secret_client.id + " is configured for secret but secret was not received");
  EXPECT_EQ(Fails(with_secret("wrongsecret")).type, "NotAuthorizedException");
  // The secret is right; the token is another client's.
  EXPECT_EQ(Fails(with_secret(secret_client.secret)).message, "Invalid Refresh Token.");
}

TEST_F(RefreshRotationTest, TheClientMustAllowRefresh) {
  std::string token = SignIn(client_);
  TestClient srp_only = NewClient(pool_, {{"ExplicitAuthFlows", {"ALLOW_USER_SRP_AUTH"}}});
  EXPECT_EQ(ErrorOf(srp_only, token),
            "InvalidParameterException: REFRESH_TOKEN_AUTH flow not enabled for this client");
}

TEST_F(RefreshRotationTest, RotationReplacesTheToken) {
  TestClient client = RotatingClient(0);
  json::object first = TokensOf(PasswordSignIn(client, "alice"));
  std::string old_token = Member(first, "RefreshToken");
  clock_.AdvanceMs(60'000);
  json::object result = TokensOf(GetTokens(client, old_token));
  std::string new_token = Member(result, "RefreshToken");
  ASSERT_FALSE(new_token.empty());
  EXPECT_NE(new_token, old_token);
  json::object id = Claims(Member(result, "IdToken"));
  json::object first_id = Claims(Member(first, "IdToken"));
  EXPECT_EQ(id.at("origin_jti"), first_id.at("origin_jti"));
  EXPECT_EQ(id.at("auth_time"), first_id.at("auth_time"));
  EXPECT_EQ(Stored(old_token).rotated_ms, clock_.NowMs());
  EXPECT_EQ(Stored(new_token).expires_ms, clock_.NowMs() + 30LL * 24 * 3600 * 1000);
  std::string third = Rotate(client, new_token);
  EXPECT_FALSE(third.empty());
}

TEST_F(RefreshRotationTest, ReuseRevokesTheWholeSession) {
  TestClient client = RotatingClient(0);
  std::string old_token = SignIn(client);
  std::string new_token = Rotate(client, old_token);
  EXPECT_EQ(ErrorOf(client, old_token),
            "RefreshTokenReuseException: Refresh Token has been reused");
  EXPECT_EQ(ErrorOf(client, new_token), "NotAuthorizedException: Refresh Token has been revoked");
  auto revoked = stores_.refresh_tokens->IsOriginRevoked(pool_, Stored(new_token).origin_jti);
  ASSERT_TRUE(revoked.ok());
  EXPECT_TRUE(*revoked);
  // Other sessions of the user are untouched.
  EXPECT_FALSE(Rotate(client, SignIn(client)).empty());
}

TEST_F(RefreshRotationTest, GracePeriodAllowsRetries) {
  TestClient client = RotatingClient(30);
  std::string old_token = SignIn(client);
  std::string first = Rotate(client, old_token);
  clock_.AdvanceMs(29'999);
  // A retry of a lost response: new tokens and a refresh token of its own.
  std::string retry = Rotate(client, old_token);
  EXPECT_NE(retry, first);
  EXPECT_FALSE(retry.empty());
  EXPECT_EQ(Stored(retry).origin_jti, Stored(first).origin_jti);
  EXPECT_FALSE(Rotate(client, first).empty());
  clock_.AdvanceMs(1);
  EXPECT_EQ(ErrorOf(client, old_token),
            "RefreshTokenReuseException: Refresh Token has been reused");
  EXPECT_EQ(ErrorOf(client, retry), "NotAuthorizedException: Refresh Token has been revoked");
}

TEST_F(RefreshRotationTest, RetiredTokensOnInitiateAuth) {
  TestClient client = RotatingClient(10);
  std::string old_token = SignIn(client);
  std::string new_token = Rotate(client, old_token);
  auto refresh = [&](const std::string& token) {
    return service_.InitiateAuth({{"ClientId", client.id},
                                  {"AuthFlow", "REFRESH_TOKEN_AUTH"},
                                  {"AuthParameters", {{"REFRESH_TOKEN", token}}}});
  };
  EXPECT_TRUE(refresh(old_token).ok());  // within the grace period
  clock_.AdvanceMs(10'000);
  Error e = Fails(refresh(old_token));
  EXPECT_EQ(e.type, "NotAuthorizedException");
  EXPECT_EQ(e.message, "Refresh Token has been revoked");
  EXPECT_EQ(Fails(refresh(new_token)).message, "Refresh Token has been revoked");
}

TEST_F(RefreshRotationTest, DisablingRotationKeepsTheLatestToken) {
  TestClient client = RotatingClient(0);
  std::string token = Rotate(client, SignIn(client));
  Ok(maker_.UpdateUserPoolClient(
      {{"UserPoolId", pool_},
       {"ClientId", client.id},
       {"ExplicitAuthFlows", {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}}));
  json::object result = TokensOf(GetTokens(client, token));
  EXPECT_FALSE(result.contains("RefreshToken"));
  EXPECT_TRUE(GetTokens(client, token).ok());
}

}  // namespace
}  // namespace cognate::auth
