// UserMigration_Authentication: a password sign-in with an unknown name asks the trigger and
// creates the user it vouches for.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "auth/testing/sign_in_env.h"

namespace cognate::auth {
namespace {

namespace json = boost::json;
using testing::kPassword;
using testing::SignInTest;
using testing::TestClient;
using triggers::Trigger;
using triggers::TriggerCall;

constexpr char kOldPassword[] = "legacy-Pa55";

class SignInMigrationTest : public SignInTest {
 protected:
  void SetUp() override {
    pool_ = NewPool();
    client_ = NewClient(pool_, {{"ExplicitAuthFlows",
                                 {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                                  "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}});
  }

  // A legacy system that knows "old" with kOldPassword and answers `answer` for it.
  void Legacy(json::object answer) {
    triggers_.On(Trigger::kUserMigration,
                 [answer](const TriggerCall& call) -> Result<json::object> {
                   if (call.user_name != "old" || call.request.at("password") != kOldPassword) {
                     return Error::Make("UserLambdaValidationException",
                                        "UserMigration failed with error Bad password.");
                   }
                   return answer;
                 });
  }

  std::optional<store::UserRecord> Stored(const std::string& name) {
    auto pool = directory_.LoadPool(pool_);
    auto found = directory_.Find(*pool, name);
    EXPECT_TRUE(found.ok());
    return found.ok() ? *found : std::nullopt;
  }

  std::string pool_;
  TestClient client_;
};

json::object Confirmed(json::object attrs) {
  return {{"userAttributes", std::move(attrs)},
          {"finalUserStatus", "CONFIRMED"},
          {"messageAction", "SUPPRESS"}};
}

TEST_F(SignInMigrationTest, FirstSignInCreatesTheUserAndTheSecondNeedsNoTrigger) {
  Legacy(Confirmed({{"email", "old@example.com"}, {"email_verified", "true"}}));
  json::object result = TokensOf(PasswordSignIn(client_, "old", kOldPassword));
  ASSERT_FALSE(result.empty());
  json::object id = Claims(Member(result, "IdToken"));
  EXPECT_EQ(id.at("cognito:username"), "old");
  EXPECT_EQ(id.at("email"), "old@example.com");
  EXPECT_EQ(id.at("email_verified"), true);

  auto calls = triggers_.calls(Trigger::kUserMigration);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].trigger_source, "UserMigration_Authentication");
  EXPECT_EQ(calls[0].client_id, client_.id);
  EXPECT_EQ(calls[0].request,
            (json::object{{"password", kOldPassword}, {"userAttributes", json::object()}}));

  std::optional<store::UserRecord> user = Stored("old");
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->status, "CONFIRMED");
  EXPECT_TRUE(hasher_.Verify(user->password_hash, kOldPassword));
  EXPECT_FALSE(user->srp_verifier_sealed.empty());
  EXPECT_EQ(id.at("sub"), json::value(user->sub));

  triggers_.Off(Trigger::kUserMigration);
  EXPECT_FALSE(TokensOf(AdminSignIn(pool_, client_, "old", kOldPassword)).empty());
  EXPECT_EQ(Fails(PasswordSignIn(client_, "old", "other-Pa55")).message,
            "Incorrect username or password.");
}

TEST_F(SignInMigrationTest, RejectionCreatesNobody) {
  Legacy(Confirmed({{"email", "old@example.com"}}));
  Error e = Fails(PasswordSignIn(client_, "old", "wrong-Pa55"));
  EXPECT_EQ(e.type, "UserLambdaValidationException");
  EXPECT_EQ(e.message, "UserMigration failed with error Bad password.");
  EXPECT_FALSE(Stored("old").has_value());
}

TEST_F(SignInMigrationTest, AnEmptyAnswerIsTheUsualUnknownUser) {
  triggers_.On(Trigger::kUserMigration, [](const TriggerCall&) { return json::object(); });
  EXPECT_EQ(Fails(PasswordSignIn(client_, "old", kOldPassword)).type, "UserNotFoundException");
  TestClient hiding = NewClient(pool_, {{"PreventUserExistenceErrors", "ENABLED"}});
  EXPECT_EQ(Fails(PasswordSignIn(hiding, "old", kOldPassword)).message,
            "Incorrect username or password.");
  EXPECT_FALSE(Stored("old").has_value());
}

TEST_F(SignInMigrationTest, ResetRequiredUsersMustResetTheirPassword) {
  Legacy(
      {{"userAttributes", {{"email", "old@example.com"}}}, {"finalUserStatus", "RESET_REQUIRED"}});
  Error e = Fails(PasswordSignIn(client_, "old", kOldPassword));
  EXPECT_EQ(e.type, "PasswordResetRequiredException");
  EXPECT_EQ(e.message, "Password reset required for the user");
  std::optional<store::UserRecord> user = Stored("old");
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->status, "RESET_REQUIRED");
  EXPECT_TRUE(user->password_hash.empty());
}

TEST_F(SignInMigrationTest, OnlyThePlainPasswordFlowsMigrate) {
  Legacy(Confirmed({}));
  AddUser(pool_, "known");
  EXPECT_FALSE(TokensOf(PasswordSignIn(client_, "known", kPassword)).empty());
  json::object srp{{"ClientId", client_.id},
                   {"AuthFlow", "USER_SRP_AUTH"},
                   {"AuthParameters", {{"USERNAME", "old"}, {"SRP_A", std::string(512, 'a')}}}};
  EXPECT_EQ(Fails(service_.InitiateAuth(srp)).type, "UserNotFoundException");
  EXPECT_TRUE(triggers_.calls(Trigger::kUserMigration).empty());
}

TEST_F(SignInMigrationTest, WithoutFinalUserStatusTheUserIsConfirmed) {
  Legacy({{"userAttributes", {{"email", "old@example.com"}}}});
  EXPECT_FALSE(TokensOf(PasswordSignIn(client_, "old", kOldPassword)).empty());
  EXPECT_EQ(Stored("old")->status, "CONFIRMED");
}

TEST_F(SignInMigrationTest, BadAnswersCreateNobody) {
  Legacy(Confirmed({{"shoe_size", "44"}}));  // the schema refuses it, as AdminCreateUser would
  EXPECT_EQ(Fails(PasswordSignIn(client_, "old", kOldPassword)).type, "InvalidParameterException");
  Legacy(Confirmed({{"email_verified", true}}));
  EXPECT_EQ(Fails(PasswordSignIn(client_, "old", kOldPassword)).type,
            "InvalidLambdaResponseException");
  Legacy({{"userAttributes", json::object()}, {"finalUserStatus", "ACTIVE"}});
  EXPECT_EQ(Fails(PasswordSignIn(client_, "old", kOldPassword)).type,
            "InvalidLambdaResponseException");
  Legacy({{"userAttributes", "email=old@example.com"}});
  EXPECT_EQ(Fails(PasswordSignIn(client_, "old", kOldPassword)).type,
            "InvalidLambdaResponseException");
  Legacy({{"userAttributes", json::object()}, {"messageAction", "SHOUT"}});
  EXPECT_EQ(Fails(PasswordSignIn(client_, "old", kOldPassword)).type,
            "InvalidLambdaResponseException");
  EXPECT_FALSE(Stored("old").has_value());
}

TEST_F(SignInMigrationTest, PreAuthenticationFollowsTheMigration) {
  Legacy(Confirmed({{"email", "old@example.com"}}));
  triggers_.On(Trigger::kPreAuthentication, [](const TriggerCall& call) -> Result<json::object> {
    if (call.request.at("userAttributes").at("cognito:user_status") != "CONFIRMED") {
      return Error::Make("UserLambdaValidationException", "unexpected");
    }
    return json::object();
  });
  EXPECT_FALSE(TokensOf(PasswordSignIn(client_, "old", kOldPassword)).empty());
  auto calls = triggers_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].first, Trigger::kUserMigration);
  EXPECT_EQ(calls[1].first, Trigger::kPreAuthentication);
}

