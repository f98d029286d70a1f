// CUSTOM_AUTH through SignInService with scripted Define/Create/Verify triggers: a code
// challenge, wrong answers, failAuthentication, SRP first, unknown users, single-use sessions.

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

#include "auth/testing/sign_in_env.h"
#include "triggers/testing/scripted_invoker.h"

namespace cognate::auth {
namespace {
namespace json = boost::json;
using testing::TestClient;
using triggers::Trigger;
using triggers::TriggerCall;

// Define: a correct CUSTOM_CHALLENGE issues tokens, three wrong ones fail, else ask again.
Result<json::object> CodeFlowDefine(const TriggerCall& call) {
  const json::array& session = call.request.at("session").as_array();
  if (!session.empty() && session.back().at("challengeResult").as_bool() &&
      session.back().at("challengeName") == "CUSTOM_CHALLENGE") {
    return json::object{{"issueTokens", true}, {"failAuthentication", false}};
  }
  if (session.size() >= 3) return json::object{{"issueTokens", false}, {"failAuthentication", true}};
  return json::object{{"challengeName", "CUSTOM_CHALLENGE"},
                      {"issueTokens", false},
                      {"failAuthentication", false}};
}

class CustomAuthTest : public testing::SignInTest {
 protected:
  void SetUp() override {
    directory_.set_triggers(&invoker_);
    pool_ = NewPool();
    client_ = NewClient(pool_, {{"ExplicitAuthFlows", {"ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH"}}});
    AddUser(pool_, "alice", {{"email", "alice@example.com"}});
    invoker_.On(Trigger::kDefineAuthChallenge, CodeFlowDefine);
    invoker_.On(Trigger::kCreateAuthChallenge, [](const TriggerCall&) -> Result<json::object> {
      return json::object{{"publicChallengeParameters", {{"hint", "the code"}}},
                          {"privateChallengeParameters", {{"answer", "4242"}}},
                          {"challengeMetadata", "CODE-1"}};
    });
    invoker_.On(Trigger::kVerifyAuthChallengeResponse,
                [](const TriggerCall& call) -> Result<json::object> {
                  bool right = call.request.at("challengeAnswer") ==
                               call.request.at("privateChallengeParameters").at("answer");
                  return json::object{{"answerCorrect", right}};
                });
  }

  Result<json::object> Start(const std::string& username = "alice") {
    return service_.InitiateAuth({{"ClientId", client_.id},
                                  {"AuthFlow", "CUSTOM_AUTH"},
                                  {"AuthParameters", {{"USERNAME", username}}},
                                  {"ClientMetadata", {{"app", "test"}}}});
  }

  Result<json::object> Answer(const json::object& challenge, const std::string& answer) {
    return service_.RespondToAuthChallenge(
        {{"ClientId", client_.id},
         {"ChallengeName", "CUSTOM_CHALLENGE"},
         {"Session", challenge.at("Session")},
         {"ChallengeResponses", {{"USERNAME", "alice"}, {"ANSWER", answer}}}});
  }

