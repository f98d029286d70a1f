// The choice-based USER_AUTH flow: SELECT_CHALLENGE, PREFERRED_CHALLENGE, passwordless codes.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "auth/testing/sign_in_env.h"
#include "identity/codes.h"

namespace cognate::auth {
namespace {
namespace json = boost::json;
using testing::TestClient;

class UserAuthTest : public testing::SignInTest {
 protected:
  void SetUp() override {
    pool_ = NewPool(json::parse(R"({"Policies":{"SignInPolicy":
        {"AllowedFirstAuthFactors":["PASSWORD","EMAIL_OTP","SMS_OTP"]}}})").as_object());
    client_ = NewClient(pool_, {{"ExplicitAuthFlows", {"ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}});
    AddUser(pool_, "alice", {{"email", "alice@example.com"}, {"email_verified", "true"},
                             {"phone_number", "+15550001111"}, {"phone_number_verified", "false"}});
  }

  Result<json::object> Start(json::object params) {
    params["USERNAME"] = "alice";
    return service_.InitiateAuth(
        {{"ClientId", client_.id}, {"AuthFlow", "USER_AUTH"}, {"AuthParameters", params}});
  }

  Result<json::object> Answer(const json::object& challenge, std::string_view name,
                              json::object responses) {
    responses["USERNAME"] = "alice";
    return service_.RespondToAuthChallenge({{"ClientId", client_.id},
                                            {"ChallengeName", name},
                                            {"Session", challenge.at("Session")},
                                            {"ChallengeResponses", std::move(responses)}});
  }

  std::string pool_;
  TestClient client_;
};

TEST_F(UserAuthTest, OffersWhatThePoolAllowsAndTheUserHas) {
  json::object select = Ok(Start({}));
  EXPECT_EQ(Member(select, "ChallengeName"), "SELECT_CHALLENGE");
  // SMS_OTP is allowed by the pool, but the phone is not verified.
  EXPECT_EQ(json::serialize(select.at("AvailableChallenges")),
            R"(["PASSWORD","PASSWORD_SRP","EMAIL_OTP"])");
  EXPECT_EQ(Fails(Answer(select, "SELECT_CHALLENGE", {{"ANSWER", "SMS_OTP"}})).type,
            "InvalidParameterException");
  json::object tokens = TokensOf(
      Answer(select, "SELECT_CHALLENGE", {{"ANSWER", "PASSWORD"}, {"PASSWORD", testing::kPassword}}));
  EXPECT_FALSE(tokens.empty());
  // The session was spent by that answer.
  EXPECT_EQ(Fails(Answer(select, "SELECT_CHALLENGE",
                         {{"ANSWER", "PASSWORD"}, {"PASSWORD", testing::kPassword}}))
                .message,
            "Invalid session for the user, session can only be used once.");
}

TEST_F(UserAuthTest, EmailOtpSignsInWithoutAPassword) {
  json::object select = Ok(Start({}));
  json::object otp = Ok(Answer(select, "SELECT_CHALLENGE", {{"ANSWER", "EMAIL_OTP"}}));
  EXPECT_EQ(Member(otp, "ChallengeName"), "EMAIL_OTP");
  ASSERT_EQ(sender_.calls(), 1u);
  EXPECT_EQ(sender_.sent().back().purpose, "otp");
  EXPECT_EQ(Fails(Answer(otp, "EMAIL_OTP", {{"EMAIL_OTP_CODE", "12345"}})).type,
            "CodeMismatchException");
  EXPECT_FALSE(
      TokensOf(Answer(otp, "EMAIL_OTP", {{"EMAIL_OTP_CODE", sender_.sent().back().code}})).empty());
}

TEST_F(UserAuthTest, PreferredChallengeStartsAtOnce) {
  EXPECT_FALSE(TokensOf(Start({{"PREFERRED_CHALLENGE", "PASSWORD"},
                               {"PASSWORD", testing::kPassword}})).empty());
  Error wrong = Fails(Start({{"PREFERRED_CHALLENGE", "PASSWORD"}, {"PASSWORD", "nope"}}));
  EXPECT_EQ(wrong.message, "Incorrect username or password.");
  EXPECT_EQ(Fails(Start({{"PREFERRED_CHALLENGE", "PASSWORD"}})).message,
            "Missing required parameter PASSWORD");
  json::object otp = Ok(Start({{"PREFERRED_CHALLENGE", "EMAIL_OTP"}}));
  EXPECT_EQ(Member(otp, "ChallengeName"), "EMAIL_OTP");
  // A preference that is not on offer falls back to the choice.
  EXPECT_EQ(Member(Ok(Start({{"PREFERRED_CHALLENGE", "SMS_OTP"}})), "ChallengeName"),
            "SELECT_CHALLENGE");
}

TEST_F(UserAuthTest, FlowMustBeAllowedAndUsersKnown) {
  TestClient plain = NewClient(pool_);
  Error e = Fails(service_.InitiateAuth({{"ClientId", plain.id},
                                         {"AuthFlow", "USER_AUTH"},
                                         {"AuthParameters", {{"USERNAME", "alice"}}}}));
  EXPECT_EQ(e.message, "Auth flow not enabled for this client");
  Error unknown = Fails(service_.InitiateAuth({{"ClientId", client_.id},
                                               {"AuthFlow", "USER_AUTH"},
                                               {"AuthParameters", {{"USERNAME", "bob"}}}}));
  EXPECT_EQ(unknown.type, "UserNotFoundException");
}

TEST_F(UserAuthTest, HiddenUnknownUsersLookLikePasswordUsers) {
  TestClient hiding = NewClient(pool_, {{"ExplicitAuthFlows", {"ALLOW_USER_AUTH"}},
                                        {"PreventUserExistenceErrors", "ENABLED"}});
  json::object select = Ok(service_.InitiateAuth({{"ClientId", hiding.id},
                                                  {"AuthFlow", "USER_AUTH"},
                                                  {"AuthParameters", {{"USERNAME", "ghost"}}}}));
  EXPECT_EQ(Member(select, "ChallengeName"), "SELECT_CHALLENGE");
  EXPECT_EQ(json::serialize(select.at("AvailableChallenges")), R"(["PASSWORD","PASSWORD_SRP"])");
  Error e = Fails(service_.RespondToAuthChallenge(
      {{"ClientId", hiding.id},
       {"ChallengeName", "SELECT_CHALLENGE"},
       {"Session", select.at("Session")},
       {"ChallengeResponses",
        {{"USERNAME", "ghost"}, {"ANSWER", "PASSWORD"}, {"PASSWORD", "whatever"}}}}));
  EXPECT_EQ(e.type, "NotAuthorizedException");
  EXPECT_EQ(e.message, "Incorrect username or password.");
  Error direct = Fails(service_.InitiateAuth(
      {{"ClientId", hiding.id},
       {"AuthFlow", "USER_AUTH"},
       {"AuthParameters",
        {{"USERNAME", "ghost"}, {"PREFERRED_CHALLENGE", "PASSWORD"}, {"PASSWORD", "x"}}}}));
  EXPECT_EQ(direct.message, "Incorrect username or password.");
}

TEST_F(UserAuthTest, SignInCodesPerUserAreLimited) {
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(Member(Ok(Start({{"PREFERRED_CHALLENGE", "EMAIL_OTP"}})), "ChallengeName"),
              "EMAIL_OTP");
  }
  Error e = Fails(Start({{"PREFERRED_CHALLENGE", "EMAIL_OTP"}}));
  EXPECT_EQ(e.type, "LimitExceededException");
  EXPECT_EQ(sender_.calls(), 10u);
  clock_.AdvanceMs(identity::kCodeSendWindowMs);  // a new window
  EXPECT_EQ(Member(Ok(Start({{"PREFERRED_CHALLENGE", "EMAIL_OTP"}})), "ChallengeName"),
            "EMAIL_OTP");
}

TEST_F(UserAuthTest, UnconfirmedUsersGetNoCode) {
  AddUser(pool_, "carol", {{"email", "carol@example.com"}, {"email_verified", "true"}},
          "UNCONFIRMED");
  Error e = Fails(service_.InitiateAuth(
      {{"ClientId", client_.id},
       {"AuthFlow", "USER_AUTH"},
       {"AuthParameters", {{"USERNAME", "carol"}, {"PREFERRED_CHALLENGE", "EMAIL_OTP"}}}}));
  EXPECT_EQ(e.type, "UserNotConfirmedException");
  EXPECT_EQ(sender_.calls(), 0u);
}

}  // namespace
}  // namespace cognate::auth
