// CustomMessage through the identity services with a scripted receiver: the event each message
// sends, the answer replacing the template, and bad answers or rejections leaving no state.

#include "identity/custom_message.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "identity/testing/user_service_fixture.h"
#include "triggers/testing/scripted_invoker.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;
using triggers::Trigger;
using triggers::TriggerCall;

class CustomMessageTest : public fakes::UserServiceFixture {
 protected:
  void SetUp() override {
    directory_.set_triggers(&invoker_);
    pool_id_ = NewPool({{"AutoVerifiedAttributes", json::array{"email"}}});
    client_id_ = NewClient(pool_id_);
  }
  // The receiver answers `response` and records nothing else.
  void Answer(json::object response) {
    invoker_.On(Trigger::kCustomMessage,
                [response](const TriggerCall&) -> Result<json::object> { return response; });
  }
  Result<json::object> SignUp(std::string_view name = "alice", json::object extra = {}) {
    extra["ClientId"] = client_id_;
    extra["Username"] = name;
    extra["Password"] = "Passw0rd!";
    extra["UserAttributes"] = Attrs({{"email", "alice@example.com"}});
    return users_.SignUp(extra);
  }
  std::vector<TriggerCall> Calls() const { return invoker_.calls(Trigger::kCustomMessage); }

  triggers::fakes::ScriptedInvoker invoker_;
  std::string pool_id_;
  std::string client_id_;
};

TEST_F(CustomMessageTest, SignUpEventAndAnswerReplaceTheTemplate) {
  Answer({{"emailSubject", "Welcome"}, {"emailMessage", "Hello, your code: {####}!"}});
  Ok(SignUp("alice", {{"ClientMetadata", {{"campaign", "spring"}}}}));
  ASSERT_EQ(Calls().size(), 1u);
  const TriggerCall call = Calls()[0];
  EXPECT_EQ(call.trigger_source, "CustomMessage_SignUp");
  EXPECT_EQ(call.user_name, "alice");
  EXPECT_EQ(call.client_id, client_id_);
  const json::object& attrs = call.request.at("userAttributes").as_object();
  EXPECT_EQ(attrs.at("email"), "alice@example.com");
  EXPECT_EQ(attrs.at("cognito:user_status"), "UNCONFIRMED");
  EXPECT_EQ(attrs.at("sub").as_string(), Stored(pool_id_, "alice")->sub);
  EXPECT_EQ(call.request.at("codeParameter"), "{####}");
  EXPECT_EQ(call.request.at("linkParameter"), "{##Click Here##}");
  EXPECT_TRUE(call.request.at("usernameParameter").is_null());
  // SignUp's ClientMetadata is the PreSignUp owner's line to pass on; ResendCode passes it.
  delivery::OutgoingMessage m = sender_.last();
  EXPECT_EQ(m.subject, "Welcome");
  EXPECT_EQ(m.body, "Hello, your code: " + m.code + "!");
  EXPECT_EQ(m.code.size(), 6u);
}

TEST_F(CustomMessageTest, NullOrAbsentMembersKeepThePoolTemplate) {
  Answer({{"emailSubject", nullptr}, {"smsMessage", "SMS {####}"}});
  Ok(SignUp());
  delivery::OutgoingMessage m = sender_.last();
  EXPECT_EQ(m.subject, "Your verification code");
  EXPECT_EQ(m.body, "Your verification code is " + m.code + ". ");
}

TEST_F(CustomMessageTest, WithoutTheTriggerNoEventIsBuilt) {
  Ok(SignUp());
  EXPECT_TRUE(invoker_.calls().empty());
  EXPECT_EQ(sender_.last().body, "Your verification code is " + LastCode() + ". ");
}

TEST_F(CustomMessageTest, AnswerWithoutTheCodeFailsSignUpAndStoresNothing) {
  Answer({{"emailMessage", "Welcome aboard"}});
  Error e = Fails(SignUp());
  EXPECT_EQ(e.type, "InvalidLambdaResponseException");
  EXPECT_EQ(e.message,
            "Invalid lambda function output : emailMessage must contain the codeParameter {####}.");
  EXPECT_FALSE(Stored(pool_id_, "alice").has_value());
  EXPECT_EQ(sender_.count(), 0u);
}