TEST_F(SignInMigrationTest, EmailUsernamesGetAGeneratedUsername) {
  pool_ = NewPool({{"UsernameAttributes", {"email"}}});
  client_ = NewClient(pool_);
  triggers_.On(Trigger::kUserMigration, [](const TriggerCall& call) -> Result<json::object> {
    EXPECT_EQ(call.user_name, "Old@Example.com");
    return Confirmed({{"email_verified", "true"}, {"name", "Old"}});
  });
  json::object id =
      Claims(Member(TokensOf(PasswordSignIn(client_, "Old@Example.com", kOldPassword)), "IdToken"));
  EXPECT_EQ(id.at("email"), "Old@Example.com");
  EXPECT_EQ(id.at("cognito:username"), id.at("sub"));
  triggers_.Off(Trigger::kUserMigration);
  EXPECT_FALSE(TokensOf(PasswordSignIn(client_, "old@example.com", kOldPassword)).empty());
}

TEST_F(SignInMigrationTest, ForceAliasCreationTakesTheAliasFromItsHolder) {
  pool_ = NewPool({{"AliasAttributes", {"email"}}});
  client_ = NewClient(pool_);
  store::UserRecord holder =
      AddUser(pool_, "holder", {{"email", "old@example.com"}, {"email_verified", "true"}});
  json::object answer = Confirmed({{"email", "old@example.com"}, {"email_verified", "true"}});
  Legacy(answer);
  EXPECT_EQ(Fails(PasswordSignIn(client_, "old", kOldPassword)).type, "AliasExistsException");
  EXPECT_FALSE(Stored("old").has_value());
  answer["forceAliasCreation"] = true;
  Legacy(answer);
  EXPECT_FALSE(TokensOf(PasswordSignIn(client_, "old", kOldPassword)).empty());
  EXPECT_EQ(json::parse(GetUser(pool_, holder.username_key).attributes_json).at("email_verified"),
            "false");
  EXPECT_EQ(Stored("old@example.com")->username, "old");
}

}  // namespace
}  // namespace cognate::auth
