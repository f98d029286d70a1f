// PreTokenGeneration in the sign-in flows: which event goes out, and what the tokens carry.

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

constexpr char kRole[] = "arn:aws:iam::123456789012:role/staff";

class PreTokenSignInTest : public SignInTest {
 protected:
  void SetUp() override {
    pool_ = NewPool();
    client_ = NewClient(pool_);
    user_ =
        AddUser(pool_, "alice", {{"email", "alice@example.com"}, {"phone_number", "+15551234567"}});
    store::GroupRecord group{pool_, "staff", "", kRole, 1, 0, 0};
    ASSERT_TRUE(stores_.groups->CreateGroup(group).ok());
    ASSERT_TRUE(stores_.groups->AddMember(pool_, "staff", user_.username_key).ok());
  }

  // The trigger answers `response` (JSON text) to every event.
  void Answer(std::string_view response) {
    json::object parsed = json::parse(response).as_object();
    triggers_.On(Trigger::kPreTokenGeneration, [parsed](const TriggerCall&) { return parsed; });
  }

  void UseVersion(std::string_view version) {
    auto pool = stores_.pools->GetPool(pool_);
    ASSERT_TRUE(pool.ok() && pool->has_value());
    store::UserPoolRecord record = **pool;
    json::object config = json::parse(record.config_json).as_object();
    config["LambdaConfig"] = {
        {"PreTokenGenerationConfig", {{"LambdaVersion", version}, {"LambdaArn", "http://x/"}}}};
    record.config_json = json::serialize(config);
    ASSERT_TRUE(stores_.pools->UpdatePool(record).ok());
  }

  int64_t StoredRefreshTokens() {
    auto purged =
        stores_.refresh_tokens->PurgeExpiredTokens(std::numeric_limits<int64_t>::max(), 1000);
    return purged.ok() ? *purged : -1;
  }

  std::string pool_;
  TestClient client_;
  store::UserRecord user_;
};

TEST_F(PreTokenSignInTest, V1EventDescribesTheTokens) {
  Answer("{}");
  json::object result = TokensOf(PasswordSignIn(client_, "alice"));
  auto calls = triggers_.calls(Trigger::kPreTokenGeneration);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].trigger_source, "TokenGeneration_Authentication");
  EXPECT_EQ(calls[0].version, "1");
  EXPECT_EQ(calls[0].user_name, "alice");
  EXPECT_EQ(calls[0].request.at("groupConfiguration"),
            json::parse(R"({"groupsToOverride":["staff"],"iamRolesToOverride":[")" +
                        std::string(kRole) + R"("],"preferredRole":")" + kRole + R"("})"));
  EXPECT_EQ(calls[0].request.at("userAttributes").at("sub"), json::value(user_.sub));
  EXPECT_FALSE(calls[0].request.contains("scopes"));
  // An empty answer leaves the tokens as they were.
  EXPECT_EQ(Claims(Member(result, "IdToken")).at("email"), "alice@example.com");
}

TEST_F(PreTokenSignInTest, V1AddsAndSuppressesIdTokenClaims) {
  Answer(R"({"claimsOverrideDetails":{
      "claimsToAddOrOverride":{"tier":"gold","email":"other@example.com","both":"x"},
      "claimsToSuppress":["phone_number","both"]}})");
  json::object result = TokensOf(PasswordSignIn(client_, "alice"));
  json::object id = Claims(Member(result, "IdToken"));
  EXPECT_EQ(id.at("tier"), "gold");
  EXPECT_EQ(id.at("email"), "other@example.com");
  EXPECT_FALSE(id.contains("phone_number"));
  EXPECT_FALSE(id.contains("both"));  // suppress wins over add
  json::object access = Claims(Member(result, "AccessToken"));
  EXPECT_FALSE(access.contains("tier"));
  EXPECT_EQ(access.at("cognito:groups"), json::array{"staff"});
}

TEST_F(PreTokenSignInTest, ReservedClaimsCannotChange) {
  Answer(R"({"claimsOverrideDetails":{
      "claimsToAddOrOverride":{"sub":"x","cognito:username":"x","aud":"x","iss":"x",
                               "token_use":"x","exp":"1","auth_time":"1","cognito:groups":"x"},
      "claimsToSuppress":["sub","iat","cognito:groups","cognito:roles","event_id","jti"]}})");
  json::object id = Claims(Member(TokensOf(PasswordSignIn(client_, "alice")), "IdToken"));
  EXPECT_EQ(id.at("sub"), json::value(user_.sub));
  EXPECT_EQ(id.at("cognito:username"), "alice");
  EXPECT_EQ(id.at("aud"), json::value(client_.id));
  EXPECT_EQ(id.at("iss").as_string(), std::string(testing::kPublicUrl) + "/" + pool_);
  EXPECT_EQ(id.at("token_use"), "id");
  EXPECT_TRUE(id.at("exp").is_int64());
  EXPECT_TRUE(id.at("auth_time").is_int64());
  EXPECT_TRUE(id.contains("iat"));
  EXPECT_TRUE(id.contains("jti"));
  EXPECT_TRUE(id.contains("event_id"));
  EXPECT_EQ(id.at("cognito:groups"), json::array{"staff"});
  EXPECT_EQ(id.at("cognito:roles"), json::array{kRole});
}

