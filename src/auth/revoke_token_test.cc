// RevokeToken: which tokens and clients may revoke, and what a revocation reaches.

#include <gtest/gtest.h>

#include "auth/access_guard.h"
#include "auth/testing/sign_in_env.h"
#include "auth/token_issuer.h"
#include "identity/secret_hash.h"

namespace cognate::auth {
namespace {

namespace json = boost::json;
using testing::SignInTest;
using testing::TestClient;

class RevokeTokenTest : public SignInTest {
 protected:
  void SetUp() override {
    pool_ = NewPool();
    client_ = NewClient(pool_);
    AddUser(pool_, "alice");
  }

  Result<json::object> Revoke(const TestClient& client, const std::string& token,
                              const std::string& secret = "") {
    json::object request{{"ClientId", client.id}, {"Token", token}};
    if (!secret.empty()) request["ClientSecret"] = secret;
    return service_.RevokeToken(request);
  }

  std::string ErrorOf(const Result<json::object>& out) {
    EXPECT_FALSE(out.ok());
    return out.ok() ? "" : out.error().type + ": " + out.error().message;
  }

  Result<json::object> Refresh(const TestClient& client, const std::string& token) {
    return service_.InitiateAuth({{"ClientId", client.id},
                                  {"AuthFlow", "REFRESH_TOKEN_AUTH"},
                                  {"AuthParameters", {{"REFRESH_TOKEN", token}}}});
  }

  std::string pool_;
  TestClient client_;
};

TEST_F(RevokeTokenTest, RevokesTheSignInSession) {
  json::object session = TokensOf(PasswordSignIn(client_, "alice"));
  json::object other = TokensOf(PasswordSignIn(client_, "alice"));
  std::string refresh = Member(session, "RefreshToken");
  json::object refreshed = TokensOf(Refresh(client_, refresh));
  EXPECT_EQ(Ok(Revoke(client_, refresh)), json::object());
  EXPECT_EQ(Fails(Refresh(client_, refresh)).message, "Refresh Token has been revoked");
  // Access tokens of the session, including refreshed ones, are refused by Cognate's own APIs.
  AccessGuard guard(directory_, tokens_);
  for (const json::object* tokens : {&session, &refreshed}) {
    auto checked = guard.Authenticate(Member(*tokens, "AccessToken"));
    ASSERT_FALSE(checked.ok());
    EXPECT_EQ(checked.error().message, "Access Token has been revoked");
  }
  // The user's other sessions go on.
  EXPECT_TRUE(guard.Authenticate(Member(other, "AccessToken")).ok());
  EXPECT_TRUE(Refresh(client_, Member(other, "RefreshToken")).ok());
  // Revoking again is fine.
  EXPECT_TRUE(Revoke(client_, refresh).ok());
}

TEST_F(RevokeTokenTest, UnknownTokensSucceed) {
  EXPECT_EQ(Ok(Revoke(client_, "dW5rbm93bi10b2tlbg")), json::object());
}

TEST_F(RevokeTokenTest, OnlyRefreshTokens) {
  json::object tokens = TokensOf(PasswordSignIn(client_, "alice"));
  for (const char* kind : {"AccessToken", "IdToken"}) {
    EXPECT_EQ(ErrorOf(Revoke(client_, Member(tokens, kind))),
              "UnsupportedTokenTypeException: Only refresh tokens can be revoked.");
  }
  EXPECT_TRUE(Refresh(client_, Member(tokens, "RefreshToken")).ok());
}

TEST_F(RevokeTokenTest, ClientMustHaveRevocationEnabled) {
  TestClient plain = NewClient(pool_, {{"EnableTokenRevocation", false}});
  std::string token = Member(TokensOf(PasswordSignIn(plain, "alice")), "RefreshToken");
  EXPECT_EQ(ErrorOf(Revoke(plain, token)),
            "UnsupportedOperationException: Token revocation is not enabled for this app client.");
  EXPECT_TRUE(Refresh(plain, token).ok());
}

TEST_F(RevokeTokenTest, OnlyTheIssuingClient) {
  std::string token = Member(TokensOf(PasswordSignIn(client_, "alice")), "RefreshToken");
  TestClient other = NewClient(pool_);
  EXPECT_EQ(ErrorOf(Revoke(other, token)),
            "UnauthorizedException: The refresh token was not issued to this client.");
  EXPECT_EQ(ErrorOf(Revoke(TestClient{"nosuchclient", ""}, token)),
            "UnauthorizedException: Invalid client credentials.");
  EXPECT_TRUE(Refresh(client_, token).ok());
}

TEST_F(RevokeTokenTest, ClientSecretIsChecked) {
  TestClient secret_client = NewClient(pool_, {{"GenerateSecret", true}});
  store::UserRecord bob = AddUser(pool_, "bob");
  json::object start{
      {"UserPoolId", pool_},
      {"ClientId", secret_client.id},
      {"AuthFlow", "ADMIN_USER_PASSWORD_AUTH"},
      {"AuthParameters",
       PasswordParams("bob", testing::kPassword,
                      identity::ComputeSecretHash("bob", secret_client.id, secret_client.secret))}};
  std::string token = Member(TokensOf(service_.AdminInitiateAuth(start)), "RefreshToken");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(ErrorOf(Revoke(secret_client, token)),
            "UnauthorizedException: Invalid client credentials.");
  EXPECT_EQ(ErrorOf(Revoke(secret_client, token, "wrongsecret")),
            "UnauthorizedException: Invalid client credentials.");
  EXPECT_TRUE(Revoke(secret_client, token, secret_client.secret).ok());
  auto stored = stores_.refresh_tokens->GetRefreshToken(TokenIssuer::HashRefreshToken(token));
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_TRUE((*stored)->revoked);
}

TEST_F(RevokeTokenTest, RevokingARotatedTokenRevokesItsSuccessors) {
  TestClient rotating = NewClient(
      pool_, {{"RefreshTokenRotation", {{"Feature", "ENABLED"}, {"RetryGracePeriodSeconds", 60}}}});
  std::string old_token = Member(TokensOf(PasswordSignIn(rotating, "alice")), "RefreshToken");
  std::string new_token = Member(TokensOf(service_.GetTokensFromRefreshToken(
                                     {{"ClientId", rotating.id}, {"RefreshToken", old_token}})),
                                 "RefreshToken");
  ASSERT_FALSE(new_token.empty());
  EXPECT_TRUE(Revoke(rotating, old_token).ok());
  EXPECT_EQ(Fails(Refresh(rotating, new_token)).message, "Refresh Token has been revoked");
}

}  // namespace
}  // namespace cognate::auth
