// The custom sender event WebhookSender posts: trigger sources and the exact member layout of
// Cognito's CustomSMSSender / CustomEmailSender events.

#include "delivery/webhook_event.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace cognate::delivery {
namespace {

namespace json = boost::json;

OutgoingMessage Sms(std::string purpose) {
  OutgoingMessage m;
  m.pool_id = "us-east-1_Abc123";
  m.username = "alice";
  m.channel = "SMS";
  m.destination = "+15555550100";
  m.purpose = std::move(purpose);
  m.code = "123456";
  m.body = "Your code is 123456";
  return m;
}

std::string Trigger(std::string channel, std::string purpose) {
  OutgoingMessage m = Sms(std::move(purpose));
  m.channel = std::move(channel);
  Result<std::string> t = TriggerSource(m);
  return t.ok() ? *t : "error:" + t.error().type;
}

TEST(WebhookEventTest, TriggerSourcesFollowCognito) {
  EXPECT_EQ(Trigger("SMS", "signup"), "CustomSMSSender_SignUp");
  EXPECT_EQ(Trigger("SMS", "resend"), "CustomSMSSender_ResendCode");
  EXPECT_EQ(Trigger("SMS", "forgot-password"), "CustomSMSSender_ForgotPassword");
  EXPECT_EQ(Trigger("SMS", "admin-reset"), "CustomSMSSender_ForgotPassword");
  EXPECT_EQ(Trigger("SMS", "verify-attribute"), "CustomSMSSender_VerifyUserAttribute");
  EXPECT_EQ(Trigger("SMS", "update-attribute"), "CustomSMSSender_UpdateUserAttribute");
  EXPECT_EQ(Trigger("SMS", "invitation"), "CustomSMSSender_AdminCreateUser");
  EXPECT_EQ(Trigger("SMS", "mfa"), "CustomSMSSender_Authentication");
  EXPECT_EQ(Trigger("EMAIL", "otp"), "CustomEmailSender_Authentication");
  EXPECT_EQ(Trigger("EMAIL", "signup"), "CustomEmailSender_SignUp");
  EXPECT_EQ(Trigger("EMAIL", "invitation"), "CustomEmailSender_AdminCreateUser");
  EXPECT_EQ(Trigger("SMS", "newsletter"), std::string("error:") + kUndeliverable);
  EXPECT_EQ(Trigger("FAX", "signup"), std::string("error:") + kUndeliverable);
}

TEST(WebhookEventTest, SmsEventHasCognitosShape) {
  OutgoingMessage m = Sms("signup");
  m.client_id = "client123";
  m.user_attributes = {{"sub", "0b1c"}, {"phone_number", "+15555550199"}, {"name", "Al"}};
  m.client_metadata = {{"k", "v"}};
  Result<std::string> text = SenderEventJson(m, "eu-west-1");
  ASSERT_TRUE(text.ok());
  const json::value event = json::parse(*text);
  const json::value expected = json::parse(R"({
    "version":"1","triggerSource":"CustomSMSSender_SignUp","region":"eu-west-1",
    "userPoolId":"us-east-1_Abc123","userName":"alice",
    "callerContext":{"awsSdkVersion":"aws-sdk-unknown-unknown","clientId":"client123"},
    "request":{"type":"customSMSSenderRequestV1","code":"123456","clientMetadata":{"k":"v"},
               "userAttributes":{"sub":"0b1c","phone_number":"+15555550100","name":"Al"}},
    "response":{}})");
  // The destination wins over a stored phone number: it is where this message goes.
  EXPECT_EQ(event, expected) << *text;
}

TEST(WebhookEventTest, EmailEventWithoutClient) {
  OutgoingMessage m = Sms("forgot-password");
  m.channel = "EMAIL";
  m.destination = "alice@example.com";
  Result<std::string> text = SenderEventJson(m, "us-east-1");
  ASSERT_TRUE(text.ok());
  const json::object event = json::parse(*text).as_object();
  EXPECT_EQ(event.at("triggerSource"), "CustomEmailSender_ForgotPassword");
  EXPECT_EQ(event.at("callerContext").at("clientId"), "CLIENT_ID_NOT_APPLICABLE");
  const json::object& request = event.at("request").as_object();
  EXPECT_EQ(request.at("type"), "customEmailSenderRequestV1");
  EXPECT_EQ(request.at("userAttributes"), (json::object{{"email", "alice@example.com"}}));
  EXPECT_EQ(request.at("clientMetadata"), json::object());
  EXPECT_EQ(event.at("response"), json::object());
}

TEST(WebhookEventTest, UnknownPurposeIsNotSent) {
  Result<std::string> text = SenderEventJson(Sms("bogus"), "us-east-1");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().type, kUndeliverable);
}

}  // namespace
}  // namespace cognate::delivery
