// UserService: ForgotPassword, ConfirmForgotPassword and AdminResetUserPassword.

#include <gtest/gtest.h>

#include "identity/codes.h"
#include "identity/secret_hash.h"
#include "identity/testing/user_service_fixture.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

class ForgotPasswordTest : public fakes::UserServiceFixture {
 protected:
  void SetUp() override { UsePool({}); }

  // A pool with `settings`, a client and a confirmed user "alice" whose email is verified.
  void UsePool(json::object settings, json::object client = {}) {
    pool_id_ = NewPool(std::move(settings));
    secret_.clear();
    client_id_ = NewClient(pool_id_, std::move(client), &secret_);
    AddUser("alice", Attrs({{"email", "alice@example.com"}, {"email_verified", "true"}}));
  }
  void AddUser(std::string_view name, json::array attributes) {
    Ok(users_.AdminCreateUser({{"UserPoolId", pool_id_},
                               {"Username", name},
                               {"MessageAction", "SUPPRESS"},
                               {"UserAttributes", std::move(attributes)}}));
    Ok(users_.AdminSetUserPassword({{"UserPoolId", pool_id_},
                                    {"Username", name},
                                    {"Password", "0ldPassw0rd!"},
                                    {"Permanent", true}}));
  }
  json::object Named(std::string_view username, json::object extra = {}) {
    extra["ClientId"] = client_id_;
    extra["Username"] = username;
    if (!secret_.empty()) extra["SecretHash"] = ComputeSecretHash(username, client_id_, secret_);
    return extra;
  }
  Result<json::object> Reset(std::string_view username, std::string_view code,
                             std::string_view password = "N3wPassw0rd!") {
    return users_.ConfirmForgotPassword(
        Named(username, {{"ConfirmationCode", code}, {"Password", password}}));
  }

  std::string pool_id_;
  std::string client_id_;
  std::string secret_;
};

TEST_F(ForgotPasswordTest, ResetsThePasswordAndEndsSessions) {
  json::object out = Ok(users_.ForgotPassword(Named("alice")));
  EXPECT_EQ(out.at("CodeDeliveryDetails"), (json::object{{"Destination", "a***@e***"},
                                                         {"DeliveryMedium", "EMAIL"},
                                                         {"AttributeName", "email"}}));
  EXPECT_EQ(sender_.last().purpose, "forgot-password");
  std::string code = LastCode();
  std::string key = Stored(pool_id_, "alice")->username_key;
  PutRefreshToken(pool_id_, key, "t1");
  EXPECT_EQ(Fails(Reset("alice", code, "weak")).type, "InvalidPasswordException");
  Ok(Reset("alice", code));
  store::UserRecord user = *Stored(pool_id_, "alice");
  EXPECT_TRUE(hasher_.Verify(user.password_hash, "N3wPassw0rd!"));
  EXPECT_EQ(user.status, "CONFIRMED");
  EXPECT_TRUE(Revoked("t1"));
  EXPECT_EQ(Fails(Reset("alice", code)).type, "ExpiredCodeException");  // Used once.
}

TEST_F(ForgotPasswordTest, CodeErrors) {
  Ok(users_.ForgotPassword(Named("alice")));
  std::string code = LastCode();
  std::string wrong = code == "000000" ? "111111" : "000000";
  EXPECT_EQ(Fails(Reset("alice", wrong)).type, "CodeMismatchException");
  clock_.AdvanceMs(kForgotPasswordCodeLifetimeMs + 1);
  EXPECT_EQ(Fails(Reset("alice", code)).type, "ExpiredCodeException");
  EXPECT_TRUE(hasher_.Verify(Stored(pool_id_, "alice")->password_hash, "0ldPassw0rd!"));
}

TEST_F(ForgotPasswordTest, UnknownUsers) {
  EXPECT_EQ(Fails(users_.ForgotPassword(Named("ghost"))).type, "UserNotFoundException");
  EXPECT_EQ(Fails(Reset("ghost", "123456")).type, "UserNotFoundException");
  client_id_ = NewClient(pool_id_, {{"PreventUserExistenceErrors", "ENABLED"}});
  secret_.clear();
  json::object out = Ok(users_.ForgotPassword(Named("ghost")));
  EXPECT_EQ(out.at("CodeDeliveryDetails").at("DeliveryMedium"), "EMAIL");
  EXPECT_EQ(Fails(Reset("ghost", "123456")).type, "CodeMismatchException");
}

