// PreSignUp from SignUp and AdminCreateUser with a scripted receiver: the event, the answer's
// auto-confirm/auto-verify, and failures that leave no user and send nothing.

#include "identity/pre_sign_up.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "identity/testing/user_service_fixture.h"
#include "triggers/testing/scripted_invoker.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;
using triggers::Trigger;
using triggers::TriggerCall;

triggers::fakes::ScriptedInvoker::Handler Answer(json::object response) {
  return [response](const TriggerCall&) -> Result<json::object> { return response; };
}

class PreSignUpTest : public fakes::UserServiceFixture {
 protected:
  void SetUp() override {
    directory_.set_triggers(&invoker_);
    pool_id_ = NewPool({{"AutoVerifiedAttributes", json::array{"email"}},
                        {"AliasAttributes", json::array{"email"}}});
    client_id_ = NewClient(pool_id_);
  }
  Result<json::object> SignUp(std::string_view name, json::object extra = {}) {
    json::object request{{"ClientId", client_id_},
                         {"Username", name},
                         {"Password", "Passw0rd!"},
                         {"UserAttributes", Attrs({{"email", "alice@example.com"}})}};
    for (auto& [k, v] : extra) request[k] = v;
    return users_.SignUp(request);
  }
  Result<json::object> AdminCreate(std::string_view name, json::object extra = {}) {
    json::object request{{"UserPoolId", pool_id_},
                         {"Username", name},
                         {"TemporaryPassword", "Temp0rary!"},
                         {"UserAttributes", Attrs({{"email", "alice@example.com"}})}};
    for (auto& [k, v] : extra) request[k] = v;
    return users_.AdminCreateUser(request);
  }
  std::vector<TriggerCall> Calls() const { return invoker_.calls(Trigger::kPreSignUp); }
  json::value Attributes(std::string_view name) {
    return GetUser(pool_id_, name).at("UserAttributes");
  }

  triggers::fakes::ScriptedInvoker invoker_;
  std::string pool_id_;
  std::string client_id_;
};

TEST_F(PreSignUpTest, SignUpSendsTheNewUserBeforeStoringIt) {
  invoker_.On(Trigger::kPreSignUp, [this](const TriggerCall&) -> Result<json::object> {
    EXPECT_FALSE(Stored(pool_id_, "alice")) << "called before anything is stored";
    return json::object();
  });
  json::object out = Ok(SignUp("alice", {{"ValidationData", Attrs({{"invite", "X1"}})},
                                         {"ClientMetadata", {{"source", "web"}}}}));
  ASSERT_EQ(Calls().size(), 1u);
  const TriggerCall call = Calls()[0];
  EXPECT_EQ(call.trigger_source, "PreSignUp_SignUp");
  EXPECT_EQ(call.user_name, "alice");
  EXPECT_EQ(call.client_id, client_id_);
  EXPECT_EQ(call.request.at("userAttributes"), (json::object{{"email", "alice@example.com"}}));
  EXPECT_EQ(call.request.at("validationData"), (json::object{{"invite", "X1"}}));
  EXPECT_EQ(call.request.at("clientMetadata"), (json::object{{"source", "web"}}));
  // An empty answer changes nothing: unconfirmed, a code goes out.
  EXPECT_EQ(out.at("UserConfirmed"), false);
  EXPECT_TRUE(out.contains("CodeDeliveryDetails"));
  EXPECT_EQ(GetUser(pool_id_, "alice").at("UserStatus"), "UNCONFIRMED");
  EXPECT_EQ(sender_.count(), 1u);
}

TEST_F(PreSignUpTest, SignUpsClientMetadataAlsoReachesTheCodeMessage) {
  invoker_.On(Trigger::kPreSignUp, Answer({}));
  invoker_.On(Trigger::kCustomMessage, Answer({}));
  Ok(SignUp("alice", {{"ClientMetadata", {{"source", "web"}}}}));
  const std::vector<TriggerCall> messages = invoker_.calls(Trigger::kCustomMessage);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].trigger_source, "CustomMessage_SignUp");
  EXPECT_EQ(messages[0].request.at("clientMetadata"), (json::object{{"source", "web"}}));
}

