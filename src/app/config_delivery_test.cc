// The message-delivery flags of `cognate serve`.

#include <gtest/gtest.h>

#include "app/config.h"

namespace cognate::app {
namespace {

TEST(DeliveryFlagsTest, DefaultsSendEverythingToTheOutbox) {
  const DeliveryFlags d = ParseArgs({"serve"}).serve.delivery;
  EXPECT_TRUE(d.smtp_url.empty());
  EXPECT_TRUE(d.sms_webhook_url.empty());
  EXPECT_TRUE(d.email_webhook_url.empty());
  EXPECT_TRUE(d.smtp_starttls_required);
  EXPECT_EQ(d.timeout_seconds, 5);
  EXPECT_EQ(d.attempts, 3);
}

TEST(DeliveryFlagsTest, ParsesEveryFlag) {
  auto p = ParseArgs({"serve",
                      "--smtp-url",
                      "smtp://mail.example.com:587",
                      "--smtp-user",
                      "mailer",
                      "--smtp-password-file",
                      "/run/secrets/smtp",
                      "--smtp-from",
                      "Example <no-reply@example.com>",
                      "--smtp-starttls=optional",
                      "--smtp-ca-file",
                      "ca.pem",
                      "--sms-webhook-url",
                      "https://hooks.example.com/sms",
                      "--email-webhook-url",
                      "http://127.0.0.1:8080/email",
                      "--webhook-secret-file",
                      "hook.key",
                      "--webhook-ca-file",
                      "hooks-ca.pem",
                      "--delivery-config",
                      "routes.json",
                      "--delivery-timeout",
                      "7",
                      "--delivery-attempts",
                      "4"});
  ASSERT_TRUE(p.error.empty()) << p.error;
  const DeliveryFlags& d = p.serve.delivery;
  EXPECT_EQ(d.smtp_url, "smtp://mail.example.com:587");
  EXPECT_EQ(d.smtp_user, "mailer");
  EXPECT_EQ(d.smtp_password_file, "/run/secrets/smtp");
  EXPECT_EQ(d.smtp_from, "Example <no-reply@example.com>");
  EXPECT_FALSE(d.smtp_starttls_required);
  EXPECT_EQ(d.smtp_ca_file, "ca.pem");
  EXPECT_EQ(d.sms_webhook_url, "https://hooks.example.com/sms");
  EXPECT_EQ(d.email_webhook_url, "http://127.0.0.1:8080/email");
  EXPECT_EQ(d.webhook_secret_file, "hook.key");
  EXPECT_EQ(d.webhook_ca_file, "hooks-ca.pem");
  EXPECT_EQ(d.config_file, "routes.json");
  EXPECT_EQ(d.timeout_seconds, 7);
  EXPECT_EQ(d.attempts, 4);
}

TEST(DeliveryFlagsTest, NeverTakesAPasswordOnTheCommandLine) {
  auto p = ParseArgs({"serve", "--smtp-url", "smtps://mail:465", "--smtp-from", "a@b.co",
                      "--smtp-user", "u", "--smtp-password", "hunter2"});
  ASSERT_FALSE(p.error.empty());
  EXPECT_NE(p.error.find("COGNATE_SMTP_PASSWORD"), std::string::npos) << p.error;
  EXPECT_EQ(p.error.find("hunter2"), std::string::npos) << "the value is not echoed";
}

TEST(DeliveryFlagsTest, RefusesBadValuesAndLoneOptions) {
  auto error = [](std::vector<std::string> args) {
    args.insert(args.begin(), "serve");
    return ParseArgs(args).error;
  };
  EXPECT_NE(error({"--smtp-url", "http://mail:25", "--smtp-from", "a@b.co"}), "");
  EXPECT_NE(error({"--smtp-url", "smtp://", "--smtp-from", "a@b.co"}), "");
  EXPECT_NE(error({"--smtp-url", "smtp://mail:25"}), "");  // no From
  EXPECT_NE(error({"--smtp-from", "a@b.co"}), "");         // no URL
  EXPECT_NE(
      error({"--smtp-url", "smtp://mail", "--smtp-from", "a@b.co", "--smtp-password-file", "f"}),
      "");  // a password without a user
  EXPECT_NE(
      error({"--smtp-url", "smtp://mail", "--smtp-from", "a@b.co", "--smtp-starttls", "never"}),
      "");
  EXPECT_NE(error({"--sms-webhook-url", "ftp://hooks/sms"}), "");
  EXPECT_NE(error({"--email-webhook-url", "hooks.example.com"}), "");
  EXPECT_NE(error({"--delivery-timeout", "0"}), "");
  EXPECT_NE(error({"--delivery-attempts", "11"}), "");
  EXPECT_EQ(error({"--smtp-url", "smtp://mail", "--smtp-from", "a@b.co"}), "");
}

TEST(DeliveryFlagsTest, HelpDocumentsTheFlags) {
  const std::string help = HelpText();
  for (const char* flag :
       {"--smtp-url", "--smtp-user", "--smtp-password-file", "--smtp-from", "--smtp-starttls",
        "--smtp-ca-file", "--sms-webhook-url", "--email-webhook-url", "--webhook-secret-file",
        "--delivery-config", "COGNATE_SMTP_PASSWORD"})
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
}

}  // namespace
}  // namespace cognate::app