TEST_F(CustomMessageTest, MalformedAnswersAreInvalidLambdaResponses) {
  const json::object bad[] = {
      {{"emailMessage", 5}},
      {{"smsMessage", json::array{"{####}"}}},
      {{"emailSubject", "Line\r\nBcc: evil@example.com"}},
      {{"emailSubject", ""}},
      {{"emailSubject", std::string(141, 's')}},
      {{"emailMessage", std::string(20001, 'x') + "{####}"}},
      {{"smsMessage", "no code here"}},
  };
  for (const json::object& answer : bad) {
    Answer(answer);
    EXPECT_EQ(Fails(SignUp()).type, "InvalidLambdaResponseException") << json::serialize(answer);
    EXPECT_FALSE(Stored(pool_id_, "alice").has_value());
  }
  EXPECT_EQ(sender_.count(), 0u);
}

TEST_F(CustomMessageTest, RejectionOnResendKeepsThePreviousCode) {
  Ok(SignUp());
  const std::string first = LastCode();
  invoker_.On(Trigger::kCustomMessage, [](const TriggerCall&) -> Result<json::object> {
    return Error::Make("UserLambdaValidationException", "CustomMessage failed with error no.");
  });
  Error e = Fails(users_.ResendConfirmationCode({{"ClientId", client_id_}, {"Username", "alice"}}));
  EXPECT_EQ(e.type, "UserLambdaValidationException");
  EXPECT_EQ(e.message, "CustomMessage failed with error no.");
  EXPECT_EQ(sender_.count(), 1u);
  // The first code still confirms: the failed resend replaced nothing.
  invoker_.Off(Trigger::kCustomMessage);
  Ok(users_.ConfirmSignUp(
      {{"ClientId", client_id_}, {"Username", "alice"}, {"ConfirmationCode", first}}));
}

TEST_F(CustomMessageTest, ResendCarriesClientMetadata) {
  Ok(SignUp());
  Answer({{"emailMessage", "Again: {####}"}});
  Ok(users_.ResendConfirmationCode(
      {{"ClientId", client_id_}, {"Username", "alice"}, {"ClientMetadata", {{"k", "v"}}}}));
  const TriggerCall call = Calls().back();
  EXPECT_EQ(call.trigger_source, "CustomMessage_ResendCode");
  EXPECT_EQ(call.request.at("clientMetadata"), (json::object{{"k", "v"}}));
  EXPECT_EQ(sender_.last().body, "Again: " + LastCode());
  EXPECT_EQ(sender_.last().client_metadata.at("k"), "v");
}

TEST_F(CustomMessageTest, ForgotPasswordAndAdminResetUseTheForgotPasswordSource) {
  Ok(users_.AdminCreateUser(
      {{"UserPoolId", pool_id_},
       {"Username", "bob"},
       {"MessageAction", "SUPPRESS"},
       {"UserAttributes", Attrs({{"email", "bob@example.com"}, {"email_verified", "true"}})}}));
  Ok(users_.AdminSetUserPassword({{"UserPoolId", pool_id_},
                                  {"Username", "bob"},
                                  {"Password", "Passw0rd!"},
                                  {"Permanent", true}}));
  Answer({{"emailSubject", "Reset"}, {"emailMessage", "Reset with {####}"}});
  Ok(users_.ForgotPassword({{"ClientId", client_id_}, {"Username", "bob"}}));
  EXPECT_EQ(Calls().back().trigger_source, "CustomMessage_ForgotPassword");
  EXPECT_EQ(Calls().back().request.at("userAttributes").at("cognito:user_status"), "CONFIRMED");
  EXPECT_EQ(sender_.last().body, "Reset with " + LastCode());
  Ok(users_.AdminResetUserPassword({{"UserPoolId", pool_id_}, {"Username", "bob"}}));
  EXPECT_EQ(Calls().back().trigger_source, "CustomMessage_ForgotPassword");
  EXPECT_EQ(Calls().back().client_id, "");
  EXPECT_EQ(sender_.last().subject, "Reset");
}

TEST_F(CustomMessageTest, AttributeCodesUseTheirSources) {
  Ok(SignUp());
  auto pool = directory_.LoadPool(pool_id_);
  ASSERT_TRUE(pool.ok());
  store::UserRecord user = *Stored(pool_id_, "alice");
  Answer({{"emailMessage", "Verify {####}"}});
  Ok(codes_.Send(*pool, user, "verify:email", "email", "verify-attribute"));
  EXPECT_EQ(Calls().back().trigger_source, "CustomMessage_VerifyUserAttribute");
  Ok(codes_.Send(*pool, user, "verify:email", "email", "update-attribute"));
  EXPECT_EQ(Calls().back().trigger_source, "CustomMessage_UpdateUserAttribute");
  EXPECT_EQ(sender_.last().body, "Verify " + LastCode());
}

