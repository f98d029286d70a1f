// PostConfirmation after ConfirmSignUp, AdminConfirmSignUp and ConfirmForgotPassword with a
// scripted receiver: the event, and a rejection that fails the call with everything undone.

#include "identity/post_confirmation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "identity/codes.h"
#include "identity/testing/user_service_fixture.h"
#include "triggers/testing/scripted_invoker.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;
using triggers::Trigger;
using triggers::TriggerCall;

Result<json::object> Accept(const TriggerCall&) { return json::object(); }
Result<json::object> Reject(const TriggerCall&) {
  return Error::Make("UserLambdaValidationException", "PostConfirmation failed with error no.");
}

class PostConfirmationTest : public fakes::UserServiceFixture {
 protected:
  void SetUp() override {
    directory_.set_triggers(&invoker_);
    pool_id_ = NewPool({{"AutoVerifiedAttributes", json::array{"email"}},
                        {"AliasAttributes", json::array{"email"}}});
    client_id_ = NewClient(pool_id_);
    Ok(users_.SignUp({{"ClientId", client_id_},
                      {"Username", "alice"},
                      {"Password", "Passw0rd!"},
                      {"UserAttributes", Attrs({{"email", "alice@example.com"}})}}));
    code_ = LastCode();
  }
  Result<json::object> Confirm(std::string_view code) {
    return users_.ConfirmSignUp({{"ClientId", client_id_},
                                 {"Username", "alice"},
                                 {"ConfirmationCode", code},
                                 {"ClientMetadata", {{"source", "web"}}}});
  }
  std::vector<TriggerCall> Calls() const { return invoker_.calls(Trigger::kPostConfirmation); }
  // The user's attributes as AdminGetUser shows them.
  json::value Attributes() { return GetUser(pool_id_, "alice").at("UserAttributes"); }

  triggers::fakes::ScriptedInvoker invoker_;
  std::string pool_id_;
  std::string client_id_;
  std::string code_;
};

TEST_F(PostConfirmationTest, ConfirmSignUpSendsTheConfirmedUser) {
  invoker_.On(Trigger::kPostConfirmation, Accept);
  Ok(Confirm(code_));
  ASSERT_EQ(Calls().size(), 1u);
  const TriggerCall call = Calls()[0];
  EXPECT_EQ(call.trigger_source, "PostConfirmation_ConfirmSignUp");
  EXPECT_EQ(call.user_name, "alice");
  EXPECT_EQ(call.client_id, client_id_);
  const json::object& attrs = call.request.at("userAttributes").as_object();
  EXPECT_EQ(attrs.at("cognito:user_status"), "CONFIRMED");
  EXPECT_EQ(attrs.at("email_verified"), "true");
  EXPECT_EQ(attrs.at("sub").as_string(), Stored(pool_id_, "alice")->sub);
  EXPECT_EQ(call.request.at("clientMetadata"), (json::object{{"source", "web"}}));
  EXPECT_EQ(GetUser(pool_id_, "alice").at("UserStatus"), "CONFIRMED");
}

TEST_F(PostConfirmationTest, WithoutTheTriggerNothingIsCalled) {
  Ok(Confirm(code_));
  EXPECT_TRUE(invoker_.calls().empty());
}

TEST_F(PostConfirmationTest, RejectionUndoesConfirmSignUpAndKeepsTheCode) {
  invoker_.On(Trigger::kPostConfirmation, Reject);
  Error e = Fails(Confirm(code_));
  EXPECT_EQ(e.type, "UserLambdaValidationException");
  EXPECT_EQ(e.message, "PostConfirmation failed with error no.");
  EXPECT_EQ(GetUser(pool_id_, "alice").at("UserStatus"), "UNCONFIRMED");
  EXPECT_FALSE(AttrOf(Attributes(), "email_verified").has_value());
  // The verified alias went with the undo: the email does not name alice.
  EXPECT_FALSE(Stored(pool_id_, "alice@example.com").has_value());
  // The same code works once the receiver agrees.
  invoker_.On(Trigger::kPostConfirmation, Accept);
  Ok(Confirm(code_));
  EXPECT_EQ(GetUser(pool_id_, "alice").at("UserStatus"), "CONFIRMED");
  EXPECT_EQ(Stored(pool_id_, "alice@example.com")->username, "alice");
}

TEST_F(PostConfirmationTest, UnreachableReceiverUndoesToo) {
  invoker_.On(Trigger::kPostConfirmation, [](const TriggerCall&) -> Result<json::object> {
    return Error::Make("UnexpectedLambdaException", "unreachable");
  });
  EXPECT_EQ(Fails(Confirm(code_)).type, "UnexpectedLambdaException");
  EXPECT_EQ(GetUser(pool_id_, "alice").at("UserStatus"), "UNCONFIRMED");
}

