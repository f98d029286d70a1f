// PreTokenGeneration's request and the reading of its answer, without a sign-in (the flows are
// in pre_token_sign_in_test.cc).

#include "auth/pre_token_generation.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

namespace cognate::auth {
namespace {

namespace json = boost::json;

token::IssueRequest Tokens() {
  token::IssueRequest r;
  r.groups = {"admins", "staff"};
  r.roles = {"arn:aws:iam::1:role/a"};
  r.preferred_role = "arn:aws:iam::1:role/a";
  return r;
}

json::object Parse(std::string_view text) { return json::parse(text).as_object(); }

Status Apply(std::string_view response, int version, token::IssueRequest& tokens) {
  return ApplyPreTokenResponse(Parse(response), version, tokens);
}

TEST(PreTokenGenerationTest, VersionComesFromPreTokenGenerationConfig) {
  EXPECT_EQ(PreTokenVersion(json::object()), 1);
  EXPECT_EQ(PreTokenVersion(Parse(R"({"LambdaConfig":{"PreTokenGeneration":"http://x"}})")), 1);
  for (auto [name, version] : {std::pair{"V1_0", 1}, {"V2_0", 2}, {"V3_0", 3}}) {
    json::object config{
        {"LambdaConfig", {{"PreTokenGenerationConfig", {{"LambdaVersion", name}}}}}};
    EXPECT_EQ(PreTokenVersion(config), version) << name;
  }
}

TEST(PreTokenGenerationTest, TriggerSources) {
  EXPECT_EQ(TokenTriggerSource(TokenEvent::kAuthentication), "TokenGeneration_Authentication");
  EXPECT_EQ(TokenTriggerSource(TokenEvent::kNewPasswordChallenge),
            "TokenGeneration_NewPasswordChallenge");
  EXPECT_EQ(TokenTriggerSource(TokenEvent::kRefreshTokens), "TokenGeneration_RefreshTokens");
}

TEST(PreTokenGenerationTest, RequestCarriesGroupsAndForV2TheScopes) {
  json::object attrs{{"sub", "s-1"}};
  token::IssueRequest tokens = Tokens();
  EXPECT_EQ(PreTokenRequest(attrs, tokens, {{"k", "v"}}, 1), Parse(R"({
      "userAttributes": {"sub": "s-1"},
      "groupConfiguration": {"groupsToOverride": ["admins", "staff"],
                             "iamRolesToOverride": ["arn:aws:iam::1:role/a"],
                             "preferredRole": "arn:aws:iam::1:role/a"},
      "clientMetadata": {"k": "v"}})"));
  tokens = token::IssueRequest();
  tokens.scope = "aws.cognito.signin.user.admin openid";
  json::object v2 = PreTokenRequest(attrs, tokens, {}, 2);
  EXPECT_EQ(v2.at("groupConfiguration"),
            Parse(R"({"groupsToOverride":[],"iamRolesToOverride":[],"preferredRole":null})"));
  EXPECT_EQ(v2.at("scopes"), json::parse(R"(["aws.cognito.signin.user.admin","openid"])"));
}

TEST(PreTokenGenerationTest, V1ChangesTheIdTokenOnly) {
  token::IssueRequest tokens = Tokens();
  ASSERT_TRUE(Apply(R"({"claimsOverrideDetails":{
      "claimsToAddOrOverride":{"tier":"gold","email":"x@example.com"},
      "claimsToSuppress":["phone_number"]}})",
                    1, tokens)
                  .ok());
  EXPECT_EQ(tokens.id_overrides.add, Parse(R"({"tier":"gold","email":"x@example.com"})"));
  EXPECT_EQ(tokens.id_overrides.suppress, std::vector<std::string>{"phone_number"});
  EXPECT_TRUE(tokens.access_overrides.add.empty());
  EXPECT_EQ(tokens.groups, Tokens().groups);  // no groupOverrideDetails: unchanged
  // A V2 answer means nothing to a V1 event.
  token::IssueRequest other = Tokens();
  ASSERT_TRUE(Apply(R"({"claimsAndScopeOverrideDetails":{"idTokenGeneration":{
      "claimsToAddOrOverride":{"tier":"gold"}}}})",
                    1, other)
                  .ok());
  EXPECT_TRUE(other.id_overrides.add.empty());
}

