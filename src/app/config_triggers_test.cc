// The trigger flags of `cognate serve` and the `cognate trigger-secret` command line.

#include <gtest/gtest.h>

#include "app/config.h"

namespace cognate::app {
namespace {

TEST(TriggerFlagsTest, ParsesTheMapAndCaFile) {
  auto p = ParseArgs({"serve", "--trigger-map", "arns.json", "--trigger-ca-file=ca.pem"});
  ASSERT_TRUE(p.error.empty()) << p.error;
  EXPECT_EQ(p.serve.triggers.map_file, "arns.json");
  EXPECT_EQ(p.serve.triggers.ca_file, "ca.pem");
  EXPECT_TRUE(ParseArgs({"serve"}).serve.triggers.map_file.empty());
}

TEST(TriggerSecretCommandTest, TakesADataDirAndAPoolId) {
  auto p = ParseArgs({"trigger-secret", "--data", "/srv/cognate", "us-east-1_Abc123"});
  ASSERT_TRUE(p.error.empty()) << p.error;
  EXPECT_EQ(p.command, Command::kTriggerSecret);
  EXPECT_EQ(p.serve.data_dir, "/srv/cognate");
  EXPECT_EQ(p.pool_id, "us-east-1_Abc123");
  p = ParseArgs({"trigger-secret", "eu-west-2_X", "--data=d"});
  ASSERT_TRUE(p.error.empty()) << p.error;
  EXPECT_EQ(p.serve.data_dir, "d");
  EXPECT_EQ(p.pool_id, "eu-west-2_X");
  EXPECT_EQ(ParseArgs({"trigger-secret", "us-east-1_A"}).serve.data_dir, "./data");
  EXPECT_EQ(ParseArgs({"trigger-secret", "--help"}).command, Command::kHelp);
}

TEST(TriggerSecretCommandTest, RefusesMissingOrMalformedPoolIds) {
  for (std::vector<std::string> bad :
       {std::vector<std::string>{"trigger-secret"},
        {"trigger-secret", "--data", "d"},
        {"trigger-secret", "nounderscore"},
        {"trigger-secret", "us-east-1_"},
        {"trigger-secret", "us-east-1_a/b"},
        {"trigger-secret", "us-east-1_A", "us-east-1_B"},
        {"trigger-secret", "--listen", "x", "us-east-1_A"},
        {"trigger-secret", std::string(50, 'a') + "_" + std::string(10, 'b')}}) {
    EXPECT_FALSE(ParseArgs(bad).error.empty()) << bad.back();
  }
}

}  // namespace
}  // namespace cognate::app
