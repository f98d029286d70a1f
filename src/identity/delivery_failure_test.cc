// What a failed delivery leaves behind: nothing half-made. SignUp and AdminCreateUser remove
// the user they created, a failed code send keeps the previous code (and counts against the
// send rate), a failed invitation resend keeps the previous temporary password.

#include <gtest/gtest.h>

#include "delivery/testing/fake_sender.h"
#include "identity/codes.h"
#include "identity/testing/user_service_fixture.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

constexpr char kPassword[] = "Passw0rd!";

class DeliveryFailureTest : public fakes::UserServiceFixture {
 protected:
  void SetUp() override {
    pool_id_ = NewPool({{"AutoVerifiedAttributes", json::array{"email"}}});
    client_id_ = NewClient(pool_id_);
  }
  Result<json::object> SignUp(std::string_view username) {
    return users_.SignUp({{"ClientId", client_id_},
                          {"Username", username},
                          {"Password", kPassword},
                          {"UserAttributes", Attrs({{"email", "alice@example.com"}})}});
  }
  Result<json::object> Create(std::string_view username, json::object extra = {}) {
    extra["UserPoolId"] = pool_id_;
    extra["Username"] = username;
    extra["UserAttributes"] = Attrs({{"email", "bob@example.com"}});
    return users_.AdminCreateUser(extra);
  }
  PoolContext Pool() { return *directory_.LoadPool(pool_id_); }

  std::string pool_id_;
  std::string client_id_;
};

TEST_F(DeliveryFailureTest, FailedSignUpLeavesNoUserAndCanBeRetried) {
  sender_.set_fail(true);
  EXPECT_EQ(Fails(SignUp("alice")).type, "InternalErrorException");  // the sender's error
  EXPECT_FALSE(Stored(pool_id_, "alice").has_value());
  EXPECT_EQ(Fails(users_.AdminGetUser({{"UserPoolId", pool_id_}, {"Username", "alice"}})).type,
            "UserNotFoundException");
  sender_.set_fail(false);
  Ok(SignUp("alice"));
  EXPECT_EQ(sender_.last().purpose, "signup");
}

TEST_F(DeliveryFailureTest, MessagesCarryTheUsersAttributes) {
  Ok(SignUp("alice"));
  const auto attributes = sender_.last().user_attributes;
  EXPECT_EQ(attributes.at("email"), "alice@example.com");
  EXPECT_EQ(attributes.at("sub"), Stored(pool_id_, "alice")->sub);
  EXPECT_EQ(sender_.last().client_id, client_id_);
}

TEST_F(DeliveryFailureTest, FailedResendKeepsThePreviousCode) {
  Ok(SignUp("alice"));
  const std::string first = LastCode();
  sender_.set_fail(true);
  Fails(users_.ResendConfirmationCode({{"ClientId", client_id_}, {"Username", "alice"}}));
  sender_.set_fail(false);
  Ok(users_.ConfirmSignUp(
      {{"ClientId", client_id_}, {"Username", "alice"}, {"ConfirmationCode", first}}));
  EXPECT_EQ(GetUser(pool_id_, "alice").at("UserStatus"), "CONFIRMED");
}

TEST_F(DeliveryFailureTest, AnUndeliveredCodeNeverWorksAndStillCountsAgainstTheRate) {
  Ok(SignUp("alice"));
  const store::UserRecord user = *Stored(pool_id_, "alice");
  delivery::fakes::FakeSender failing;
  failing.FailAlways(delivery::DeliveryFailure("SMTP smtp://mail:25: Couldn't connect"));
  CodeDelivery codes(directory_, failing);
  for (int i = 0; i < kMaxCodeSendsPerWindow; ++i) {
    auto sent = codes.Send(Pool(), user, kCodePurposeReset, "email", "forgot-password");
    ASSERT_FALSE(sent.ok());
    EXPECT_EQ(sent.error().type, "CodeDeliveryFailureException");
  }
  ASSERT_EQ(failing.calls(), static_cast<size_t>(kMaxCodeSendsPerWindow));
  const std::string unsent = failing.sent().back().code;
  EXPECT_EQ(codes.Verify(Pool(), user, kCodePurposeReset, unsent).error().type,
            "ExpiredCodeException");
  EXPECT_EQ(codes.Send(Pool(), user, kCodePurposeReset, "email", "forgot-password").error().type,
            "LimitExceededException");
}

TEST_F(DeliveryFailureTest, FailedInvitationLeavesNoUserAndCanBeRetried) {
  sender_.set_fail(true);
  Fails(Create("bob"));
  EXPECT_FALSE(Stored(pool_id_, "bob").has_value());
  sender_.set_fail(false);
  Ok(Create("bob"));
  EXPECT_EQ(sender_.last().purpose, "invitation");
  EXPECT_EQ(sender_.last().user_attributes.at("sub"), Stored(pool_id_, "bob")->sub);
}

TEST_F(DeliveryFailureTest, SuppressedInvitationNeverFails) {
  sender_.set_fail(true);
  Ok(Create("bob", {{"MessageAction", "SUPPRESS"}}));
  EXPECT_TRUE(Stored(pool_id_, "bob").has_value());
}

TEST_F(DeliveryFailureTest, FailedInvitationResendKeepsThePreviousPassword) {
  Ok(Create("bob"));
  const std::string first = LastCode();
  const store::UserRecord before = *Stored(pool_id_, "bob");
  sender_.set_fail(true);
  Fails(Create("bob", {{"MessageAction", "RESEND"}}));
  const store::UserRecord after = *Stored(pool_id_, "bob");
  EXPECT_TRUE(hasher_.Verify(after.password_hash, first));
  EXPECT_EQ(after.srp_verifier_sealed, before.srp_verifier_sealed);
  EXPECT_EQ(after.password_changed_ms, before.password_changed_ms);
  EXPECT_EQ(after.status, "FORCE_CHANGE_PASSWORD");
}

}  // namespace
}  // namespace cognate::identity
