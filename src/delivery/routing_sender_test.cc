// RoutingSender and the --delivery-config file: defaults per channel, per-pool overrides,
// and refusal of configurations that name senders that do not exist.

#include "delivery/routing_sender.h"

#include <gtest/gtest.h>

#include "delivery/testing/fake_sender.h"

namespace cognate::delivery {
namespace {

class RoutingSenderTest : public ::testing::Test {
 protected:
  // Email: outbox, SMTP and a webhook; SMS: outbox and a webhook.
  ChannelChoices Email(SenderKind default_kind) {
    return {{{SenderKind::kOutbox, &outbox_},
             {SenderKind::kSmtp, &smtp_},
             {SenderKind::kWebhook, &email_hook_}},
            default_kind};
  }
  ChannelChoices Sms(SenderKind default_kind) {
    return {{{SenderKind::kOutbox, &outbox_}, {SenderKind::kWebhook, &sms_hook_}}, default_kind};
  }
  static OutgoingMessage Message(std::string pool, std::string channel) {
    OutgoingMessage m;
    m.pool_id = std::move(pool);
    m.channel = std::move(channel);
    return m;
  }
  static DeliveryConfig Config(std::string_view text) {
    Result<DeliveryConfig> config = ParseDeliveryConfig(text);
    EXPECT_TRUE(config.ok()) << config.error().message;
    return config.ok() ? *config : DeliveryConfig{};
  }
  static std::string ConfigError(std::string_view text) {
    Result<DeliveryConfig> config = ParseDeliveryConfig(text);
    return config.ok() ? "OK" : config.error().message;
  }

  fakes::FakeSender outbox_, smtp_, email_hook_, sms_hook_;
};

TEST_F(RoutingSenderTest, ParsesPoolChoices) {
  DeliveryConfig c = Config(R"({"pools":{"us-east-1_Abc":{"email":"outbox","sms":"webhook"},
                                         "eu-west-2_X9":{"email":"smtp"}}})");
  ASSERT_EQ(c.pools.size(), 2u);
  EXPECT_EQ(c.pools["us-east-1_Abc"].email, SenderKind::kOutbox);
  EXPECT_EQ(c.pools["us-east-1_Abc"].sms, SenderKind::kWebhook);
  EXPECT_EQ(c.pools["eu-west-2_X9"].email, SenderKind::kSmtp);
  EXPECT_FALSE(c.pools["eu-west-2_X9"].sms.has_value());
  EXPECT_TRUE(Config("{}").pools.empty());
}

TEST_F(RoutingSenderTest, RefusesMalformedConfigs) {
  EXPECT_NE(ConfigError("{"), "OK");
  EXPECT_NE(ConfigError("[]"), "OK");
  EXPECT_NE(ConfigError(R"({"pool":{}})"), "OK");
  EXPECT_NE(ConfigError(R"({"pools":[]})"), "OK");
  EXPECT_NE(ConfigError(R"({"pools":{"us-east-1_A":"smtp"}})"), "OK");
  EXPECT_NE(ConfigError(R"({"pools":{"not a pool":{"email":"smtp"}}})"), "OK");
  EXPECT_NE(ConfigError(R"({"pools":{"us-east-1_":{"email":"smtp"}}})"), "OK");
  EXPECT_EQ(ConfigError(R"({"pools":{"us-east-1_A":{"sms":"smtp"}}})"),
            "pools.us-east-1_A.sms must be \"webhook\" or \"outbox\"");
  EXPECT_EQ(ConfigError(R"({"pools":{"us-east-1_A":{"email":"SMTP"}}})"),
            "pools.us-east-1_A.email must be \"smtp\", \"webhook\" or \"outbox\"");
  EXPECT_EQ(ConfigError(R"({"pools":{"us-east-1_A":{"emial":"smtp"}}})"),
            "pools.us-east-1_A: unknown member \"emial\"");
}

TEST_F(RoutingSenderTest, DefaultsAndOverridesRouteEachChannel) {
  DeliveryConfig c = Config(R"({"pools":{"us-east-1_Quiet":{"email":"outbox"},
                                         "us-east-1_Hooks":{"email":"webhook","sms":"outbox"}}})");
  Result<RoutingSender> router =
      RoutingSender::Create(c, Email(SenderKind::kSmtp), Sms(SenderKind::kWebhook));
  ASSERT_TRUE(router.ok()) << router.error().message;
  EXPECT_EQ(router->SenderFor("us-east-1_Other", "EMAIL"), &smtp_);
  EXPECT_EQ(router->SenderFor("us-east-1_Other", "SMS"), &sms_hook_);
  EXPECT_EQ(router->SenderFor("us-east-1_Quiet", "EMAIL"), &outbox_);
  EXPECT_EQ(router->SenderFor("us-east-1_Quiet", "SMS"), &sms_hook_);  // not overridden
  EXPECT_EQ(router->SenderFor("us-east-1_Hooks", "EMAIL"), &email_hook_);
  EXPECT_EQ(router->SenderFor("us-east-1_Hooks", "SMS"), &outbox_);

  ASSERT_TRUE(router->Send(Message("us-east-1_Quiet", "EMAIL")).ok());
  ASSERT_TRUE(router->Send(Message("us-east-1_Other", "EMAIL")).ok());
  ASSERT_TRUE(router->Send(Message("us-east-1_Other", "SMS")).ok());
  EXPECT_EQ(outbox_.calls(), 1u);
  EXPECT_EQ(smtp_.calls(), 1u);
  EXPECT_EQ(sms_hook_.calls(), 1u);
  EXPECT_EQ(outbox_.sent()[0].pool_id, "us-east-1_Quiet");
}

TEST_F(RoutingSenderTest, SenderErrorsAndUnknownChannels) {
  Result<RoutingSender> router =
      RoutingSender::Create({}, Email(SenderKind::kSmtp), Sms(SenderKind::kOutbox));
  ASSERT_TRUE(router.ok());
  smtp_.FailAlways(
      Error::Make(kCodeDeliveryFailure, "Invalid email provided/Unable to send the email"));
  Status failed = router->Send(Message("us-east-1_A", "EMAIL"));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().type, kCodeDeliveryFailure);
  Status unknown = router->Send(Message("us-east-1_A", "PIGEON"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().type, "InternalErrorException");
}

TEST_F(RoutingSenderTest, RefusesChoicesThatAreNotConfigured) {
  ChannelChoices email_outbox_only{{{SenderKind::kOutbox, &outbox_}}, SenderKind::kOutbox};
  ChannelChoices sms_outbox_only{{{SenderKind::kOutbox, &outbox_}}, SenderKind::kOutbox};
  Result<RoutingSender> smtp_pool = RoutingSender::Create(
      Config(R"({"pools":{"us-east-1_A":{"email":"smtp"}}})"), email_outbox_only, sms_outbox_only);
  ASSERT_FALSE(smtp_pool.ok());
  EXPECT_EQ(smtp_pool.error().message,
            "pools.us-east-1_A.email uses smtp, which is not configured");
  EXPECT_FALSE(RoutingSender::Create(Config(R"({"pools":{"us-east-1_A":{"sms":"webhook"}}})"),
                                     email_outbox_only, sms_outbox_only)
                   .ok());
  ChannelChoices bad_default{{{SenderKind::kOutbox, &outbox_}}, SenderKind::kWebhook};
  EXPECT_FALSE(RoutingSender::Create({}, email_outbox_only, bad_default).ok());
}

}  // namespace
}  // namespace cognate::delivery
