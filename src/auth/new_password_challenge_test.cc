// NEW_PASSWORD_REQUIRED: the challenge after a temporary password, and its answer.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "auth/testing/sign_in_env.h"
#include "identity/secret_hash.h"

namespace cognate::auth {
namespace {

namespace json = boost::json;
using testing::SignInTest;
using testing::TestClient;

constexpr char kNewPassword[] = "N3w-Passw0rd";

class NewPasswordTest : public SignInTest {
 protected:
  void SetUp() override {
    json::object name{
        {"Name", "name"}, {"AttributeDataType", "String"}, {"Required", true}, {"Mutable", true}};
    pool_ = NewPool({{"Schema", {name}}});
    client_ = NewClient(pool_);
    user_ = AddUser(pool_, "newbie", {{"email", "n@example.com"}, {"email_verified", "true"}},
                    "FORCE_CHANGE_PASSWORD");
  }

  // Signs in with the temporary password; returns the challenge response.
  json::object Challenge(const TestClient& client) { return Ok(PasswordSignIn(client, "newbie")); }

  json::object Answer(const std::string& session, json::object extra = {}) {
    json::object responses{
        {"USERNAME", "newbie"}, {"NEW_PASSWORD", kNewPassword}, {"userAttributes.name", "Newbie"}};
    for (const auto& kv : extra) responses[kv.key()] = kv.value();
    return json::object{{"ClientId", client_.id},
                        {"ChallengeName", "NEW_PASSWORD_REQUIRED"},
                        {"Session", session},
                        {"ChallengeResponses", responses}};
  }

