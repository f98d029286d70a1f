// SmtpSender and WebhookSender without a server: configuration checks, the composed message,
// and a refused connection reported without secrets (loopback only, no outside network).

#include <gtest/gtest.h>

#include "common/clock.h"
#include "delivery/smtp_sender.h"
#include "delivery/webhook_sender.h"

namespace cognate::delivery {
namespace {

// A loopback port nothing listens on (the discard port; connecting is refused at once).
constexpr char kClosedSmtp[] = "smtp://127.0.0.1:9";
constexpr char kClosedHttp[] = "http://127.0.0.1:9/hook?token=query-secret";

OutgoingMessage Email() {
  OutgoingMessage m;
  m.pool_id = "us-east-1_Abc";
  m.username = "alice";
  m.channel = "EMAIL";
  m.destination = "alice@example.com";
  m.purpose = "signup";
  m.code = "123456";
  m.subject = "Your verification code";
  m.body = "Your confirmation code is 123456";
  return m;
}

SmtpOptions Smtp(std::string url = kClosedSmtp) {
  SmtpOptions o;
  o.url = std::move(url);
  o.username = "mailer";
  o.password = "smtp-password-value";
  o.from = "Example <no-reply@example.com>";
  o.timeouts = {2000, 3000};
  return o;
}

TEST(SmtpSenderTest, RefusesBadConfiguration) {
  FakeClock clock;
  EXPECT_FALSE(SmtpSender::Create(Smtp("http://127.0.0.1:25"), clock).ok());
  EXPECT_FALSE(SmtpSender::Create(Smtp("smtp://"), clock).ok());
  SmtpOptions bad_from = Smtp();
  bad_from.from = "Example <no-reply@example.com>\r\nBcc: eve@example.com";
  EXPECT_FALSE(SmtpSender::Create(bad_from, clock).ok());
  EXPECT_TRUE(SmtpSender::Create(Smtp("smtps://mail.example.com:465"), clock).ok());
}

TEST(SmtpSenderTest, ComposesFromTheOptionsAndTheClock) {
  FakeClock clock(1'700'000'000'000);
  auto sender = SmtpSender::Create(Smtp(), clock);
  ASSERT_TRUE(sender.ok());
  Result<std::string> m = (*sender)->Compose(Email());
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_TRUE(
      m->starts_with("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
                     "From: Example <no-reply@example.com>\r\n"
                     "To: alice@example.com\r\n"
                     "Subject: Your verification code\r\n"
                     "Message-ID: <"))
      << *m;
  EXPECT_NE(m->find("@example.com>\r\nMIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_TRUE(m->ends_with("\r\n\r\nYour confirmation code is 123456\r\n"));
  // Message-IDs are unique.
  EXPECT_NE(*m, *(*sender)->Compose(Email()));
}

TEST(SmtpSenderTest, RefusesSmsAndInjectedHeaders) {
  FakeClock clock;
  auto sender = SmtpSender::Create(Smtp(), clock);
  ASSERT_TRUE(sender.ok());
  OutgoingMessage sms = Email();
  sms.channel = "SMS";
  EXPECT_EQ((*sender)->Send(sms).error().type, kUndeliverable);
  OutgoingMessage evil = Email();
  evil.subject = "Hi\r\nBcc: eve@example.com";
  EXPECT_EQ((*sender)->Send(evil).error().type, kUndeliverable);
  evil = Email();
  evil.destination = "alice@example.com\r\nRCPT TO:<eve@example.com>";
  EXPECT_EQ((*sender)->Send(evil).error().type, kUndeliverable);
}

TEST(SmtpSenderTest, RefusedConnectionIsADeliveryFailureWithoutSecrets) {
  FakeClock clock;
  auto sender = SmtpSender::Create(Smtp(), clock);
  ASSERT_TRUE(sender.ok());
  Status s = (*sender)->Send(Email());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().type, kCodeDeliveryFailure);
  EXPECT_NE(s.error().message.find("smtp://127.0.0.1:9"), std::string::npos) << s.error().message;
  for (const char* secret : {"smtp-password-value", "123456", "alice@example.com"})
    EXPECT_EQ(s.error().message.find(secret), std::string::npos) << s.error().message;
}

TEST(WebhookSenderTest, RefusesBadConfiguration) {
  FakeClock clock;
  EXPECT_FALSE(WebhookSender::Create({"ftp://x/hook", "secret", "us-east-1", "", {}}, clock).ok());
  EXPECT_FALSE(WebhookSender::Create({"http://x/hook", "", "us-east-1", "", {}}, clock).ok());
  EXPECT_TRUE(WebhookSender::Create({"https://x/hook", "s", "us-east-1", "", {}}, clock).ok());
}

TEST(WebhookSenderTest, RefusedConnectionIsADeliveryFailureWithoutSecrets) {
  FakeClock clock;
  auto sender =
      WebhookSender::Create({kClosedHttp, "hook-secret", "us-east-1", "", {2000, 3000}}, clock);
  ASSERT_TRUE(sender.ok());
  Status s = (*sender)->Send(Email());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().type, kCodeDeliveryFailure);
  EXPECT_NE(s.error().message.find("http://127.0.0.1:9"), std::string::npos) << s.error().message;
  for (const char* secret : {"hook-secret", "123456", "query-secret", "/hook"})
    EXPECT_EQ(s.error().message.find(secret), std::string::npos) << s.error().message;
}

TEST(CurlTransferTest, RedactsUrls) {
  EXPECT_EQ(RedactedUrl("https://user:pw@hooks.example.com:8443/p?q=1"),
            "https://hooks.example.com:8443");
  EXPECT_EQ(RedactedUrl("smtps://mail.example.com"), "smtps://mail.example.com");
  EXPECT_EQ(RedactedUrl("not a url"), "<invalid URL>");
  EXPECT_TRUE(IsUrlWithScheme("smtp://mail:25", {"smtp", "smtps"}));
  EXPECT_FALSE(IsUrlWithScheme("smtp:mail", {"smtp"}));
  EXPECT_FALSE(IsUrlWithScheme("https://x", {"http"}));
}

}  // namespace
}  // namespace cognate::delivery