TEST_F(ForgotPasswordTest, NeedsAVerifiedChannel) {
  AddUser("bob", Attrs({{"email", "bob@example.com"}}));
  Error e = Fails(users_.ForgotPassword(Named("bob")));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message,
            "Cannot reset password for the user as there is no registered/verified email or "
            "phone_number");
}

TEST_F(ForgotPasswordTest, FollowsTheRecoverySetting) {
  auto mechanism = [](std::string_view name) {
    return json::object{
        {"AccountRecoverySetting",
         json::object{
             {"RecoveryMechanisms", json::array{json::object{{"Priority", 1}, {"Name", name}}}}}}};
  };
  UsePool(mechanism("verified_phone_number"));
  AddUser("pat", Attrs({{"email", "p@example.com"},
                        {"email_verified", "true"},
                        {"phone_number", "+15551234567"},
                        {"phone_number_verified", "true"}}));
  json::object out = Ok(users_.ForgotPassword(Named("pat")));
  EXPECT_EQ(out.at("CodeDeliveryDetails").at("DeliveryMedium"), "SMS");
  EXPECT_EQ(sender_.last().destination, "+15551234567");
  EXPECT_EQ(Fails(users_.ForgotPassword(Named("alice"))).type, "InvalidParameterException");

  UsePool(mechanism("admin_only"));
  EXPECT_EQ(Fails(users_.ForgotPassword(Named("alice"))).type, "NotAuthorizedException");
}

TEST_F(ForgotPasswordTest, SecretHashAndDisabledUsers) {
  UsePool({}, {{"GenerateSecret", true}});
  Ok(users_.ForgotPassword(Named("alice")));
  json::object no_hash{{"ClientId", client_id_}, {"Username", "alice"}};
  EXPECT_EQ(Fails(users_.ForgotPassword(no_hash)).type, "NotAuthorizedException");
  Ok(users_.AdminDisableUser({{"UserPoolId", pool_id_}, {"Username", "alice"}}));
  EXPECT_EQ(Fails(users_.ForgotPassword(Named("alice"))).type, "NotAuthorizedException");
}

TEST_F(ForgotPasswordTest, InvitedUsersCannotReset) {
  Ok(users_.AdminCreateUser(
      {{"UserPoolId", pool_id_},
       {"Username", "newbie"},
       {"MessageAction", "SUPPRESS"},
       {"UserAttributes", Attrs({{"email", "n@example.com"}, {"email_verified", "true"}})}}));
  Error e = Fails(users_.ForgotPassword(Named("newbie")));
  EXPECT_EQ(e.type, "NotAuthorizedException");
  EXPECT_EQ(e.message, "User password cannot be reset in the current state.");
}

TEST_F(ForgotPasswordTest, ForgotPasswordIsRateLimited) {
  for (int i = 0; i < kMaxCodeSendsPerWindow; ++i) Ok(users_.ForgotPassword(Named("alice")));
  EXPECT_EQ(Fails(users_.ForgotPassword(Named("alice"))).type, "LimitExceededException");
}

TEST_F(ForgotPasswordTest, AdminResetUserPassword) {
  json::object request{{"UserPoolId", pool_id_}, {"Username", "alice"}};
  std::string old_hash = Stored(pool_id_, "alice")->password_hash;
  Ok(users_.AdminResetUserPassword(request));
  EXPECT_EQ(GetUser(pool_id_, "alice").at("UserStatus"), "RESET_REQUIRED");
  EXPECT_EQ(Stored(pool_id_, "alice")->password_hash, old_hash);
  EXPECT_EQ(sender_.last().purpose, "admin-reset");
  Ok(Reset("alice", LastCode()));
  EXPECT_EQ(GetUser(pool_id_, "alice").at("UserStatus"), "CONFIRMED");

  // Without a verified channel nothing is sent, but the reset still applies.
  AddUser("bob", Attrs({{"email", "bob@example.com"}}));
  size_t sent = sender_.count();
  Ok(users_.AdminResetUserPassword({{"UserPoolId", pool_id_}, {"Username", "bob"}}));
  EXPECT_EQ(sender_.count(), sent);
  EXPECT_EQ(GetUser(pool_id_, "bob").at("UserStatus"), "RESET_REQUIRED");
  EXPECT_EQ(
      Fails(users_.AdminResetUserPassword({{"UserPoolId", pool_id_}, {"Username", "x"}})).type,
      "UserNotFoundException");
}

}  // namespace
}  // namespace cognate::identity