TEST_F(PreSignUpTest, LeavesOutValidationDataAndMetadataThatWereNotGiven) {
  invoker_.On(Trigger::kPreSignUp, Answer({}));
  Ok(SignUp("alice"));
  EXPECT_FALSE(Calls().at(0).request.contains("validationData"));
  EXPECT_FALSE(Calls().at(0).request.contains("clientMetadata"));
}

TEST_F(PreSignUpTest, AutoConfirmAndAutoVerifyEmail) {
  invoker_.On(Trigger::kPreSignUp, Answer({{"autoConfirmUser", true},
                                           {"autoVerifyEmail", true},
                                           {"autoVerifyPhone", true}}));
  json::object out = Ok(SignUp("alice"));
  EXPECT_EQ(out.at("UserConfirmed"), true);
  EXPECT_FALSE(out.contains("CodeDeliveryDetails"));
  EXPECT_EQ(sender_.count(), 0u) << "no code for a confirmed user";
  EXPECT_EQ(GetUser(pool_id_, "alice").at("UserStatus"), "CONFIRMED");
  EXPECT_EQ(AttrOf(Attributes("alice"), "email_verified"), "true");
  EXPECT_EQ(AttrOf(Attributes("alice"), "phone_number_verified"), std::nullopt)
      << "no phone number to verify";
  // The verified email is an alias now.
  auto by_email = Stored(pool_id_, "alice@example.com");
  ASSERT_TRUE(by_email);
  EXPECT_EQ(by_email->username, "alice");
}

TEST_F(PreSignUpTest, AutoConfirmAloneLeavesTheEmailUnverified) {
  invoker_.On(Trigger::kPreSignUp, Answer({{"autoConfirmUser", true}}));
  EXPECT_EQ(Ok(SignUp("alice")).at("UserConfirmed"), true);
  EXPECT_EQ(GetUser(pool_id_, "alice").at("UserStatus"), "CONFIRMED");
  EXPECT_NE(AttrOf(Attributes("alice"), "email_verified"), "true");
  EXPECT_EQ(sender_.count(), 0u);
}

TEST_F(PreSignUpTest, AutoVerifyNeedsAutoConfirm) {
  invoker_.On(Trigger::kPreSignUp, Answer({{"autoConfirmUser", false}, {"autoVerifyEmail", true}}));
  EXPECT_EQ(Ok(SignUp("alice")).at("UserConfirmed"), false);
  EXPECT_EQ(GetUser(pool_id_, "alice").at("UserStatus"), "UNCONFIRMED");
  EXPECT_NE(AttrOf(Attributes("alice"), "email_verified"), "true");
  EXPECT_EQ(sender_.count(), 1u);
}

TEST_F(PreSignUpTest, RejectionStoresNothingAndSendsNothing) {
  invoker_.On(Trigger::kPreSignUp, [](const TriggerCall&) -> Result<json::object> {
    return triggers::TriggerRejected(Trigger::kPreSignUp, "Invite only");
  });
  Error e = Fails(SignUp("alice"));
  EXPECT_EQ(e.type, "UserLambdaValidationException");
  EXPECT_EQ(e.message, "PreSignUp failed with error Invite only.");
  EXPECT_FALSE(Stored(pool_id_, "alice"));
  EXPECT_EQ(sender_.count(), 0u);
  // Nothing was left behind: the same sign-up works once the receiver agrees.
  invoker_.On(Trigger::kPreSignUp, Answer({}));
  Ok(SignUp("alice"));
  EXPECT_TRUE(Stored(pool_id_, "alice"));
}

