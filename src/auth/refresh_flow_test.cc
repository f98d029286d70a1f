// REFRESH_TOKEN_AUTH on InitiateAuth/AdminInitiateAuth.

#include <gtest/gtest.h>

#include "auth/testing/sign_in_env.h"
#include "identity/secret_hash.h"

namespace cognate::auth {
namespace {

namespace json = boost::json;
using testing::SignInTest;
using testing::TestClient;

class RefreshFlowTest : public SignInTest {
 protected:
  void SetUp() override {
    pool_ = NewPool({{"AliasAttributes", {"email"}}});
    client_ = NewClient(pool_);
    user_ = AddUser(pool_, "alice", {{"email", "a@example.com"}, {"email_verified", "true"}});
  }

  // The refresh token of a password sign-in through `client`.
  std::string SignIn(const TestClient& client, const std::string& name = "alice",
                     const std::string& secret_hash = "") {
    json::object params = PasswordParams(name, testing::kPassword, secret_hash);
    return Member(TokensOf(service_.InitiateAuth({{"ClientId", client.id},
                                                  {"AuthFlow", "USER_PASSWORD_AUTH"},
                                                  {"AuthParameters", params}})),
                  "RefreshToken");
  }

  Result<json::object> Refresh(const TestClient& client, const std::string& token,
                               const std::string& flow = "REFRESH_TOKEN_AUTH",
                               const std::string& secret_hash = "") {
    json::object params{{"REFRESH_TOKEN", token}};
    if (!secret_hash.empty()) params["SECRET_HASH"] = secret_hash;
    return service_.InitiateAuth(
        {{"ClientId", client.id}, {"AuthFlow", flow}, {"AuthParameters", params}});
  }

  std::string RefreshError(const TestClient& client, const std::string& token) {
    auto out = Refresh(client, token);
    EXPECT_FALSE(out.ok());
    return out.ok() ? "" : out.error().type + ": " + out.error().message;
  }

