// CodeDelivery: sending, checking and consuming one-time codes; channel choice and masking.

#include "identity/code_delivery.h"

#include <gtest/gtest.h>

#include "identity/codes.h"
#include "identity/testing/user_service_fixture.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

class CodeDeliveryTest : public fakes::UserServiceFixture {
 protected:
  void SetUp() override {
    pool_id_ = NewPool({{"AutoVerifiedAttributes", json::array{"email"}}});
    auto pool = directory_.LoadPool(pool_id_);
    ASSERT_TRUE(pool.ok());
    pool_ = *pool;
    std::string client = NewClient(pool_id_);
    Ok(users_.SignUp({{"ClientId", client},
                      {"Username", "alice"},
                      {"Password", "Passw0rd!"},
                      {"UserAttributes", Attrs({{"email", "alice@example.com"},
                                                {"phone_number", "+15551234567"}})}}));
    user_ = *Stored(pool_id_, "alice");
  }

  Result<json::object> Send(std::string_view purpose = "verify:email") {
    return codes_.Send(pool_, user_, purpose, "email", "verify-attribute");
  }
  Status Verify(std::string_view code, std::string_view purpose = "verify:email") {
    return codes_.Verify(pool_, user_, purpose, code);
  }
  static std::string TypeOf(const Status& s) { return s.ok() ? "OK" : s.error().type; }

  std::string pool_id_;
  PoolContext pool_;
  store::UserRecord user_;
};

TEST(CodeMaskingTest, MasksLikeCognito) {
  EXPECT_EQ(MaskEmail("alice@example.com"), "a***@e***");
  EXPECT_EQ(MaskPhone("+15551234567"), "+*******4567");
  EXPECT_EQ(MaskPhone("+441234"), "+**1234");
}

TEST_F(CodeDeliveryTest, SendsRenderedMessageAndMaskedDetails) {
  json::object details = Ok(Send());
  EXPECT_EQ(details, (json::object{{"Destination", "a***@e***"},
                                   {"DeliveryMedium", "EMAIL"},
                                   {"AttributeName", "email"}}));
  delivery::OutgoingMessage m = sender_.last();
  EXPECT_EQ(m.channel, "EMAIL");
  EXPECT_EQ(m.destination, "alice@example.com");
  EXPECT_EQ(m.purpose, "verify-attribute");
  EXPECT_EQ(m.code.size(), 6u);
  EXPECT_EQ(m.subject, "Your verification code");
  EXPECT_EQ(m.body, "Your verification code is " + m.code + ". ");
  // Only the hash is stored.
  auto stored = stores_.codes->GetCode(pool_id_, user_.username_key, "verify:email");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->code_hash.find(m.code), std::string::npos);
  EXPECT_EQ((*stored)->expires_ms, clock_.NowMs() + 24 * kHourMs);
}

TEST_F(CodeDeliveryTest, SmsUsesThePhoneAndThePoolTemplate) {
  PoolContext pool = pool_;
  pool.config.Edit()["VerificationMessageTemplate"] = json::object{{"SmsMessage", "Code: {####}"}};
  json::object details = Ok(codes_.Send(pool, user_, "verify:phone_number", "phone_number", "x"));
  EXPECT_EQ(details.at("DeliveryMedium"), "SMS");
  EXPECT_EQ(details.at("Destination"), "+*******4567");
  EXPECT_EQ(sender_.last().body, "Code: " + LastCode());
  EXPECT_EQ(sender_.last().destination, "+15551234567");
}

TEST_F(CodeDeliveryTest, RightCodeWorksOnce) {
  Ok(Send());
  std::string code = LastCode();
  EXPECT_TRUE(Verify(code).ok());
  Status again = Verify(code);
  EXPECT_EQ(TypeOf(again), "ExpiredCodeException");
  EXPECT_EQ(again.error().message, "Invalid code provided, please request a code again.");
}

TEST_F(CodeDeliveryTest, WrongCodeIsAMismatchAndTooManyLockTheCode) {
  Ok(Send());
  std::string code = LastCode();
  std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < kMaxCodeAttempts; ++i) {
    Status s = Verify(wrong);
    EXPECT_EQ(TypeOf(s), "CodeMismatchException");
    EXPECT_EQ(s.error().message, "Invalid verification code provided, please try again.");
  }
  Status locked = Verify(code);
  EXPECT_EQ(TypeOf(locked), "LimitExceededException");
  EXPECT_EQ(locked.error().message, "Attempt limit exceeded, please try after some time.");
  // A new code starts afresh.
  Ok(Send());
  EXPECT_TRUE(Verify(LastCode()).ok());
}