TEST_F(PostConfirmationTest, AdminConfirmSignUpFiresAndUndoes) {
  invoker_.On(Trigger::kPostConfirmation, Reject);
  json::object request{{"UserPoolId", pool_id_}, {"Username", "alice"}};
  EXPECT_EQ(Fails(users_.AdminConfirmSignUp(request)).type, "UserLambdaValidationException");
  EXPECT_EQ(GetUser(pool_id_, "alice").at("UserStatus"), "UNCONFIRMED");
  const TriggerCall call = Calls().back();
  EXPECT_EQ(call.trigger_source, "PostConfirmation_ConfirmSignUp");
  EXPECT_EQ(call.client_id, "");
  // The pending sign-up code was not deleted: it still confirms.
  invoker_.On(Trigger::kPostConfirmation, Accept);
  Ok(Confirm(code_));

  // And an admin confirmation that the receiver accepts deletes the pending code.
  Ok(users_.SignUp({{"ClientId", client_id_},
                    {"Username", "bob"},
                    {"Password", "Passw0rd!"},
                    {"UserAttributes", Attrs({{"email", "bob@example.com"}})}}));
  Ok(users_.AdminConfirmSignUp({{"UserPoolId", pool_id_}, {"Username", "bob"}}));
  EXPECT_EQ(GetUser(pool_id_, "bob").at("UserStatus"), "CONFIRMED");
  auto code = stores_.codes->GetCode(pool_id_, Stored(pool_id_, "bob")->username_key, "signup");
  ASSERT_TRUE(code.ok());
  EXPECT_FALSE(code->has_value());
}

class PostConfirmationResetTest : public PostConfirmationTest {
 protected:
  void SetUp() override {
    PostConfirmationTest::SetUp();
    Ok(Confirm(code_));  // no trigger yet
    Ok(users_.ForgotPassword({{"ClientId", client_id_}, {"Username", "alice"}}));
    reset_code_ = LastCode();
    before_ = *Stored(pool_id_, "alice");
    PutRefreshToken(pool_id_, before_.username_key, "t1");
  }
  Result<json::object> Reset() {
    return users_.ConfirmForgotPassword({{"ClientId", client_id_},
                                         {"Username", "alice"},
                                         {"ConfirmationCode", reset_code_},
                                         {"Password", "N3wPassw0rd!"}});
  }
  std::string reset_code_;
  store::UserRecord before_;
};

TEST_F(PostConfirmationResetTest, ConfirmForgotPasswordSendsItsSource) {
  invoker_.On(Trigger::kPostConfirmation, Accept);
  Ok(Reset());
  const TriggerCall call = Calls().back();
  EXPECT_EQ(call.trigger_source, "PostConfirmation_ConfirmForgotPassword");
  EXPECT_EQ(call.request.at("userAttributes").at("cognito:user_status"), "CONFIRMED");
  EXPECT_FALSE(call.request.contains("clientMetadata"));
  EXPECT_NE(Stored(pool_id_, "alice")->password_hash, before_.password_hash);
  EXPECT_TRUE(Revoked("t1"));
}

TEST_F(PostConfirmationResetTest, RejectionKeepsTheOldPasswordSessionsAndCode) {
  invoker_.On(Trigger::kPostConfirmation, Reject);
  EXPECT_EQ(Fails(Reset()).type, "UserLambdaValidationException");
  store::UserRecord after = *Stored(pool_id_, "alice");
  EXPECT_EQ(after.password_hash, before_.password_hash);
  EXPECT_EQ(after.srp_verifier_sealed, before_.srp_verifier_sealed);
  EXPECT_EQ(after.password_changed_ms, before_.password_changed_ms);
  EXPECT_EQ(after.status, "CONFIRMED");
  EXPECT_FALSE(Revoked("t1"));
  // The code was put back: the reset succeeds with it once the receiver agrees.
  invoker_.On(Trigger::kPostConfirmation, Accept);
  Ok(Reset());
  EXPECT_NE(Stored(pool_id_, "alice")->password_hash, before_.password_hash);
  EXPECT_TRUE(Revoked("t1"));
}

TEST_F(PostConfirmationResetTest, ANewCodeSentMeanwhileIsNotOverwritten) {
  // The receiver asks for a new code before it fails: that new code stays the valid one.
  std::string newer;
  invoker_.On(Trigger::kPostConfirmation, [&](const TriggerCall&) -> Result<json::object> {
    Ok(users_.ForgotPassword({{"ClientId", client_id_}, {"Username", "alice"}}));
    newer = LastCode();
    return Reject(TriggerCall{});
  });
  EXPECT_EQ(Fails(Reset()).type, "UserLambdaValidationException");
  invoker_.Off(Trigger::kPostConfirmation);
  EXPECT_EQ(Fails(Reset()).type, "CodeMismatchException");
  reset_code_ = newer;
  Ok(Reset());
}

}  // namespace
}  // namespace cognate::identity
