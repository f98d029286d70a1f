// UserMigration_ForgotPassword: ForgotPassword for an unknown name asks the receiver, creates
// the user it describes in RESET_REQUIRED and sends the reset code; otherwise nothing is stored.

#include "identity/user_migration.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <optional>
#include <string>
#include <vector>

#include "identity/testing/user_service_fixture.h"
#include "triggers/testing/scripted_invoker.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;
using triggers::Trigger;
using triggers::TriggerCall;

class UserMigrationTest : public fakes::UserServiceFixture {
 protected:
  void SetUp() override {
    directory_.set_triggers(&invoker_);
    pool_id_ = NewPool();
    client_id_ = NewClient(pool_id_);
  }
  void Answer(json::object response) {
    invoker_.On(Trigger::kUserMigration,
                [response](const TriggerCall&) -> Result<json::object> { return response; });
  }
  static json::object Known() {
    return {{"userAttributes", {{"email", "old@example.com"}, {"email_verified", "true"}}},
            {"finalUserStatus", "CONFIRMED"},
            {"messageAction", "SUPPRESS"}};
  }
  Result<json::object> Forgot(std::string_view name = "olduser", json::object extra = {}) {
    extra["ClientId"] = client_id_;
    extra["Username"] = name;
    return users_.ForgotPassword(extra);
  }
  std::vector<TriggerCall> Calls() const { return invoker_.calls(Trigger::kUserMigration); }

  triggers::fakes::ScriptedInvoker invoker_;
  std::string pool_id_;
  std::string client_id_;
};

TEST_F(UserMigrationTest, CreatesTheUserAndSendsTheResetCode) {
  Answer(Known());
  json::object out = Ok(Forgot("olduser", {{"ClientMetadata", {{"from", "legacy"}}}}));
  EXPECT_EQ(out.at("CodeDeliveryDetails"), (json::object{{"Destination", "o***@e***"},
                                                         {"DeliveryMedium", "EMAIL"},
                                                         {"AttributeName", "email"}}));
  ASSERT_EQ(Calls().size(), 1u);
  const TriggerCall call = Calls()[0];
  EXPECT_EQ(call.trigger_source, "UserMigration_ForgotPassword");
  EXPECT_EQ(call.user_name, "olduser");
  EXPECT_EQ(call.client_id, client_id_);
  EXPECT_EQ(call.request.at("userAttributes"), json::object());
  EXPECT_EQ(call.request.at("clientMetadata"), (json::object{{"from", "legacy"}}));
  EXPECT_FALSE(call.request.contains("password"));

  std::optional<store::UserRecord> user = Stored(pool_id_, "olduser");
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->status, "RESET_REQUIRED");  // finalUserStatus CONFIRMED has no password here
  EXPECT_TRUE(user->password_hash.empty());
  EXPECT_TRUE(user->srp_verifier_sealed.empty());
  EXPECT_EQ(sender_.last().purpose, "forgot-password");
  EXPECT_EQ(sender_.last().destination, "old@example.com");
  EXPECT_EQ(sender_.last().client_metadata.at("from"), "legacy");

  // The code resets the password like any other: the user is then CONFIRMED.
  Ok(users_.ConfirmForgotPassword({{"ClientId", client_id_},
                                   {"Username", "olduser"},
                                   {"ConfirmationCode", LastCode()},
                                   {"Password", "N3wPassw0rd!"}}));
  EXPECT_EQ(Stored(pool_id_, "olduser")->status, "CONFIRMED");
  EXPECT_FALSE(Stored(pool_id_, "olduser")->password_hash.empty());
  // A second ForgotPassword finds the user: no second migration.
  Ok(Forgot());
  EXPECT_EQ(Calls().size(), 1u);
}

TEST_F(UserMigrationTest, EmptyAnswerIsNoSuchUser) {
  for (json::object answer : {json::object(), json::object{{"userAttributes", nullptr}}}) {
    Answer(answer);
    Error e = Fails(Forgot());
    EXPECT_EQ(e.type, "UserNotFoundException");
    EXPECT_EQ(e.message, "User does not exist.");
  }
  EXPECT_FALSE(Stored(pool_id_, "olduser").has_value());
  EXPECT_EQ(sender_.count(), 0u);
}

TEST_F(UserMigrationTest, EmptyAnswerIsHiddenWhenTheClientPreventsExistenceErrors) {
  client_id_ = NewClient(pool_id_, {{"PreventUserExistenceErrors", "ENABLED"}});
  Answer({});
  json::object out = Ok(Forgot("olduser"));
  EXPECT_EQ(out.at("CodeDeliveryDetails").at("DeliveryMedium"), "EMAIL");
  EXPECT_EQ(Calls().size(), 1u);
  EXPECT_FALSE(Stored(pool_id_, "olduser").has_value());
  EXPECT_EQ(sender_.count(), 0u);
}