TEST(PreTokenGenerationTest, GroupOverrideReplacesWhatItNames) {
  token::IssueRequest tokens = Tokens();
  ASSERT_TRUE(Apply(R"({"claimsOverrideDetails":{"groupOverrideDetails":{
      "groupsToOverride":["vip"]}}})",
                    1, tokens)
                  .ok());
  EXPECT_EQ(tokens.groups, std::vector<std::string>{"vip"});
  EXPECT_TRUE(tokens.roles.empty());
  EXPECT_TRUE(tokens.preferred_role.empty());
  tokens = Tokens();
  ASSERT_TRUE(
      Apply(R"({"claimsAndScopeOverrideDetails":{"groupOverrideDetails":{}}})", 2, tokens).ok());
  EXPECT_TRUE(tokens.groups.empty());
  tokens = Tokens();
  ASSERT_TRUE(Apply(R"({"claimsOverrideDetails":{"groupOverrideDetails":null}})", 1, tokens).ok());
  EXPECT_EQ(tokens.groups, Tokens().groups);
}

TEST(PreTokenGenerationTest, V2ChangesBothTokensAndTheScopes) {
  token::IssueRequest tokens;
  tokens.scope = "aws.cognito.signin.user.admin openid";
  ASSERT_TRUE(Apply(R"({"claimsAndScopeOverrideDetails":{
      "idTokenGeneration":{"claimsToAddOrOverride":{"level":3}},
      "accessTokenGeneration":{"claimsToAddOrOverride":{"perms":["read","write"]},
                               "claimsToSuppress":["x"],
                               "scopesToAdd":["api/read","openid"],
                               "scopesToSuppress":["aws.cognito.signin.user.admin"]}}})",
                    2, tokens)
                  .ok());
  EXPECT_EQ(tokens.id_overrides.add, Parse(R"({"level":3})"));
  EXPECT_EQ(tokens.access_overrides.add, Parse(R"({"perms":["read","write"]})"));
  EXPECT_EQ(tokens.access_overrides.suppress, std::vector<std::string>{"x"});
  EXPECT_EQ(tokens.scope, "openid api/read");
}

TEST(PreTokenGenerationTest, MalformedAnswersAreInvalidResponses) {
  const char* bad[][2] = {
      {"1", R"({"claimsOverrideDetails":"tier=gold"})"},
      {"1", R"({"claimsOverrideDetails":{"claimsToAddOrOverride":{"level":3}}})"},
      {"1", R"({"claimsOverrideDetails":{"claimsToSuppress":"email"}})"},
      {"1", R"({"claimsOverrideDetails":{"claimsToSuppress":[7]}})"},
      {"1", R"({"claimsOverrideDetails":{"claimsToAddOrOverride":{"":"x"}}})"},
      {"1", R"({"claimsOverrideDetails":{"groupOverrideDetails":{"groupsToOverride":"a"}}})"},
      {"1", R"({"claimsOverrideDetails":{"groupOverrideDetails":{"preferredRole":5}}})"},
      {"2", R"({"claimsAndScopeOverrideDetails":{"accessTokenGeneration":[]}})"},
      {"2", R"({"claimsAndScopeOverrideDetails":{"accessTokenGeneration":{
                 "scopesToAdd":["two words"]}}})"},
  };
  for (const auto& [version, response] : bad) {
    token::IssueRequest tokens = Tokens();
    Status status = Apply(response, std::stoi(version), tokens);
    ASSERT_FALSE(status.ok()) << response;
    EXPECT_EQ(status.error().type, "InvalidLambdaResponseException");
    EXPECT_TRUE(status.error().message.starts_with("Invalid lambda function output : "))
        << status.error().message;
  }
}

TEST(PreTokenGenerationTest, OversizedAnswersAreRefused) {
  json::object many;
  for (std::size_t i = 0; i <= kMaxOverrideEntries; ++i) many["c" + std::to_string(i)] = "v";
  json::object response{{"claimsOverrideDetails", {{"claimsToAddOrOverride", many}}}};
  token::IssueRequest tokens;
  EXPECT_FALSE(ApplyPreTokenResponse(response, 1, tokens).ok());
  json::object big{{"blob", std::string(kMaxOverrideBytes, 'x')}};
  response = {{"claimsOverrideDetails", {{"claimsToAddOrOverride", big}}}};
  EXPECT_FALSE(ApplyPreTokenResponse(response, 1, tokens).ok());
}

TEST(PreTokenGenerationTest, NoDetailsMeansNoChange) {
  for (const char* response : {R"({})", R"({"claimsOverrideDetails":null})"}) {
    token::IssueRequest tokens = Tokens();
    ASSERT_TRUE(Apply(response, 1, tokens).ok());
    EXPECT_TRUE(tokens.id_overrides.add.empty());
    EXPECT_EQ(tokens.groups, Tokens().groups);
  }
}

}  // namespace
}  // namespace cognate::auth
