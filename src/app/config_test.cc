#include "app/config.h"

#include <gtest/gtest.h>

namespace cognate::app {
namespace {

TEST(ParseArgsTest, ServeDefaults) {
  auto p = ParseArgs({"serve"});
  ASSERT_TRUE(p.error.empty());
  EXPECT_EQ(p.command, Command::kServe);
  EXPECT_EQ(p.serve.data_dir, "./data");
  EXPECT_EQ(p.serve.host, "127.0.0.1");
  EXPECT_EQ(p.serve.port, 9330);
  EXPECT_EQ(p.serve.region, "us-east-1");
  EXPECT_TRUE(p.serve.public_url.empty());
}

TEST(ParseArgsTest, ServeFlagsBothForms) {
  auto p = ParseArgs({"serve", "--data", "/tmp/x", "--listen=0.0.0.0:8080", "--region",
                      "eu-west-2", "--public-url", "https://id.example.com/", "--log-level",
                      "warn", "--tls-cert", "c.pem", "--tls-key", "k.pem"});
  ASSERT_TRUE(p.error.empty()) << p.error;
  EXPECT_EQ(p.serve.data_dir, "/tmp/x");
  EXPECT_EQ(p.serve.host, "0.0.0.0");
  EXPECT_EQ(p.serve.port, 8080);
  EXPECT_EQ(p.serve.region, "eu-west-2");
  EXPECT_EQ(p.serve.public_url, "https://id.example.com");  // trailing slash dropped
  EXPECT_EQ(p.serve.log_level, LogLevel::kWarn);
  EXPECT_EQ(p.serve.tls_cert, "c.pem");
}

TEST(ParseArgsTest, RejectsBadInput) {
  EXPECT_FALSE(ParseArgs({"serve", "--listen", "nohostport"}).error.empty());
  EXPECT_FALSE(ParseArgs({"serve", "--listen", "127.0.0.1:70000"}).error.empty());
  EXPECT_FALSE(ParseArgs({"serve", "--region", "US_EAST"}).error.empty());
  EXPECT_FALSE(ParseArgs({"serve", "--public-url", "ftp://x"}).error.empty());
  EXPECT_FALSE(ParseArgs({"serve", "--log-level", "loud"}).error.empty());
  EXPECT_FALSE(ParseArgs({"serve", "--tls-cert", "only-cert.pem"}).error.empty());
  EXPECT_FALSE(ParseArgs({"serve", "--data"}).error.empty());
  EXPECT_FALSE(ParseArgs({"serve", "--bogus", "1"}).error.empty());
  EXPECT_FALSE(ParseArgs({"launch"}).error.empty());
}

TEST(ParseArgsTest, StoreAndDomainBase) {
  ParsedArgs p = ParseArgs({"serve", "--store", "postgres://c@db:5432/cognate", "--domain-base",
                            "login.example.com"});
  ASSERT_TRUE(p.error.empty()) << p.error;
  EXPECT_EQ(p.serve.store_url, "postgres://c@db:5432/cognate");
  EXPECT_EQ(p.serve.domain_base, "login.example.com");
  EXPECT_EQ(ParseArgs({"serve"}).serve.store_url, "");
  EXPECT_EQ(ParseArgs({"serve"}).serve.domain_base, "auth.localhost");
  EXPECT_FALSE(ParseArgs({"serve", "--store", "mysql://x"}).error.empty());
  EXPECT_FALSE(ParseArgs({"serve", "--domain-base", "Bad_Domain"}).error.empty());
  EXPECT_FALSE(ParseArgs({"serve", "--domain-base", ".lead"}).error.empty());
}

TEST(ParseArgsTest, SecurityTuning) {
  auto p = ParseArgs({"serve", "--password-hash-memory", "64", "--password-hash-iterations", "3",
                      "--lockout-threshold", "10", "--lockout-max-seconds", "60",
                      "--purge-interval-seconds", "0"});
  ASSERT_TRUE(p.error.empty()) << p.error;
  EXPECT_EQ(p.serve.password_hash_memory_mib, 64);
  EXPECT_EQ(p.serve.password_hash_iterations, 3);
  EXPECT_EQ(p.serve.lockout_threshold, 10);
  EXPECT_EQ(p.serve.lockout_max_seconds, 60);
  EXPECT_EQ(p.serve.purge_interval_seconds, 0);
  EXPECT_EQ(ParseArgs({"serve"}).serve.purge_interval_seconds, 600);
  EXPECT_FALSE(ParseArgs({"serve", "--purge-interval-seconds", "-1"}).error.empty());
  EXPECT_FALSE(ParseArgs({"serve", "--password-hash-memory", "0"}).error.empty());
  EXPECT_FALSE(ParseArgs({"serve", "--lockout-threshold", "x"}).error.empty());
}

TEST(ParseArgsTest, VersionAndHelp) {
  EXPECT_EQ(ParseArgs({"version"}).command, Command::kVersion);
  EXPECT_EQ(ParseArgs({}).command, Command::kHelp);
  EXPECT_EQ(ParseArgs({"--help"}).command, Command::kHelp);
  EXPECT_EQ(ParseArgs({"serve", "--help"}).command, Command::kHelp);
}

TEST(ParseArgsTest, PasswordBlocklistAndMetricsToken) {
  auto p = ParseArgs({"serve", "--password-blocklist", "none", "--metrics-token-file=/t"});
  ASSERT_TRUE(p.error.empty()) << p.error;
  EXPECT_EQ(p.serve.password_blocklist, "none");
  EXPECT_EQ(p.serve.metrics_token_file, "/t");
  EXPECT_TRUE(ParseArgs({"serve"}).serve.password_blocklist.empty());  // john-data's list
  EXPECT_FALSE(ParseArgs({"serve", "--password-blocklist="}).error.empty());
}

TEST(ParseArgsTest, RotateKeys) {
  auto p = ParseArgs({"rotate-keys", "--store", "postgres://db/x", "--publish-ahead=2",
                      "--data", "/srv/c", "us-east-1_Abc"});
  ASSERT_TRUE(p.error.empty()) << p.error;
  EXPECT_EQ(p.command, Command::kRotateKeys);
  EXPECT_EQ(p.serve.store_url, "postgres://db/x");
  EXPECT_EQ(p.serve.data_dir, "/srv/c");
  EXPECT_EQ(p.pool_id, "us-east-1_Abc");
  EXPECT_EQ(p.publish_ahead_seconds, 2);
  EXPECT_EQ(ParseArgs({"rotate-keys", "us-east-1_A"}).publish_ahead_seconds, 300);
  for (std::vector<std::string> bad :
       {std::vector<std::string>{"rotate-keys"},
        {"rotate-keys", "--publish-ahead", "-1", "us-east-1_A"},
        {"rotate-keys", "--publish-ahead", "86401", "us-east-1_A"},
        {"rotate-keys", "--store", "mysql://x", "us-east-1_A"},
        {"rotate-keys", "--listen", "127.0.0.1:1", "us-east-1_A"},
        {"rotate-keys", "us-east-1_A", "--publish-ahead"},
        {"trigger-secret", "--publish-ahead", "2", "us-east-1_A"}}) {
    EXPECT_FALSE(ParseArgs(bad).error.empty()) << bad[1];
  }
  // trigger-secret reads the data keys, so it takes the store too.
  EXPECT_EQ(ParseArgs({"trigger-secret", "--store", "postgres://db/x", "us-east-1_A"})
                .serve.store_url,
            "postgres://db/x");
}

TEST(ParseArgsTest, UsersExportAndImport) {
  auto out = ParseArgs({"users", "export", "--data", "/srv/c", "us-east-1_Abc"});
  ASSERT_TRUE(out.error.empty()) << out.error;
  EXPECT_EQ(out.command, Command::kUsersExport);
  EXPECT_EQ(out.pool_id, "us-east-1_Abc");
  auto in = ParseArgs({"users", "import", "--store=postgres://db/x", "us-east-1_Abc", "u.jsonl"});
  ASSERT_TRUE(in.error.empty()) << in.error;
  EXPECT_EQ(in.command, Command::kUsersImport);
  EXPECT_EQ(in.input_file, "u.jsonl");
  EXPECT_EQ(in.serve.store_url, "postgres://db/x");
  EXPECT_EQ(ParseArgs({"users", "import", "us-east-1_Abc", "-"}).input_file, "-");
  for (std::vector<std::string> bad :
       {std::vector<std::string>{"users"},
        {"users", "delete", "us-east-1_Abc"},
        {"users", "export"},
        {"users", "export", "us-east-1_Abc", "extra"},
        {"users", "import", "us-east-1_Abc", "a", "b"},
        {"users", "import", "not-a-pool"},
        {"users", "export", "--listen", "127.0.0.1:1", "us-east-1_Abc"}}) {
    EXPECT_FALSE(ParseArgs(bad).error.empty()) << bad.back();
  }
}

TEST(ParseArgsTest, RotateMasterKey) {
  auto p = ParseArgs({"rotate-master-key", "--data", "/srv/c", "--new-key-file=/k", "--keep-old"});
  ASSERT_TRUE(p.error.empty()) << p.error;
  EXPECT_EQ(p.command, Command::kRotateMasterKey);
  EXPECT_EQ(p.serve.data_dir, "/srv/c");
  EXPECT_EQ(p.master_key.new_key_file, "/k");
  EXPECT_TRUE(p.master_key.keep_old);
  EXPECT_FALSE(p.master_key.retire_old);
  auto retire = ParseArgs({"rotate-master-key", "--store", "postgres://db/x", "--retire-old"});
  ASSERT_TRUE(retire.error.empty()) << retire.error;
  EXPECT_TRUE(retire.master_key.retire_old);
  EXPECT_TRUE(ParseArgs({"rotate-master-key"}).error.empty());
  for (std::vector<std::string> bad :
       {std::vector<std::string>{"rotate-master-key", "--keep-old", "--retire-old"},
        {"rotate-master-key", "--retire-old", "--new-key-file", "/k"},
        {"rotate-master-key", "--new-key-file"},
        {"rotate-master-key", "--new-key-file="},
        {"rotate-master-key", "us-east-1_A"},
        {"rotate-master-key", "--store", "mysql://x"}}) {
    EXPECT_FALSE(ParseArgs(bad).error.empty()) << bad[1];
  }
}

TEST(ParseListenTest, Ipv6AndPortZero) {
  std::string host;
  unsigned short port = 1;
  ASSERT_TRUE(ParseListen("[::1]:0", host, port));
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 0);
  EXPECT_FALSE(ParseListen("[::1]", host, port));
  EXPECT_FALSE(ParseListen(":80", host, port));
}

}  // namespace
}  // namespace cognate::app