  triggers::fakes::ScriptedInvoker invoker_;
  std::string pool_;
  TestClient client_;
};

TEST_F(CustomAuthTest, CodeChallengeThenTokens) {
  json::object challenge = Ok(Start());
  EXPECT_EQ(Member(challenge, "ChallengeName"), "CUSTOM_CHALLENGE");
  const json::object& shown = challenge.at("ChallengeParameters").as_object();
  EXPECT_EQ(Member(shown, "hint"), "the code");
  EXPECT_EQ(Member(shown, "USERNAME"), "alice");
  EXPECT_FALSE(shown.contains("answer"));  // private parameters stay private
  json::object tokens = TokensOf(Answer(challenge, "4242"));
  EXPECT_FALSE(tokens.empty());
  // Define saw the history with the metadata; the events carry the user and metadata.
  auto defines = invoker_.calls(Trigger::kDefineAuthChallenge);
  ASSERT_EQ(defines.size(), 2u);
  EXPECT_EQ(defines[0].trigger_source, "DefineAuthChallenge_Authentication");
  EXPECT_EQ(defines[0].user_name, "alice");
  EXPECT_EQ(defines[0].client_id, client_.id);
  EXPECT_EQ(json::serialize(defines[0].request.at("session")), "[]");
  // InitiateAuth's ClientMetadata is PreAuthentication's only.
  EXPECT_FALSE(defines[0].request.contains("clientMetadata"));
  EXPECT_EQ(defines[0].request.at("userAttributes").at("email"), "alice@example.com");
  EXPECT_EQ(json::serialize(defines[1].request.at("session")),
            R"([{"challengeName":"CUSTOM_CHALLENGE","challengeResult":true,)"
            R"("challengeMetadata":"CODE-1"}])");
}

TEST_F(CustomAuthTest, WrongAnswersAskAgainUntilDefineFails) {
  json::object first = Ok(Start());
  json::object second = Ok(Answer(first, "1111"));
  EXPECT_EQ(Member(second, "ChallengeName"), "CUSTOM_CHALLENGE");
  // The first session is spent.
  EXPECT_EQ(Fails(Answer(first, "4242")).message,
            "Invalid session for the user, session can only be used once.");
  json::object third = Ok(Answer(second, "2222"));
  Error failed = Fails(Answer(third, "3333"));
  EXPECT_EQ(failed.type, "NotAuthorizedException");
  EXPECT_EQ(failed.message, "Incorrect username or password.");
}

TEST_F(CustomAuthTest, TriggerErrorsReachTheClient) {
  invoker_.On(Trigger::kDefineAuthChallenge, [](const TriggerCall&) -> Result<json::object> {
    return Error::Make("UserLambdaValidationException",
                       "DefineAuthChallenge failed with error nope.");
  });
  EXPECT_EQ(Fails(Start()).type, "UserLambdaValidationException");
  invoker_.On(Trigger::kDefineAuthChallenge, [](const TriggerCall&) -> Result<json::object> {
    return json::object{{"challengeName", "SMS_MFA"}};
  });
  EXPECT_EQ(Fails(Start()).type, "InvalidLambdaResponseException");
}

TEST_F(CustomAuthTest, NeedsTheFlowAndTheTrigger) {
  invoker_.Off(Trigger::kDefineAuthChallenge);
  EXPECT_EQ(Fails(Start()).message,
            "Custom auth lambda trigger is not configured for the user pool.");
  invoker_.On(Trigger::kDefineAuthChallenge, CodeFlowDefine);
  TestClient plain = NewClient(pool_);
  EXPECT_EQ(Fails(service_.InitiateAuth({{"ClientId", plain.id},
                                         {"AuthFlow", "CUSTOM_AUTH"},
                                         {"AuthParameters", {{"USERNAME", "alice"}}}}))
                .message,
            "Auth flow not enabled for this client");
  EXPECT_EQ(Fails(Start("bob")).type, "UserNotFoundException");
}

TEST_F(CustomAuthTest, HiddenUnknownUsersGetAChallengeThatFails) {
  TestClient hiding = NewClient(pool_, {{"ExplicitAuthFlows", {"ALLOW_CUSTOM_AUTH"}},
                                        {"PreventUserExistenceErrors", "ENABLED"}});
  json::object challenge = Ok(service_.InitiateAuth({{"ClientId", hiding.id},
                                                     {"AuthFlow", "CUSTOM_AUTH"},
                                                     {"AuthParameters", {{"USERNAME", "ghost"}}}}));
  EXPECT_EQ(Member(challenge, "ChallengeName"), "CUSTOM_CHALLENGE");
  EXPECT_EQ(Member(challenge.at("ChallengeParameters").as_object(), "USERNAME"), "ghost");
  auto defines = invoker_.calls(Trigger::kDefineAuthChallenge);
  ASSERT_EQ(defines.size(), 1u);
  EXPECT_EQ(defines[0].request.at("userNotFound"), true);
  EXPECT_EQ(defines[0].user_name, "ghost");
  EXPECT_EQ(invoker_.calls(Trigger::kCreateAuthChallenge)[0].request.at("userNotFound"), true);
  Error e = Fails(service_.RespondToAuthChallenge(
      {{"ClientId", hiding.id},
       {"ChallengeName", "CUSTOM_CHALLENGE"},
       {"Session", challenge.at("Session")},
       {"ChallengeResponses", {{"USERNAME", "ghost"}, {"ANSWER", "4242"}}}}));
  EXPECT_EQ(e.message, "Incorrect username or password.");
}

TEST_F(CustomAuthTest, AnUnreachableVerifyCostsNoSession) {
  json::object challenge = Ok(Start());
  auto verify = [](const TriggerCall& call) -> Result<json::object> {
    return json::object{{"answerCorrect", call.request.at("challengeAnswer") == "4242"}};
  };
  invoker_.On(Trigger::kVerifyAuthChallengeResponse, [](const TriggerCall&) {
    return Result<json::object>(Error::Make("UnexpectedLambdaException", "down"));
  });
  EXPECT_EQ(Fails(Answer(challenge, "4242")).type, "UnexpectedLambdaException");
  invoker_.On(Trigger::kVerifyAuthChallengeResponse, verify);
  EXPECT_FALSE(TokensOf(Answer(challenge, "4242")).empty());
}

TEST_F(CustomAuthTest, OversizedPrivateParametersAreRefused) {
  invoker_.On(Trigger::kCreateAuthChallenge, [](const TriggerCall&) -> Result<json::object> {
    return json::object{{"privateChallengeParameters", {{"blob", std::string(5000, 'x')}}}};
  });
  EXPECT_EQ(Fails(Start()).type, "InvalidLambdaResponseException");
}

}  // namespace
}  // namespace cognate::auth