TEST_F(UserMigrationTest, WithoutTheTriggerAnUnknownUserIsNotFound) {
  EXPECT_EQ(Fails(Forgot()).type, "UserNotFoundException");
  EXPECT_TRUE(invoker_.calls().empty());
}

TEST_F(UserMigrationTest, RejectionReachesTheClientAndCreatesNothing) {
  invoker_.On(Trigger::kUserMigration, [](const TriggerCall&) -> Result<json::object> {
    return Error::Make("UserLambdaValidationException", "UserMigration failed with error gone.");
  });
  Error e = Fails(Forgot());
  EXPECT_EQ(e.type, "UserLambdaValidationException");
  EXPECT_EQ(e.message, "UserMigration failed with error gone.");
  EXPECT_FALSE(Stored(pool_id_, "olduser").has_value());
}

TEST_F(UserMigrationTest, MalformedAnswersCreateNothing) {
  const json::object bad[] = {
      {{"userAttributes", "email=old@example.com"}},
      {{"userAttributes", {{"email", 5}}}},
      {{"userAttributes", {{"email", "old@example.com"}}}, {"finalUserStatus", "ACTIVE"}},
      {{"userAttributes", {{"email", "old@example.com"}}}, {"messageAction", "SEND"}},
      {{"userAttributes", {{"email", "old@example.com"}}},
       {"desiredDeliveryMediums", json::array{"PIGEON"}}},
      {{"userAttributes", {{"email", "old@example.com"}}}, {"forceAliasCreation", "yes"}},
  };
  for (const json::object& answer : bad) {
    Answer(answer);
    EXPECT_EQ(Fails(Forgot()).type, "InvalidLambdaResponseException") << json::serialize(answer);
  }
  // Attributes the schema refuses fail as they would for AdminCreateUser.
  Answer({{"userAttributes", {{"shoe_size", "42"}}}});
  EXPECT_EQ(Fails(Forgot()).type, "InvalidParameterException");
  EXPECT_FALSE(Stored(pool_id_, "olduser").has_value());
  EXPECT_EQ(sender_.count(), 0u);
}

TEST_F(UserMigrationTest, AUserTheCodeCannotReachIsNotCreated) {
  Answer({{"userAttributes", {{"email", "old@example.com"}}}});  // not verified
  Error e = Fails(Forgot());
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_FALSE(Stored(pool_id_, "olduser").has_value());
}

TEST_F(UserMigrationTest, FailedDeliveryRemovesTheMigratedUser) {
  Answer(Known());
  sender_.set_fail(true);
  EXPECT_FALSE(Forgot().ok());
  EXPECT_FALSE(Stored(pool_id_, "olduser").has_value());
  sender_.set_fail(false);
  Ok(Forgot());
  EXPECT_TRUE(Stored(pool_id_, "olduser").has_value());
}

TEST_F(UserMigrationTest, EmailAsUsernamePoolsKeepTheGivenEmail) {
  pool_id_ = NewPool({{"UsernameAttributes", json::array{"email"}}});
  client_id_ = NewClient(pool_id_);
  Answer({{"userAttributes", {{"email_verified", "true"}, {"custom:legacy_id", "7"}}}});
  EXPECT_EQ(Fails(Forgot("old@example.com")).type, "InvalidParameterException");  // no schema
  Answer({{"userAttributes", {{"email_verified", "true"}}}});
  Ok(Forgot("old@example.com"));
  std::optional<store::UserRecord> user = Stored(pool_id_, "old@example.com");
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->username, user->sub);
  EXPECT_EQ(sender_.last().destination, "old@example.com");
}

TEST_F(UserMigrationTest, ReadMigrationAnswerReadsEveryMember) {
  auto pool = directory_.LoadPool(pool_id_);
  ASSERT_TRUE(pool.ok());
  json::object response{{"userAttributes", {{"email", "a@example.com"}}},
                        {"finalUserStatus", "RESET_REQUIRED"},
                        {"messageAction", "RESEND"},
                        {"desiredDeliveryMediums", json::array{"EMAIL", "SMS"}},
                        {"forceAliasCreation", true},
                        {"enableSMSMFA", false}};
  auto answer = ReadMigrationAnswer(pool->config, response);
  ASSERT_TRUE(answer.ok() && answer->has_value());
  const MigrationAnswer& a = **answer;
  EXPECT_EQ(a.attributes, (json::object{{"email", "a@example.com"}}));
  EXPECT_EQ(a.final_status, "RESET_REQUIRED");
  EXPECT_EQ(a.message_action, "RESEND");
  EXPECT_EQ(a.delivery_mediums, (std::vector<std::string>{"EMAIL", "SMS"}));
  EXPECT_TRUE(a.force_alias_creation);
  EXPECT_FALSE(a.enable_sms_mfa);
}

}  // namespace
}  // namespace cognate::identity