TEST_F(PreTokenSignInTest, GroupOverrideReplacesGroupsInBothTokens) {
  Answer(R"({"claimsOverrideDetails":{"groupOverrideDetails":{"groupsToOverride":["vip","x"]}}})");
  json::object result = TokensOf(PasswordSignIn(client_, "alice"));
  json::object id = Claims(Member(result, "IdToken"));
  EXPECT_EQ(id.at("cognito:groups"), (json::array{"vip", "x"}));
  EXPECT_FALSE(id.contains("cognito:roles"));
  EXPECT_FALSE(id.contains("cognito:preferred_role"));
  EXPECT_EQ(Claims(Member(result, "AccessToken")).at("cognito:groups"), (json::array{"vip", "x"}));
  Answer(R"({"claimsOverrideDetails":{"groupOverrideDetails":{}}})");
  result = TokensOf(PasswordSignIn(client_, "alice"));
  EXPECT_FALSE(Claims(Member(result, "IdToken")).contains("cognito:groups"));
  EXPECT_FALSE(Claims(Member(result, "AccessToken")).contains("cognito:groups"));
}

TEST_F(PreTokenSignInTest, V2CustomisesTheAccessTokenAndScopes) {
  UseVersion("V2_0");
  Answer(R"({"claimsAndScopeOverrideDetails":{
      "idTokenGeneration":{"claimsToAddOrOverride":{"level":3}},
      "accessTokenGeneration":{"claimsToAddOrOverride":{"perms":["read","write"],"client_id":"x"},
                               "scopesToAdd":["api/read"]}}})");
  json::object result = TokensOf(PasswordSignIn(client_, "alice"));
  auto calls = triggers_.calls(Trigger::kPreTokenGeneration);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].version, "2");
  EXPECT_EQ(calls[0].request.at("scopes"), json::array{"aws.cognito.signin.user.admin"});
  json::object access = Claims(Member(result, "AccessToken"));
  EXPECT_EQ(access.at("perms"), (json::array{"read", "write"}));
  EXPECT_EQ(access.at("client_id"), json::value(client_.id));
  EXPECT_EQ(access.at("scope"), "aws.cognito.signin.user.admin api/read");
  EXPECT_EQ(Claims(Member(result, "IdToken")).at("level"), 3);
  // The token still opens the user APIs.
  EXPECT_TRUE(tokens_.VerifyAccessToken(Member(result, "AccessToken")).ok());
}

TEST_F(PreTokenSignInTest, RejectionMeansNoTokensAndNoRefreshToken) {
  triggers_.On(Trigger::kPreTokenGeneration, [](const TriggerCall&) -> Result<json::object> {
    return Error::Make("UserLambdaValidationException", "PreTokenGeneration failed with error x.");
  });
  Error e = Fails(PasswordSignIn(client_, "alice"));
  EXPECT_EQ(e.type, "UserLambdaValidationException");
  EXPECT_EQ(StoredRefreshTokens(), 0);
  Answer(R"({"claimsOverrideDetails":{"claimsToAddOrOverride":{"n":1}}})");  // not a string
  EXPECT_EQ(Fails(PasswordSignIn(client_, "alice")).type, "InvalidLambdaResponseException");
  EXPECT_EQ(StoredRefreshTokens(), 0);
}

TEST_F(PreTokenSignInTest, RefreshesRunTokenGenerationRefreshTokens) {
  std::string refresh = Member(TokensOf(PasswordSignIn(client_, "alice")), "RefreshToken");
  Answer(R"({"claimsOverrideDetails":{"claimsToAddOrOverride":{"fresh":"yes"}}})");
  json::object out =
      TokensOf(service_.InitiateAuth({{"AuthFlow", "REFRESH_TOKEN_AUTH"},
                                      {"ClientId", client_.id},
                                      {"AuthParameters", {{"REFRESH_TOKEN", refresh}}}}));
  EXPECT_EQ(Claims(Member(out, "IdToken")).at("fresh"), "yes");
  out = TokensOf(service_.GetTokensFromRefreshToken(
      {{"ClientId", client_.id}, {"RefreshToken", refresh}, {"ClientMetadata", {{"k", "v"}}}}));
  EXPECT_EQ(Claims(Member(out, "IdToken")).at("fresh"), "yes");
  auto calls = triggers_.calls(Trigger::kPreTokenGeneration);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].trigger_source, "TokenGeneration_RefreshTokens");
  EXPECT_EQ(calls[1].trigger_source, "TokenGeneration_RefreshTokens");
  EXPECT_EQ(calls[1].request.at("clientMetadata"), (json::object{{"k", "v"}}));
}

