// Which pools have their own custom sender, per channel.

#include "triggers/custom_sender_router.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace cognate::triggers {
namespace {

TEST(CustomSenderTargetTest, ReadsTheLambdaArnOfTheChannelsSender) {
  auto config = boost::json::parse(R"({"LambdaConfig":{
      "CustomSMSSender":{"LambdaVersion":"V1_0","LambdaArn":"https://hooks.example.com/sms"},
      "PreSignUp":"https://hooks.example.com/pre"}})").as_object();
  EXPECT_EQ(CustomSenderTarget(config, "SMS"), "https://hooks.example.com/sms");
  EXPECT_EQ(CustomSenderTarget(config, "EMAIL"), "");
  EXPECT_EQ(CustomSenderTarget(boost::json::object{}, "SMS"), "");
  auto broken = boost::json::parse(R"({"LambdaConfig":{"CustomEmailSender":"x"}})").as_object();
  EXPECT_EQ(CustomSenderTarget(broken, "EMAIL"), "");
}

}  // namespace
}  // namespace cognate::triggers
