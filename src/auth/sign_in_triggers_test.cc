// PreAuthentication and PostAuthentication around the sign-in flows, and which ClientMetadata
// the triggers get.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <limits>

#include "auth/testing/sign_in_env.h"

namespace cognate::auth {
namespace {

namespace json = boost::json;
using testing::SignInTest;
using testing::TestClient;
using triggers::Trigger;
using triggers::TriggerCall;

// What an invoker returns for a receiver that rejected the event.
Result<json::object> Rejected(const TriggerCall&) {
  return Error::Make("UserLambdaValidationException", "The trigger failed with error no.");
}
Result<json::object> Accepted(const TriggerCall&) { return json::object(); }

class SignInTriggersTest : public SignInTest {
 protected:
  void SetUp() override {
    pool_ = NewPool();
    client_ = NewClient(pool_, {{"ExplicitAuthFlows",
                                 {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                                  "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}});
    user_ = AddUser(pool_, "alice", {{"email", "alice@example.com"}, {"email_verified", "true"}});
  }

  // Writes `members` into the stored pool config.
  void EditPoolConfig(std::string_view members) {
    auto pool = stores_.pools->GetPool(pool_);
    ASSERT_TRUE(pool.ok() && pool->has_value());
    store::UserPoolRecord record = **pool;
    json::object config = json::parse(record.config_json).as_object();
    json::value added = json::parse(members);
    for (const auto& kv : added.as_object()) config[kv.key()] = kv.value();
    record.config_json = json::serialize(config);
    ASSERT_TRUE(stores_.pools->UpdatePool(record).ok());
  }

  // Refresh tokens in the store (the purge of everything counts them).
  int64_t StoredRefreshTokens() {
    auto purged =
        stores_.refresh_tokens->PurgeExpiredTokens(std::numeric_limits<int64_t>::max(), 1000);
    EXPECT_TRUE(purged.ok());
    return purged.ok() ? *purged : -1;
  }

  std::string pool_;
  TestClient client_;
  store::UserRecord user_;
};

TEST_F(SignInTriggersTest, PreAuthenticationSeesTheUserBeforeThePassword) {
  triggers_.On(Trigger::kPreAuthentication, Accepted);
  EXPECT_FALSE(TokensOf(PasswordSignIn(client_, "alice")).empty());
  auto calls = triggers_.calls(Trigger::kPreAuthentication);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].trigger_source, "PreAuthentication_Authentication");
  EXPECT_EQ(calls[0].user_name, "alice");
  EXPECT_EQ(calls[0].client_id, client_.id);
  EXPECT_EQ(calls[0].version, "1");
  json::object attrs{{"email", "alice@example.com"},
                     {"email_verified", "true"},
                     {"sub", user_.sub},
                     {"cognito:user_status", "CONFIRMED"}};
  // No ClientMetadata in the request: neither validationData nor clientMetadata.
  EXPECT_EQ(calls[0].request, (json::object{{"userAttributes", attrs}}));
}

TEST_F(SignInTriggersTest, PreAuthenticationRejectionDeniesBeforeThePasswordCounts) {
  triggers_.On(Trigger::kPreAuthentication, Rejected);
  Error e = Fails(PasswordSignIn(client_, "alice"));
  EXPECT_EQ(e.type, "UserLambdaValidationException");
  EXPECT_EQ(e.message, "The trigger failed with error no.");
  // A wrong password is not even looked at: no failure is counted.
  EXPECT_EQ(Fails(PasswordSignIn(client_, "alice", "Wrong-1")).type,
            "UserLambdaValidationException");
  EXPECT_EQ(GetUser(pool_, user_.username_key).failed_sign_ins, 0);
  EXPECT_EQ(Fails(AdminSignIn(pool_, client_, "alice")).type, "UserLambdaValidationException");
  EXPECT_EQ(StoredRefreshTokens(), 0);
  triggers_.Off(Trigger::kPreAuthentication);
  EXPECT_FALSE(TokensOf(PasswordSignIn(client_, "alice")).empty());
}

TEST_F(SignInTriggersTest, UnknownNamesReachPreAuthenticationOnlyWhenExistenceIsHidden) {
  triggers_.On(Trigger::kPreAuthentication, Accepted);
  EXPECT_EQ(Fails(PasswordSignIn(client_, "nobody")).type, "UserNotFoundException");
  EXPECT_TRUE(triggers_.calls(Trigger::kPreAuthentication).empty());

  TestClient hiding = NewClient(pool_, {{"PreventUserExistenceErrors", "ENABLED"}});
  EXPECT_EQ(Fails(PasswordSignIn(hiding, "nobody")).message, "Incorrect username or password.");
  auto calls = triggers_.calls(Trigger::kPreAuthentication);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].user_name, "nobody");
  EXPECT_EQ(calls[0].request.at("userNotFound"), true);
  EXPECT_EQ(calls[0].request.at("userAttributes"), json::object());

