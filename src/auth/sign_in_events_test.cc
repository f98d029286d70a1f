// The auth events of sign-ins (sign_in_metrics.cc): one event per attempt, updated as its
// challenges are answered; nothing for unknown users or refresh-token use.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "auth/testing/sign_in_env.h"
#include "common/request_meta.h"
#include "crypto/totp.h"
#include "events/auth_event_log.h"
#include "identity/user_mfa.h"

namespace cognate::auth {
namespace {
namespace json = boost::json;
using testing::TestClient;

constexpr char kTotpSecret[] = "12345678901234567890";

class SignInEventsTest : public testing::SignInTest {
 protected:
  SignInEventsTest() : log_(*stores_.auth_events, kek_, clock_) {
    directory_.set_events(&log_);
  }

  void SetUp() override {
    pool_ = NewPool({{"MfaConfiguration", "OPTIONAL"}});
    auto pool = stores_.pools->GetPool(pool_);
    ASSERT_TRUE(pool.ok() && pool->has_value());
    store::UserPoolRecord record = **pool;
    json::object config = json::parse(record.config_json).as_object();
    config["SoftwareTokenMfaConfiguration"] = json::object{{"Enabled", true}};
    record.config_json = json::serialize(config);
    ASSERT_TRUE(stores_.pools->UpdatePool(record).ok());
    client_ = NewClient(pool_);
    user_ = AddUser(pool_, "alice");
  }

  void EnableTotp() {
    EditUser(pool_, user_.username_key, [&](store::UserRecord& u) {
      identity::UserMfa mfa;
      mfa.totp_enabled = true;
      mfa.totp_secret_sealed = identity::SealTotpSecret(kek_, u, kTotpSecret);
      u.mfa_json = identity::SerializeUserMfa(mfa);
    });
  }

  std::string Totp(int64_t offset_steps = 0) {
    return crypto::TotpCode(kTotpSecret, crypto::TotpStep(clock_.NowMs() / 1000) + offset_steps);
  }

  Result<json::object> AnswerTotp(const json::object& challenge, const std::string& code) {
    return service_.RespondToAuthChallenge(
        {{"ClientId", client_.id},
         {"ChallengeName", "SOFTWARE_TOKEN_MFA"},
         {"Session", challenge.at("Session")},
         {"ChallengeResponses",
          json::object{{"USERNAME", "alice"}, {"SOFTWARE_TOKEN_MFA_CODE", code}}}});
  }

  std::vector<json::object> Events(const std::string& key = "alice") {
    std::vector<json::object> out;
    auto page = log_.List(pool_, key, "", 60);
    EXPECT_TRUE(page.ok());
    if (page.ok())
      for (const auto& e : page->events) out.push_back(log_.ToAuthEventType(e));
    return out;
  }

  static std::string Challenges(const json::object& event) {
    std::string out;
    for (const auto& c : event.at("ChallengeResponses").as_array()) {
      out += std::string(c.at("ChallengeName").as_string()) + ":" +
             std::string(c.at("ChallengeResponse").as_string()) + " ";
    }
    return out;
  }

  events::AuthEventLog log_;
  std::string pool_;
  TestClient client_;
  store::UserRecord user_;
};

TEST_F(SignInEventsTest, PasswordSignInIsOnePassEventWithTheRequestContext) {
  const RequestMeta request{"198.51.100.4", "my-app/2.0"};
  ScopedRequestMeta meta(request);  // keeps a pointer: `request` must outlive it
  TokensOf(PasswordSignIn(client_, "alice"));
  auto events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("EventType"), "SignIn");
  EXPECT_EQ(events[0].at("EventResponse"), "Pass");
  EXPECT_EQ(Challenges(events[0]), "Password:Success ");
  EXPECT_EQ(events[0].at("EventContextData").at("IpAddress"), "198.51.100.4");
  EXPECT_EQ(events[0].at("EventContextData").at("DeviceName"), "my-app/2.0");
  EXPECT_EQ(stores_.auth_events->GetEvent(pool_, "alice", std::string(events[0].at("EventId")
                                                                           .as_string()))
                ->value()
                .client_id,
            client_.id);
}

TEST_F(SignInEventsTest, WrongPasswordFailsAndUnknownUsersRecordNothing) {
  EXPECT_EQ(Fails(PasswordSignIn(client_, "alice", "Wrong1!xx")).type, "NotAuthorizedException");
  EXPECT_EQ(Fails(PasswordSignIn(client_, "nobody")).type, "UserNotFoundException");
  auto events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("EventResponse"), "Fail");
  EXPECT_EQ(Challenges(events[0]), "Password:Failure ");
  EXPECT_TRUE(Events("nobody").empty());
}

TEST_F(SignInEventsTest, MfaAttemptIsOneEventUpdatedAsItsChallengeIsAnswered) {
  EnableTotp();
  json::object challenge = Ok(PasswordSignIn(client_, "alice"));
  ASSERT_EQ(Member(challenge, "ChallengeName"), "SOFTWARE_TOKEN_MFA");
  auto events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("EventResponse"), "InProgress");
  EXPECT_EQ(Challenges(events[0]), "Password:Success ");

  EXPECT_EQ(Fails(AnswerTotp(challenge, Totp(5))).type, "CodeMismatchException");
  events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("EventResponse"), "Fail");
  EXPECT_EQ(Challenges(events[0]), "Password:Success Mfa:Failure ");

  TokensOf(AnswerTotp(challenge, Totp()));
  events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("EventResponse"), "Pass");
  EXPECT_EQ(Challenges(events[0]), "Password:Success Mfa:Failure Mfa:Success ");
}

TEST_F(SignInEventsTest, RefreshIsNotAnEvent) {
  json::object tokens = TokensOf(PasswordSignIn(client_, "alice"));
  ASSERT_EQ(Events().size(), 1u);
  TokensOf(service_.InitiateAuth(
      {{"AuthFlow", "REFRESH_TOKEN_AUTH"},
       {"ClientId", client_.id},
       {"AuthParameters", json::object{{"REFRESH_TOKEN", tokens.at("RefreshToken")}}}}));
  EXPECT_EQ(Events().size(), 1u);
}

}  // namespace
}  // namespace cognate::auth