  std::string pool_;
  TestClient client_;
  store::UserRecord user_;
};

TEST_F(RefreshFlowTest, NewTokensOfTheSameSession) {
  json::object first = TokensOf(PasswordSignIn(client_, "alice"));
  json::object first_id = Claims(Member(first, "IdToken"));
  clock_.AdvanceMs(10 * 60 * 1000);
  for (const char* flow : {"REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"}) {
    json::object out = Ok(Refresh(client_, Member(first, "RefreshToken"), flow));
    EXPECT_EQ(out.at("ChallengeParameters"), json::object());
    const json::object& result = out.at("AuthenticationResult").as_object();
    EXPECT_FALSE(result.contains("RefreshToken"));
    EXPECT_EQ(result.at("TokenType"), "Bearer");
    EXPECT_EQ(result.at("ExpiresIn"), 3600);
    json::object id = Claims(Member(result, "IdToken"));
    json::object access = Claims(Member(result, "AccessToken"));
    EXPECT_EQ(id.at("origin_jti"), first_id.at("origin_jti"));
    EXPECT_EQ(access.at("origin_jti"), first_id.at("origin_jti"));
    EXPECT_EQ(id.at("auth_time"), first_id.at("auth_time"));
    EXPECT_EQ(id.at("iat"), clock_.NowSeconds());
    EXPECT_NE(id.at("event_id"), first_id.at("event_id"));
    EXPECT_EQ(id.at("email"), "a@example.com");
  }
}

TEST_F(RefreshFlowTest, AdminRefresh) {
  std::string token = SignIn(client_);
  json::object out =
      Ok(service_.AdminInitiateAuth({{"UserPoolId", pool_},
                                     {"ClientId", client_.id},
                                     {"AuthFlow", "REFRESH_TOKEN_AUTH"},
                                     {"AuthParameters", {{"REFRESH_TOKEN", token}}}}));
  EXPECT_TRUE(out.at("AuthenticationResult").as_object().contains("AccessToken"));
}

TEST_F(RefreshFlowTest, FlowAndParameter) {
  std::string token = SignIn(client_);
  TestClient no_refresh = NewClient(pool_, {{"ExplicitAuthFlows", {"ALLOW_USER_SRP_AUTH"}}});
  EXPECT_EQ(RefreshError(no_refresh, token),
            "InvalidParameterException: REFRESH_TOKEN_AUTH flow not enabled for this client");
  auto out = service_.InitiateAuth({{"ClientId", client_.id}, {"AuthFlow", "REFRESH_TOKEN_AUTH"}});
  EXPECT_EQ(Fails(out).message, "Missing required parameter REFRESH_TOKEN");
}

TEST_F(RefreshFlowTest, UnknownTokensAndOtherClientsTokens) {
  std::string token = SignIn(client_);
  EXPECT_EQ(RefreshError(client_, "bm90LWEtdG9rZW4"),
            "NotAuthorizedException: Invalid Refresh Token.");
  TestClient other = NewClient(pool_);
  EXPECT_EQ(RefreshError(other, token), "NotAuthorizedException: Invalid Refresh Token.");
  std::string other_pool = NewPool();
  TestClient foreign = NewClient(other_pool);
  EXPECT_EQ(RefreshError(foreign, token), "NotAuthorizedException: Invalid Refresh Token.");
}

TEST_F(RefreshFlowTest, ExpiredTokens) {
  std::string token = SignIn(client_);
  clock_.AdvanceMs(30LL * 24 * 3600 * 1000 - 1);
  EXPECT_TRUE(Refresh(client_, token).ok());
  clock_.AdvanceMs(1);
  EXPECT_EQ(RefreshError(client_, token), "NotAuthorizedException: Refresh Token has expired");
}

TEST_F(RefreshFlowTest, RevokedTokens) {
  std::string token = SignIn(client_);
  Ok(service_.RevokeToken({{"ClientId", client_.id}, {"Token", token}}));
  EXPECT_EQ(RefreshError(client_, token), "NotAuthorizedException: Refresh Token has been revoked");
}

TEST_F(RefreshFlowTest, GlobalSignOutRevokesEarlierTokens) {
  std::string before = SignIn(client_);
  clock_.AdvanceMs(1);
  EditUser(pool_, user_.username_key,
           [&](store::UserRecord& u) { u.tokens_valid_after_ms = clock_.NowMs(); });
  clock_.AdvanceMs(1);
  std::string after = SignIn(client_);
  EXPECT_EQ(RefreshError(client_, before),
            "NotAuthorizedException: Refresh Token has been revoked");
  EXPECT_TRUE(Refresh(client_, after).ok());
}

TEST_F(RefreshFlowTest, DisabledAndDeletedUsers) {
  std::string token = SignIn(client_);
  EditUser(pool_, user_.username_key, [](store::UserRecord& u) { u.enabled = false; });
  EXPECT_EQ(RefreshError(client_, token), "NotAuthorizedException: User is disabled.");
  ASSERT_TRUE(stores_.users->DeleteUser(pool_, user_.username_key).ok());
  EXPECT_EQ(RefreshError(client_, token), "NotAuthorizedException: Invalid Refresh Token.");
}

TEST_F(RefreshFlowTest, SecretHashUsesTheInternalUsername) {
  TestClient secret_client = NewClient(pool_, {{"GenerateSecret", true}});
  auto hash = [&](const std::string& name) {
    return identity::ComputeSecretHash(name, secret_client.id, secret_client.secret);
  };
  // Signed in with the alias; the refresh hash is made with the username (or the sub).
  std::string token = SignIn(secret_client, "a@example.com", hash("a@example.com"));
  ASSERT_FALSE(token.empty());
  EXPECT_TRUE(Refresh(secret_client, token, "REFRESH_TOKEN_AUTH", hash("alice")).ok());
  EXPECT_TRUE(Refresh(secret_client, token, "REFRESH_TOKEN_AUTH", hash(user_.sub)).ok());
  Error e = Fails(Refresh(secret_client, token, "REFRESH_TOKEN_AUTH", hash("a@example.com")));
  EXPECT_EQ(e.message, "Unable to verify secret hash for client " + secret_client.id);
  EXPECT_EQ(Fails(Refresh(secret_client, token)).message,
            "Client " + secret_client.id + " is configured for secret but secret was not received");
}

TEST_F(RefreshFlowTest, RotationClientsStillRefreshWithoutRotating) {
  TestClient rotating = NewClient(
      pool_, {{"RefreshTokenRotation", {{"Feature", "ENABLED"}, {"RetryGracePeriodSeconds", 0}}}});
  std::string token = SignIn(rotating);
  json::object out = Ok(Refresh(rotating, token));
  EXPECT_FALSE(out.at("AuthenticationResult").as_object().contains("RefreshToken"));
  EXPECT_TRUE(Refresh(rotating, token).ok());
}

}  // namespace
}  // namespace cognate::auth