TEST_F(PreSignUpTest, UnreachableOrInvalidAnswersStoreNothing) {
  invoker_.On(Trigger::kPreSignUp, [](const TriggerCall&) -> Result<json::object> {
    return triggers::TriggerUnreachable(Trigger::kPreSignUp, "TimeoutError");
  });
  EXPECT_EQ(Fails(SignUp("alice")).type, "UnexpectedLambdaException");
  EXPECT_FALSE(Stored(pool_id_, "alice"));
  for (json::value bad : {json::value("true"), json::value(1), json::value(json::object())}) {
    invoker_.On(Trigger::kPreSignUp, Answer({{"autoConfirmUser", bad}}));
    Error e = Fails(SignUp("alice"));
    EXPECT_EQ(e.type, "InvalidLambdaResponseException");
    EXPECT_EQ(e.message, "Unrecognizable lambda output");
    EXPECT_FALSE(Stored(pool_id_, "alice"));
  }
  invoker_.On(Trigger::kPreSignUp, Answer({{"autoConfirmUser", nullptr}}));  // null: false
  EXPECT_EQ(Ok(SignUp("alice")).at("UserConfirmed"), false);
}

TEST_F(PreSignUpTest, NotCalledWhenNotConfigured) {
  Ok(SignUp("alice"));
  EXPECT_TRUE(invoker_.calls().empty());
}

TEST_F(PreSignUpTest, EmailAsUsernameSendsTheGeneratedUsername) {
  pool_id_ = NewPool({{"UsernameAttributes", json::array{"email"}}});
  client_id_ = NewClient(pool_id_);
  invoker_.On(Trigger::kPreSignUp, Answer({{"autoConfirmUser", true}, {"autoVerifyEmail", true}}));
  Ok(users_.SignUp({{"ClientId", client_id_},
                    {"Username", "carol@example.com"},
                    {"Password", "Passw0rd!"}}));
  const TriggerCall call = Calls().at(0);
  auto stored = Stored(pool_id_, "carol@example.com");
  ASSERT_TRUE(stored);
  EXPECT_EQ(call.user_name, stored->username);
  EXPECT_NE(call.user_name, "carol@example.com");
  EXPECT_EQ(call.request.at("userAttributes").at("email"), "carol@example.com");
  EXPECT_EQ(stored->status, "CONFIRMED");
}

TEST_F(PreSignUpTest, AdminCreateUserSendsItsOwnSourceAndIgnoresTheAnswer) {
  invoker_.On(Trigger::kPreSignUp, Answer({{"autoConfirmUser", true}, {"autoVerifyEmail", true}}));
  Ok(AdminCreate("dave", {{"ValidationData", Attrs({{"k", "v"}})},
                          {"ClientMetadata", {{"by", "admin"}}}}));
  const TriggerCall call = Calls().at(0);
  EXPECT_EQ(call.trigger_source, "PreSignUp_AdminCreateUser");
  EXPECT_EQ(call.user_name, "dave");
  EXPECT_EQ(call.client_id, "");
  EXPECT_EQ(call.request.at("validationData"), (json::object{{"k", "v"}}));
  EXPECT_EQ(call.request.at("clientMetadata"), (json::object{{"by", "admin"}}));
  EXPECT_EQ(call.request.at("userAttributes").at("email"), "alice@example.com");
  EXPECT_EQ(GetUser(pool_id_, "dave").at("UserStatus"), "FORCE_CHANGE_PASSWORD");
  EXPECT_NE(AttrOf(Attributes("dave"), "email_verified"), "true");
}

TEST_F(PreSignUpTest, AdminCreateUserRejectedStoresAndSendsNothing) {
  invoker_.On(Trigger::kPreSignUp, [](const TriggerCall&) -> Result<json::object> {
    return triggers::TriggerRejected(Trigger::kPreSignUp, "no admins today");
  });
  Error e = Fails(AdminCreate("dave"));
  EXPECT_EQ(e.type, "UserLambdaValidationException");
  EXPECT_EQ(e.message, "PreSignUp failed with error no admins today.");
  EXPECT_FALSE(Stored(pool_id_, "dave"));
  EXPECT_EQ(sender_.count(), 0u) << "no invitation";
}

}  // namespace
}  // namespace cognate::identity
