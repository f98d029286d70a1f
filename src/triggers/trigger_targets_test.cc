// LambdaConfig targets: which value a trigger uses, and the ARN -> URL map.

#include "triggers/trigger_targets.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "triggers/trigger_event.h"

namespace cognate::triggers {
namespace {

namespace json = boost::json;

constexpr char kArn[] = "arn:aws:lambda:us-east-1:123456789012:function:f";

TEST(TriggerTargetsTest, ConfiguredTargetReadsLambdaConfig) {
  json::object pool{{"LambdaConfig", json::object{{"PreSignUp", "https://a.example.com/p"},
                                                  {"PreTokenGeneration", kArn},
                                                  {"CustomMessage", 5}}}};
  EXPECT_EQ(ConfiguredTarget(pool, Trigger::kPreSignUp), "https://a.example.com/p");
  EXPECT_EQ(ConfiguredTarget(pool, Trigger::kPreTokenGeneration), kArn);
  EXPECT_EQ(ConfiguredTarget(pool, Trigger::kCustomMessage), std::nullopt);  // not a string
  EXPECT_EQ(ConfiguredTarget(pool, Trigger::kUserMigration), std::nullopt);
  EXPECT_EQ(ConfiguredTarget(json::object{{"LambdaConfig", 1}}, Trigger::kPreSignUp),
            std::nullopt);
  // The versioned configuration wins over the legacy member.
  pool["LambdaConfig"].as_object()["PreTokenGenerationConfig"] =
      json::object{{"LambdaVersion", "V2_0"}, {"LambdaArn", "http://v2.example.com/"}};
  EXPECT_EQ(ConfiguredTarget(pool, Trigger::kPreTokenGeneration), "http://v2.example.com/");
}

TEST(TriggerTargetsTest, ResolvesUrlsAndMappedArns) {
  auto targets = TriggerTargets::Parse(std::string(R"({")") + kArn +
                                       R"(":"https://fn.example.com/hook"})");
  ASSERT_TRUE(targets.ok()) << targets.error().message;
  EXPECT_EQ(targets->size(), 1u);
  EXPECT_EQ(*targets->Resolve(Trigger::kPreSignUp, kArn), "https://fn.example.com/hook");
  EXPECT_EQ(*targets->Resolve(Trigger::kPreSignUp, "http://127.0.0.1:1/x"),
            "http://127.0.0.1:1/x");
  for (std::string_view bad : {"arn:aws:lambda:us-east-1:1:function:g", "ftp://x.example.com/",
                               "not a url", "http://"}) {
    Result<std::string> r = targets->Resolve(Trigger::kCustomMessage, bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().type, "UnexpectedLambdaException");
    EXPECT_EQ(r.error().message,
              "CustomMessage invocation failed due to error ResourceNotFoundException.");
  }
}

TEST(TriggerTargetsTest, RefusesBadMaps) {
  for (std::string_view bad :
       {"", "[]", "{", R"({"not-an-arn":"http://a.example.com"})",
        R"({"arn:aws:lambda:us-east-1:1:function:f":"ftp://a.example.com"})",
        R"({"arn:aws:lambda:us-east-1:1:function:f":7})"}) {
    auto r = TriggerTargets::Parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().type, "InvalidParameterException") << bad;
  }
  EXPECT_TRUE(TriggerTargets::Parse("{}").ok());
  EXPECT_FALSE(TriggerTargets::Load("/nonexistent/trigger-map.json").ok());
}

TEST(TriggerTargetsTest, LoadsAFile) {
  const std::string path = ::testing::TempDir() + "/trigger-map-test.json";
  std::ofstream(path) << R"({")" << kArn << R"(":"http://127.0.0.1:8080/f"})";
  auto targets = TriggerTargets::Load(path);
  std::remove(path.c_str());
  ASSERT_TRUE(targets.ok()) << targets.error().message;
  EXPECT_EQ(*targets->Resolve(Trigger::kPreSignUp, kArn), "http://127.0.0.1:8080/f");
}

TEST(TriggerEventTest, BoundedTextKeepsUtf8AndDropsControls) {
  EXPECT_EQ(BoundedText("a\r\nb\tc", 100), "a  b c");
  EXPECT_EQ(BoundedText("h\xC3\xA9llo", 2), "h");  // é is not split
  EXPECT_EQ(BoundedText("h\xC3\xA9llo", 3), "h\xC3\xA9");
  EXPECT_EQ(BoundedText(std::string(5000, 'x'), 1024).size(), 1024u);
}

TEST(TriggerEventTest, ReadAnswerTellsEventsFromErrorPayloads) {
  // An event that happens to carry an errorMessage is still an event.
  auto r = ReadAnswer(Trigger::kPreSignUp,
                      {200, R"({"errorMessage":"x","response":{"autoConfirmUser":true}})"});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->at("autoConfirmUser").as_bool());
  // errorType alone names the failure; long messages are bounded.
  r = ReadAnswer(Trigger::kPreSignUp, {200, R"({"errorType":"Runtime.ExitError"})"});
  EXPECT_EQ(r.error().message, "PreSignUp failed with error Runtime.ExitError.");
  const std::string long_payload = R"({"errorMessage":")" + std::string(3000, 'm') + R"("})";
  r = ReadAnswer(Trigger::kUserMigration, {200, long_payload});
  EXPECT_EQ(r.error().type, "UserLambdaValidationException");
  EXPECT_EQ(r.error().message, "UserMigration failed with error " + std::string(1024, 'm') + ".");
  // A redirect is not followed: it is a non-2xx answer.
  r = ReadAnswer(Trigger::kPreSignUp, {302, ""});
  EXPECT_EQ(r.error().message, "PreSignUp failed with error HTTP 302.");
}

}  // namespace
}  // namespace cognate::triggers