// Refreshes run on the network thread only when nothing can block them: a trigger is an HTTP
// call, and the other flows hash or write.
TEST_F(PreTokenSignInTest, OnlyRefreshesWithoutTriggerNeverBlock) {
  auto refresh = [&](const std::string& flow) {
    return json::object{{"AuthFlow", flow},
                        {"ClientId", client_.id},
                        {"AuthParameters", {{"REFRESH_TOKEN", "x"}}}};
  };
  EXPECT_TRUE(service_.InitiateAuthNeverBlocks(refresh("REFRESH_TOKEN_AUTH")));
  EXPECT_TRUE(service_.InitiateAuthNeverBlocks(refresh("REFRESH_TOKEN")));
  EXPECT_FALSE(service_.InitiateAuthNeverBlocks(refresh("USER_PASSWORD_AUTH")));
  EXPECT_FALSE(service_.InitiateAuthNeverBlocks(refresh("USER_SRP_AUTH")));
  // GetTokensFromRefreshToken writes when the client rotates its refresh tokens.
  EXPECT_TRUE(service_.GetTokensNeverBlocks({{"ClientId", client_.id}, {"RefreshToken", "x"}}));
  TestClient rotating = NewClient(
      pool_, {{"RefreshTokenRotation", {{"Feature", "ENABLED"}, {"RetryGracePeriodSeconds", 0}}}});
  EXPECT_FALSE(service_.GetTokensNeverBlocks({{"ClientId", rotating.id}, {"RefreshToken", "x"}}));
  Answer(R"({"response": {}})");
  EXPECT_FALSE(service_.InitiateAuthNeverBlocks(refresh("REFRESH_TOKEN_AUTH")));
  EXPECT_FALSE(service_.GetTokensNeverBlocks({{"ClientId", client_.id}, {"RefreshToken", "x"}}));
}

TEST_F(PreTokenSignInTest, RejectedRefreshDoesNotSpendARotatingToken) {
  TestClient rotating = NewClient(
      pool_, {{"RefreshTokenRotation", {{"Feature", "ENABLED"}, {"RetryGracePeriodSeconds", 0}}}});
  std::string refresh = Member(TokensOf(PasswordSignIn(rotating, "alice")), "RefreshToken");
  triggers_.On(Trigger::kPreTokenGeneration, [](const TriggerCall&) -> Result<json::object> {
    return Error::Make("UnexpectedLambdaException", "unreachable");
  });
  json::object request{{"ClientId", rotating.id}, {"RefreshToken", refresh}};
  EXPECT_EQ(Fails(service_.GetTokensFromRefreshToken(request)).type, "UnexpectedLambdaException");
  triggers_.Off(Trigger::kPreTokenGeneration);
  json::object out = TokensOf(service_.GetTokensFromRefreshToken(request));
  EXPECT_FALSE(Member(out, "RefreshToken").empty());
  // Used again after rotation (no grace period): reuse, found before any trigger is asked.
  Answer("{}");
  const std::size_t asked = triggers_.calls(Trigger::kPreTokenGeneration).size();
  EXPECT_EQ(Fails(service_.GetTokensFromRefreshToken(request)).type, "RefreshTokenReuseException");
  EXPECT_EQ(triggers_.calls(Trigger::kPreTokenGeneration).size(), asked);
}

TEST_F(PreTokenSignInTest, NewPasswordAnswerIsItsOwnSource) {
  AddUser(pool_, "newbie", {}, "FORCE_CHANGE_PASSWORD");
  Answer("{}");
  json::object challenge = Ok(PasswordSignIn(client_, "newbie"));
  ASSERT_EQ(Member(challenge, "ChallengeName"), "NEW_PASSWORD_REQUIRED");
  EXPECT_TRUE(triggers_.calls(Trigger::kPreTokenGeneration).empty());
  EXPECT_FALSE(TokensOf(service_.RespondToAuthChallenge(
                            {{"ClientId", client_.id},
                             {"ChallengeName", "NEW_PASSWORD_REQUIRED"},
                             {"Session", challenge.at("Session")},
                             {"ChallengeResponses",
                              {{"USERNAME", "newbie"}, {"NEW_PASSWORD", "N3w-Passw0rd"}}}}))
                   .empty());
  auto calls = triggers_.calls(Trigger::kPreTokenGeneration);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].trigger_source, "TokenGeneration_NewPasswordChallenge");
}

}  // namespace
}  // namespace cognate::auth