TEST_F(CustomMessageTest, AdminAttributeUpdateCarriesClientMetadata) {
  Ok(SignUp());
  Answer({{"emailMessage", "New address code {####}"}});
  Ok(users_.AdminUpdateUserAttributes({{"UserPoolId", pool_id_},
                                       {"Username", "alice"},
                                       {"UserAttributes", Attrs({{"email", "new@example.com"}})},
                                       {"ClientMetadata", {{"why", "moved"}}}}));
  const TriggerCall call = Calls().back();
  EXPECT_EQ(call.trigger_source, "CustomMessage_UpdateUserAttribute");
  EXPECT_EQ(call.request.at("clientMetadata"), (json::object{{"why", "moved"}}));
  EXPECT_EQ(call.request.at("userAttributes").at("email"), "new@example.com");
  EXPECT_EQ(sender_.last().destination, "new@example.com");
  EXPECT_EQ(sender_.last().body, "New address code " + LastCode());
}

TEST_F(CustomMessageTest, InvitationIsOneCallForBothMediums) {
  Answer({{"emailMessage", "Hi {username}, password {####}"},
          {"smsMessage", "{username}/{####}"},
          {"emailSubject", "Invited"}});
  Ok(users_.AdminCreateUser({{"UserPoolId", pool_id_},
                             {"Username", "carol"},
                             {"TemporaryPassword", "Temp0rary!"},
                             {"DesiredDeliveryMediums", json::array{"EMAIL", "SMS"}},
                             {"ClientMetadata", {{"by", "admin"}}},
                             {"UserAttributes", Attrs({{"email", "carol@example.com"},
                                                       {"phone_number", "+15550001111"}})}}));
  ASSERT_EQ(Calls().size(), 1u);
  const TriggerCall call = Calls()[0];
  EXPECT_EQ(call.trigger_source, "CustomMessage_AdminCreateUser");
  EXPECT_EQ(call.request.at("usernameParameter"), "{username}");
  EXPECT_EQ(call.request.at("userAttributes").at("cognito:user_status"), "FORCE_CHANGE_PASSWORD");
  EXPECT_EQ(call.request.at("clientMetadata"), (json::object{{"by", "admin"}}));
  std::vector<delivery::OutgoingMessage> sent = sender_.sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].subject, "Invited");
  EXPECT_EQ(sent[0].body, "Hi carol, password Temp0rary!");
  EXPECT_EQ(sent[1].body, "carol/Temp0rary!");
}

TEST_F(CustomMessageTest, InvitationWithoutTheUsernameCreatesNoUser) {
  Answer({{"emailMessage", "Your password is {####}"}});
  Error e =
      Fails(users_.AdminCreateUser({{"UserPoolId", pool_id_},
                                    {"Username", "carol"},
                                    {"UserAttributes", Attrs({{"email", "carol@example.com"}})}}));
  EXPECT_EQ(e.type, "InvalidLambdaResponseException");
  EXPECT_NE(e.message.find("usernameParameter"), std::string::npos);
  EXPECT_FALSE(Stored(pool_id_, "carol").has_value());
  EXPECT_EQ(sender_.count(), 0u);
}

TEST_F(CustomMessageTest, RenderCustomMessageForAnSmsMfaCode) {
  Ok(SignUp());
  auto pool = directory_.LoadPool(pool_id_);
  ASSERT_TRUE(pool.ok());
  Answer({{"smsMessage", "Sign-in code {####}"}});
  delivery::OutgoingMessage m;
  m.username = "alice";
  m.channel = "SMS";
  m.purpose = "mfa";
  m.code = "123456";
  m.client_id = client_id_;
  m.client_metadata = {{"step", "2"}};
  ASSERT_TRUE(RenderCustomMessage(directory_, *pool, *Stored(pool_id_, "alice"),
                                  {"subject", "email {####}", "default {####}"}, m)
                  .ok());
  EXPECT_EQ(m.body, "Sign-in code 123456");
  EXPECT_EQ(m.subject, "");
  const TriggerCall call = Calls().back();
  EXPECT_EQ(call.trigger_source, "CustomMessage_Authentication");
  EXPECT_EQ(call.client_id, client_id_);
  EXPECT_EQ(call.request.at("clientMetadata"), (json::object{{"step", "2"}}));
  // Unknown purposes have no trigger source.
  m.purpose = "nonsense";
  EXPECT_EQ(RenderCustomMessage(directory_, *pool, *Stored(pool_id_, "alice"), {}, m).error().type,
            "InternalErrorException");
}

}  // namespace
}  // namespace cognate::identity