TEST_F(CodeDeliveryTest, ExpiredAndMissingCodes) {
  EXPECT_EQ(TypeOf(Verify("123456")), "ExpiredCodeException");
  Ok(Send());
  clock_.AdvanceMs(24 * kHourMs + 1);
  EXPECT_EQ(TypeOf(Verify(LastCode())), "ExpiredCodeException");
  Ok(Send("reset"));
  clock_.AdvanceMs(kHourMs + 1);
  EXPECT_EQ(TypeOf(Verify(LastCode(), "reset")), "ExpiredCodeException");
}

TEST_F(CodeDeliveryTest, CodesAreBoundToTheirPurpose) {
  Ok(Send("reset"));
  EXPECT_EQ(TypeOf(Verify(LastCode(), "verify:email")), "ExpiredCodeException");
  EXPECT_TRUE(Verify(LastCode(), "reset").ok());
}

TEST_F(CodeDeliveryTest, SendRateIsLimitedPerWindow) {
  for (int i = 0; i < kMaxCodeSendsPerWindow; ++i) Ok(Send());
  Error e = Fails(Send());
  EXPECT_EQ(e.type, "LimitExceededException");
  EXPECT_EQ(e.message, "Attempt limit exceeded, please try after some time.");
  size_t sent = sender_.count();
  clock_.AdvanceMs(kCodeSendWindowMs + 1);
  Ok(Send());
  EXPECT_EQ(sender_.count(), sent + 1);
}

TEST_F(CodeDeliveryTest, SenderFailureIsReported) {
  sender_.set_fail(true);
  EXPECT_EQ(Fails(Send()).type, "InternalErrorException");
}

TEST_F(CodeDeliveryTest, ChannelChoice) {
  json::object both{{"email", "a@b.co"}, {"phone_number", "+15550000000"}};
  EXPECT_EQ(SignUpCodeAttribute(pool_, both), "email");
  EXPECT_EQ(SignUpCodeAttribute(pool_, json::object{{"phone_number", "+15550000000"}}),
            std::nullopt);

  // Legacy (no AccountRecoverySetting): a verified phone first, then a verified email.
  PoolContext legacy = pool_;
  legacy.config.Edit().erase("AccountRecoverySetting");
  json::object verified{{"email", "a@b.co"},
                        {"email_verified", "true"},
                        {"phone_number", "+15550000000"},
                        {"phone_number_verified", "true"}};
  EXPECT_EQ(*RecoveryCodeAttribute(legacy, verified), "phone_number");
  json::object unverified{{"email", "a@b.co"}, {"email_verified", "false"}};
  Result<std::string> none = RecoveryCodeAttribute(legacy, unverified);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().type, "InvalidParameterException");
  EXPECT_EQ(none.error().message,
            "Cannot reset password for the user as there is no registered/verified email or "
            "phone_number");

  PoolContext prioritized = pool_;
  prioritized.config.Edit()["AccountRecoverySetting"] =
      json::object{{"RecoveryMechanisms",
                    json::array{json::object{{"Priority", 2}, {"Name", "verified_phone_number"}},
                                json::object{{"Priority", 1}, {"Name", "verified_email"}}}}};
  EXPECT_EQ(*RecoveryCodeAttribute(prioritized, verified), "email");

  PoolContext admin_only = pool_;
  admin_only.config.Edit()["AccountRecoverySetting"] = json::object{
      {"RecoveryMechanisms", json::array{json::object{{"Priority", 1}, {"Name", "admin_only"}}}}};
  EXPECT_EQ(RecoveryCodeAttribute(admin_only, verified).error().type, "NotAuthorizedException");
}

TEST(SimulatedDetailsTest, DependsOnlyOnTheName) {
  EXPECT_EQ(CodeDelivery::SimulatedDetails("bob@example.com").at("Destination"), "b***@e***");
  EXPECT_EQ(CodeDelivery::SimulatedDetails("+15551112222").at("DeliveryMedium"), "SMS");
  EXPECT_EQ(CodeDelivery::SimulatedDetails("bob").at("AttributeName"), "email");
}

}  // namespace
}  // namespace cognate::identity