  triggers_.On(Trigger::kPreAuthentication, Rejected);
  EXPECT_EQ(Fails(PasswordSignIn(hiding, "nobody")).type, "UserLambdaValidationException");
}

TEST_F(SignInTriggersTest, PreAuthenticationGuardsSrpToo) {
  json::object request{
      {"ClientId", client_.id},
      {"AuthFlow", "USER_SRP_AUTH"},
      {"AuthParameters", {{"USERNAME", "alice"}, {"SRP_A", std::string(512, 'a')}}}};
  triggers_.On(Trigger::kPreAuthentication, Rejected);
  EXPECT_EQ(Fails(service_.InitiateAuth(request)).type, "UserLambdaValidationException");
  triggers_.On(Trigger::kPreAuthentication, Accepted);
  EXPECT_EQ(Member(Ok(service_.InitiateAuth(request)), "ChallengeName"), "PASSWORD_VERIFIER");
  EXPECT_EQ(triggers_.calls(Trigger::kPreAuthentication).size(), 2u);
}

TEST_F(SignInTriggersTest, PreAuthenticationGuardsEveryUserAuthFactorOnce) {
  TestClient choice = NewClient(pool_, {{"ExplicitAuthFlows", {"ALLOW_USER_AUTH"}}});
  auto start = [&](std::string_view factor) {
    json::object params{{"USERNAME", "alice"}, {"PREFERRED_CHALLENGE", factor},
                        {"PASSWORD", testing::kPassword}, {"SRP_A", std::string(512, 'a')}};
    return service_.InitiateAuth(
        {{"ClientId", choice.id}, {"AuthFlow", "USER_AUTH"}, {"AuthParameters", params}});
  };
  triggers_.On(Trigger::kPreAuthentication, Rejected);
  EXPECT_EQ(Fails(start("PASSWORD")).type, "UserLambdaValidationException");
  EXPECT_EQ(Fails(start("PASSWORD_SRP")).type, "UserLambdaValidationException");
  triggers_.On(Trigger::kPreAuthentication, Accepted);
  EXPECT_FALSE(TokensOf(start("PASSWORD")).empty());
  EXPECT_EQ(triggers_.calls(Trigger::kPreAuthentication).size(), 3u);
}

TEST_F(SignInTriggersTest, PostAuthenticationRunsAfterThePasswordAndBeforeTokens) {
  triggers_.On(Trigger::kPostAuthentication, Accepted);
  EXPECT_EQ(Fails(PasswordSignIn(client_, "alice", "Wrong-1")).type, "NotAuthorizedException");
  EXPECT_TRUE(triggers_.calls(Trigger::kPostAuthentication).empty());
  EXPECT_FALSE(TokensOf(PasswordSignIn(client_, "alice")).empty());
  auto calls = triggers_.calls(Trigger::kPostAuthentication);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].trigger_source, "PostAuthentication_Authentication");
  EXPECT_EQ(calls[0].user_name, "alice");
  EXPECT_EQ(calls[0].request.at("newDeviceUsed"), false);
  EXPECT_FALSE(calls[0].request.contains("clientMetadata"));
  EXPECT_EQ(calls[0].request.at("userAttributes").at("sub"), json::value(user_.sub));
}

TEST_F(SignInTriggersTest, PostAuthenticationRejectionMeansNoTokens) {
  triggers_.On(Trigger::kPostAuthentication, Rejected);
  EXPECT_EQ(Fails(PasswordSignIn(client_, "alice", "Wrong-1")).type, "NotAuthorizedException");
  EXPECT_EQ(Fails(PasswordSignIn(client_, "alice")).type, "UserLambdaValidationException");
  EXPECT_EQ(StoredRefreshTokens(), 0);
  // The failure before stays counted: the sign-in did not complete.
  EXPECT_EQ(GetUser(pool_, user_.username_key).failed_sign_ins, 1);
}

TEST_F(SignInTriggersTest, PostAuthenticationWaitsForTheSecondFactor) {
  EditPoolConfig(R"({"MfaConfiguration":"ON",
                     "SmsMfaConfiguration":{"SmsAuthenticationMessage":"Code {####}"}})");
  EditUser(pool_, user_.username_key, [](store::UserRecord& u) {
    u.attributes_json = R"({"phone_number":"+15551234567","phone_number_verified":"true"})";
  });
  triggers_.On(Trigger::kPostAuthentication, Accepted);
  json::object challenge = Ok(PasswordSignIn(client_, "alice"));
  ASSERT_EQ(Member(challenge, "ChallengeName"), "SMS_MFA");
  EXPECT_TRUE(triggers_.calls(Trigger::kPostAuthentication).empty());
  ASSERT_EQ(sender_.calls(), 1u);
  json::object responses{{"USERNAME", "alice"}, {"SMS_MFA_CODE", sender_.sent().back().code}};
  json::object answer{{"ClientId", client_.id},
                      {"ChallengeName", "SMS_MFA"},
                      {"Session", challenge.at("Session")},
                      {"ChallengeResponses", responses}};
  EXPECT_FALSE(TokensOf(service_.RespondToAuthChallenge(answer)).empty());
  auto calls = triggers_.calls(Trigger::kPostAuthentication);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].request.at("userAttributes").at("phone_number"), "+15551234567");
}

TEST_F(SignInTriggersTest, InitiateAuthMetadataGoesToPreAuthenticationOnly) {
  triggers_.On(Trigger::kPreAuthentication, Accepted);
  triggers_.On(Trigger::kPostAuthentication, Accepted);
  json::object metadata{{"app", "web"}};
  EXPECT_FALSE(TokensOf(service_.InitiateAuth({{"AuthFlow", "USER_PASSWORD_AUTH"},
                                               {"ClientId", client_.id},
                                               {"ClientMetadata", metadata},
                                               {"AuthParameters", PasswordParams("alice")}}))
                   .empty());
  const json::object pre = triggers_.calls(Trigger::kPreAuthentication).at(0).request;
  EXPECT_EQ(pre.at("validationData"), metadata);
  EXPECT_EQ(pre.at("clientMetadata"), metadata);
  EXPECT_FALSE(
      triggers_.calls(Trigger::kPostAuthentication).at(0).request.contains("clientMetadata"));
}

}  // namespace
}  // namespace cognate::auth
