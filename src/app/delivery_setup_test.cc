// Start-up of message delivery: secrets from files and the environment, the generated webhook
// secret, and configurations that must not start.

#include "app/delivery_setup.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "delivery/routing_sender.h"

namespace cognate::app {
namespace {

namespace fs = std::filesystem;

class DeliverySetupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "delivery_setup_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    config_.data_dir = dir_.string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << content;
    return path;
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // The error message Build throws, or "OK".
  std::string BuildError() {
    try {
      MessageDelivery::Build(config_, clock_);
      return "OK";
    } catch (const std::exception& e) {
      return e.what();
    }
  }

  fs::path dir_;
  ServeConfig config_;
  FakeClock clock_;
};

TEST_F(DeliverySetupTest, GeneratesThePrivateWebhookSecretOnce) {
  const std::string secret = LoadOrCreateWebhookSecret(dir_.string(), "");
  EXPECT_GE(secret.size(), 32u);
  const std::string path = (dir_ / "webhook-secret").string();
  EXPECT_EQ(Read(path), secret + "\n");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(LoadOrCreateWebhookSecret(dir_.string(), ""), secret);
}

TEST_F(DeliverySetupTest, WebhookSecretFromAFileIsTrimmed) {
  const std::string file = Write("hook.key", "s3cret-value\r\n");
  EXPECT_EQ(LoadOrCreateWebhookSecret(dir_.string(), file), "s3cret-value");
  EXPECT_FALSE(fs::exists(dir_ / "webhook-secret"));
  EXPECT_THROW(LoadOrCreateWebhookSecret(dir_.string(), Write("empty.key", "\n")),
               std::runtime_error);
  EXPECT_THROW(LoadOrCreateWebhookSecret(dir_.string(), (dir_ / "missing").string()),
               std::runtime_error);
}

TEST_F(DeliverySetupTest, SmtpPasswordFromEnvironmentOrFileNeverBoth) {
  DeliveryFlags f;
  EXPECT_EQ(SmtpPassword(f, nullptr), "");
  EXPECT_THROW(SmtpPassword(f, "pw"), std::runtime_error);  // a password but no user
  f.smtp_user = "mailer";
  EXPECT_THROW(SmtpPassword(f, nullptr), std::runtime_error);
  EXPECT_THROW(SmtpPassword(f, ""), std::runtime_error);
  EXPECT_EQ(SmtpPassword(f, "from-env"), "from-env");
  f.smtp_password_file = Write("smtp.pw", "from-file\n");
  EXPECT_EQ(SmtpPassword(f, nullptr), "from-file");
  EXPECT_THROW(SmtpPassword(f, "from-env"), std::runtime_error);
}

TEST_F(DeliverySetupTest, DefaultsToTheOutbox) {
  auto d = MessageDelivery::Build(config_, clock_);
  EXPECT_EQ(d->summary(), "email: outbox, sms: outbox, 0 pool override(s)");
  delivery::OutgoingMessage m;
  m.pool_id = "us-east-1_A";
  m.channel = "SMS";
  m.destination = "+15555550100";
  m.code = "123456";
  ASSERT_TRUE(d->sender().Send(m).ok());
  EXPECT_NE(Read((dir_ / "outbox.jsonl").string()).find("\"code\":\"123456\""), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "webhook-secret")) << "no webhook, no secret";
}

TEST_F(DeliverySetupTest, ChoosesSmtpAndWebhooksAndPoolOverrides) {
  config_.delivery.smtp_url = "smtp://127.0.0.1:9";
  config_.delivery.smtp_from = "no-reply@example.com";
  config_.delivery.sms_webhook_url = "http://127.0.0.1:9/sms";
  config_.delivery.config_file =
      Write("routes.json", R"({"pools":{"us-east-1_Quiet":{"email":"outbox"}}})");
  auto d = MessageDelivery::Build(config_, clock_);
  EXPECT_EQ(d->summary(), "email: smtp, sms: webhook, 1 pool override(s)");
  EXPECT_TRUE(fs::exists(dir_ / "webhook-secret"));
  config_.delivery.smtp_url.clear();
  config_.delivery.email_webhook_url = "http://127.0.0.1:9/email";
  config_.delivery.config_file.clear();
  EXPECT_EQ(MessageDelivery::Build(config_, clock_)->summary(),
            "email: webhook, sms: webhook, 0 pool override(s)");
}

TEST_F(DeliverySetupTest, RefusesConfigurationsThatCannotWork) {
  config_.delivery.config_file =
      Write("routes.json", R"({"pools":{"us-east-1_A":{"email":"smtp"}}})");
  EXPECT_NE(BuildError().find("pools.us-east-1_A.email uses smtp, which is not configured"),
            std::string::npos)
      << BuildError();
  config_.delivery.config_file = Write("bad.json", R"({"pools":{"us-east-1_A":{"sms":"smtp"}}})");
  EXPECT_NE(BuildError().find("--delivery-config"), std::string::npos) << BuildError();
  config_.delivery.config_file = (dir_ / "missing.json").string();
  EXPECT_NE(BuildError(), "OK");
  config_.delivery.config_file.clear();
  config_.delivery.smtp_url = "smtp://127.0.0.1:9";
  config_.delivery.smtp_from = "no-reply@example.com";
  config_.delivery.smtp_user = "mailer";  // and no password anywhere
  ::unsetenv("COGNATE_SMTP_PASSWORD");
  EXPECT_NE(BuildError().find("--smtp-user needs"), std::string::npos) << BuildError();
}

}  // namespace
}  // namespace cognate::app
