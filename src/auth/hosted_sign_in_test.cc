// The hosted pages' entry points into SignInService: the password flow whatever the client's
// ExplicitAuthFlows, a signed-in marker instead of tokens, and tokens made at the code exchange
// with the authorization's scopes and nonce.

#include <gtest/gtest.h>

#include "auth/testing/sign_in_env.h"

namespace cognate::auth {
namespace {

namespace json = boost::json;
using testing::SignInTest;
using triggers::Trigger;
using triggers::TriggerCall;

class HostedSignInTest : public SignInTest {
 protected:
  void SetUp() override {
    pool_ = NewPool();
    // An SRP-only client: the hosted pages may still take the password.
    client_ = NewClient(pool_, {{"ExplicitAuthFlows", {"ALLOW_USER_SRP_AUTH"}}}).id;
    user_ = AddUser(pool_, "alice", {{"email", "alice@example.com"}});
  }
  json::object PasswordRequest(std::string password = testing::kPassword) {
    return {{"ClientId", client_},
            {"AuthFlow", "USER_PASSWORD_AUTH"},
            {"AuthParameters", {{"USERNAME", "alice"}, {"PASSWORD", password}}}};
  }
  std::string pool_, client_;
  store::UserRecord user_;
};

TEST_F(HostedSignInTest, PasswordSignInAnswersWhoSignedInNotTokens) {
  EXPECT_EQ(Fails(service_.InitiateAuth(PasswordRequest())).type, "InvalidParameterException");
  json::object answer = Ok(service_.HostedInitiateAuth(PasswordRequest()));
  ASSERT_TRUE(answer.contains("SignedIn")) << json::serialize(answer);
  EXPECT_FALSE(answer.contains("AuthenticationResult"));
  const json::object& who = answer["SignedIn"].as_object();
  EXPECT_EQ(who.at("UsernameKey").as_string(), user_.username_key);
  EXPECT_EQ(who.at("Sub").as_string(), user_.sub);
  EXPECT_EQ(who.at("AuthTime").as_int64(), clock_.NowSeconds());
  EXPECT_EQ(Fails(service_.HostedInitiateAuth(PasswordRequest("Wrong-Passw0rd!"))).type,
            "NotAuthorizedException");
}

TEST_F(HostedSignInTest, CodeExchangeIssuesScopedTokensAndKeepsScopesOnRefresh) {
  OAuthGrant grant{"openid email", "n-123", "origin-1", clock_.NowSeconds() - 10};
  auto issued = service_.HostedTokens(client_, user_.username_key, grant);
  ASSERT_TRUE(issued.ok()) << issued.error().message;
  json::object id = Claims(issued->tokens.id_token);
  json::object access = Claims(issued->tokens.access_token);
  EXPECT_EQ(id.at("nonce").as_string(), "n-123");
  EXPECT_EQ(id.at("auth_time").as_int64(), grant.auth_time_s);
  EXPECT_EQ(access.at("scope").as_string(), "openid email");
  EXPECT_EQ(access.at("origin_jti").as_string(), "origin-1");
  clock_.AdvanceMs(5000);
  json::object refreshed = Ok(service_.HostedRefresh(
      {{"ClientId", client_}, {"RefreshToken", issued->refresh_token}}));
  const json::object& result = refreshed["AuthenticationResult"].as_object();
  EXPECT_EQ(Claims(std::string(result.at("AccessToken").as_string())).at("scope").as_string(),
            "openid email");
  EXPECT_FALSE(Claims(std::string(result.at("IdToken").as_string())).contains("nonce"));

  // Without openid: no ID token, now or after a refresh.
  OAuthGrant admin_only{"aws.cognito.signin.user.admin", "", "origin-2", clock_.NowSeconds()};
  auto plain = service_.HostedTokens(client_, user_.username_key, admin_only);
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->tokens.id_token.empty());
  json::object again = Ok(service_.HostedRefresh(
      {{"ClientId", client_}, {"RefreshToken", plain->refresh_token}}));
  EXPECT_FALSE(again["AuthenticationResult"].as_object().contains("IdToken"));
}

TEST_F(HostedSignInTest, CodeExchangeRunsPreTokenGenerationAsHostedAuth) {
  triggers_.On(Trigger::kPreTokenGeneration, [](const TriggerCall&) {
    return Result<json::object>(json::object{
        {"claimsOverrideDetails", {{"claimsToAddOrOverride", {{"tier", "gold"}}}}}});
  });
  auto issued = service_.HostedTokens(client_, user_.username_key,
                                      {"openid", "", "origin-3", clock_.NowSeconds()});
  ASSERT_TRUE(issued.ok()) << issued.error().message;
  auto calls = triggers_.calls(Trigger::kPreTokenGeneration);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].trigger_source, "TokenGeneration_HostedAuth");
  EXPECT_EQ(Claims(issued->tokens.id_token).at("tier").as_string(), "gold");
}

TEST_F(HostedSignInTest, CodeExchangeRefusesUsersGoneOrDisabled) {
  EditUser(pool_, user_.username_key, [](store::UserRecord& u) { u.enabled = false; });
  auto disabled = service_.HostedTokens(client_, user_.username_key,
                                        {"openid", "", "o", clock_.NowSeconds()});
  ASSERT_FALSE(disabled.ok());
  EXPECT_EQ(disabled.error().type, "NotAuthorizedException");
  auto gone = service_.HostedTokens(client_, "nobody", {"openid", "", "o", 0});
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().type, "NotAuthorizedException");
}

}  // namespace
}  // namespace cognate::auth