  std::string pool_;
  TestClient client_;
  store::UserRecord user_;
};

TEST_F(NewPasswordTest, TemporaryPasswordLeadsToTheChallenge) {
  json::object out = Challenge(client_);
  EXPECT_EQ(out.at("ChallengeName"), "NEW_PASSWORD_REQUIRED");
  EXPECT_FALSE(out.contains("AuthenticationResult"));
  EXPECT_GE(Member(out, "Session").size(), 20u);
  const json::object& params = out.at("ChallengeParameters").as_object();
  EXPECT_EQ(params.at("USER_ID_FOR_SRP"), "newbie");
  EXPECT_EQ(json::parse(Member(params, "requiredAttributes")),
            json::parse(R"(["userAttributes.name"])"));
  EXPECT_EQ(json::parse(Member(params, "userAttributes")),
            json::parse(R"({"email":"n@example.com"})"));
}

TEST_F(NewPasswordTest, AnswerConfirmsTheUserAndSignsIn) {
  std::string session = Member(Challenge(client_), "Session");
  json::object out = Ok(service_.RespondToAuthChallenge(Answer(session)));
  EXPECT_EQ(out.at("ChallengeParameters"), json::object());
  const json::object& result = out.at("AuthenticationResult").as_object();
  EXPECT_FALSE(Member(result, "RefreshToken").empty());
  EXPECT_EQ(Claims(Member(result, "IdToken")).at("name"), "Newbie");
  store::UserRecord user = GetUser(pool_, user_.username_key);
  EXPECT_EQ(user.status, "CONFIRMED");
  EXPECT_EQ(user.password_changed_ms, clock_.NowMs());
  EXPECT_TRUE(hasher_.Verify(user.password_hash, kNewPassword));
  EXPECT_EQ(json::parse(user.attributes_json),
            json::parse(R"({"email":"n@example.com","email_verified":"true","name":"Newbie"})"));
  EXPECT_FALSE(TokensOf(PasswordSignIn(client_, "newbie", kNewPassword)).empty());
  EXPECT_EQ(Fails(PasswordSignIn(client_, "newbie")).message, "Incorrect username or password.");
}

TEST_F(NewPasswordTest, SessionWorksOnce) {
  std::string session = Member(Challenge(client_), "Session");
  Ok(service_.RespondToAuthChallenge(Answer(session)));
  Error e = Fails(service_.RespondToAuthChallenge(Answer(session)));
  EXPECT_EQ(e.type, "NotAuthorizedException");
  EXPECT_EQ(e.message, "Invalid session for the user, session can only be used once.");
}

TEST_F(NewPasswordTest, SessionDiesWithTheTemporaryPassword) {
  std::string session = Member(Challenge(client_), "Session");
  clock_.AdvanceMs(1);
  EditUser(pool_, user_.username_key, [&](store::UserRecord& u) {
    u.password_hash = hasher_.Hash("Other-Temp1");
    u.password_changed_ms = clock_.NowMs();
  });
  EXPECT_EQ(Fails(service_.RespondToAuthChallenge(Answer(session))).message,
            "Invalid session for the user, session can only be used once.");
}

TEST_F(NewPasswordTest, SessionExpiresAfterTheClientsAuthSessionValidity) {
  std::string session = Member(Challenge(client_), "Session");
  clock_.AdvanceMs(3 * 60 * 1000);
  Error e = Fails(service_.RespondToAuthChallenge(Answer(session)));
  EXPECT_EQ(e.type, "NotAuthorizedException");
  EXPECT_EQ(e.message, "Invalid session for the user, session is expired.");

  client_ = NewClient(pool_, {{"AuthSessionValidity", 15}});
  session = Member(Challenge(client_), "Session");
  clock_.AdvanceMs(15 * 60 * 1000 - 1);
  EXPECT_TRUE(service_.RespondToAuthChallenge(Answer(session)).ok());
}

TEST_F(NewPasswordTest, TamperedOrForeignSessionsAreRefused) {
  std::string session = Member(Challenge(client_), "Session");
  std::string tampered = session;
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'x' ? 'y' : 'x';
  for (const std::string& bad : {tampered, std::string("not-a-session-at-all-xyz")}) {
    Error e = Fails(service_.RespondToAuthChallenge(Answer(bad)));
    EXPECT_EQ(e.type, "NotAuthorizedException");
    EXPECT_EQ(e.message, "Invalid session for the user.");
  }
  // A session made for another client, or answered for another user.
  TestClient other = NewClient(pool_);
  json::object request = Answer(Member(Challenge(other), "Session"));
  EXPECT_EQ(Fails(service_.RespondToAuthChallenge(request)).message,
            "Invalid session for the user.");
  AddUser(pool_, "intruder", {}, "FORCE_CHANGE_PASSWORD");
  EXPECT_EQ(
      Fails(service_.RespondToAuthChallenge(Answer(session, {{"USERNAME", "intruder"}}))).message,
      "Invalid session for the user.");
  EXPECT_EQ(GetUser(pool_, user_.username_key).status, "FORCE_CHANGE_PASSWORD");
}

TEST_F(NewPasswordTest, RequiredAttributesAndPolicyAreChecked) {
  std::string session = Member(Challenge(client_), "Session");
  json::object request = Answer(session);
  request["ChallengeResponses"].as_object().erase("userAttributes.name");
  Error e = Fails(service_.RespondToAuthChallenge(request));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message,
            "Attributes did not conform to the schema: name: The attribute name is required");
  e = Fails(service_.RespondToAuthChallenge(Answer(session, {{"NEW_PASSWORD", "short"}})));
  EXPECT_EQ(e.type, "InvalidPasswordException");
  e = Fails(service_.RespondToAuthChallenge(
      Answer(session, {{"userAttributes.email_verified", "true"}})));
  EXPECT_EQ(e.type, "NotAuthorizedException");
  EXPECT_EQ(GetUser(pool_, user_.username_key).status, "FORCE_CHANGE_PASSWORD");
  // The session is still good after refused answers.
  EXPECT_TRUE(service_.RespondToAuthChallenge(Answer(session)).ok());
}

TEST_F(NewPasswordTest, PasswordHistoryCountsTheTemporaryAndEarlierPasswords) {
  json::object name{
      {"Name", "name"}, {"AttributeDataType", "String"}, {"Required", true}, {"Mutable", true}};
  pool_ = NewPool(
      {{"Schema", {name}}, {"Policies", {{"PasswordPolicy", {{"PasswordHistorySize", 2}}}}}});
  client_ = NewClient(pool_);
  user_ = AddUser(pool_, "newbie", {}, "FORCE_CHANGE_PASSWORD");
  user_.password_history_json = json::serialize(json::array{hasher_.Hash("0ld-Passw0rd")});
  ASSERT_TRUE(stores_.users->UpdateUser(user_).ok());
  std::string session = Member(Challenge(client_), "Session");
  for (const char* reused : {testing::kPassword, "0ld-Passw0rd"}) {
    Error e = Fails(service_.RespondToAuthChallenge(Answer(session, {{"NEW_PASSWORD", reused}})));
    EXPECT_EQ(e.type, "PasswordHistoryPolicyViolationException") << reused;
  }
  EXPECT_EQ(GetUser(pool_, user_.username_key).status, "FORCE_CHANGE_PASSWORD");
  Ok(service_.RespondToAuthChallenge(Answer(session)));
  // The temporary password is now the newest remembered one.
  store::UserRecord user = GetUser(pool_, user_.username_key);
  json::array history = json::parse(user.password_history_json).as_array();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_TRUE(hasher_.Verify(history[0].as_string(), testing::kPassword));
}

TEST_F(NewPasswordTest, AdminVariantWithSecretHash) {
  TestClient secret_client = NewClient(pool_, {{"GenerateSecret", true}});
  auto hash = [&](const std::string& name) {
    return identity::ComputeSecretHash(name, secret_client.id, secret_client.secret);
  };
  json::object start{
      {"UserPoolId", pool_},
      {"ClientId", secret_client.id},
      {"AuthFlow", "ADMIN_USER_PASSWORD_AUTH"},
      {"AuthParameters", PasswordParams("newbie", testing::kPassword, hash("newbie"))}};
  std::string session = Member(Ok(service_.AdminInitiateAuth(start)), "Session");
  json::object request = Answer(session);
  request["UserPoolId"] = pool_;
  request["ClientId"] = secret_client.id;
  EXPECT_EQ(Fails(service_.AdminRespondToAuthChallenge(request)).message,
            "Client " + secret_client.id + " is configured for secret but secret was not received");
  request["ChallengeResponses"].as_object()["SECRET_HASH"] = hash("newbie");
  EXPECT_FALSE(TokensOf(service_.AdminRespondToAuthChallenge(request)).empty());
}

TEST_F(NewPasswordTest, OtherChallengesAndMissingSession) {
  json::object request = Answer("x");
  request.erase("Session");
  EXPECT_EQ(Fails(service_.RespondToAuthChallenge(request)).message,
            "Missing required parameter Session");
  request["ChallengeName"] = "DEVICE_SRP_AUTH";
  Error e = Fails(service_.RespondToAuthChallenge(request));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message, "Challenge DEVICE_SRP_AUTH is not supported.");
}

}  // namespace
}  // namespace cognate::auth
