#include "identity/domains.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "identity/testing/oauth_config_fixture.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

constexpr char kCert[] = "arn:aws:acm:us-east-1:123456789012:certificate/abc";

class DomainTest : public fakes::OAuthConfigFixture {
 protected:
  void SetUp() override { pool_ = NewPool(); }

  json::object Request(const std::string& domain, std::string_view extra = "{}",
                       const std::string& pool = "") {
    json::object r = json::parse(extra).as_object();
    r["UserPoolId"] = pool.empty() ? pool_ : pool;
    r["Domain"] = domain;
    return r;
  }
  json::object Custom(const std::string& domain, const std::string& pool = "") {
    return Request(domain,
                   std::string(R"({"CustomDomainConfig":{"CertificateArn":")") + kCert + R"("}})",
                   pool);
  }
  json::object Describe(const std::string& domain) {
    return Ok(domains_.DescribeUserPoolDomain({{"Domain", domain}}))["DomainDescription"]
        .as_object();
  }

  std::string pool_;
};

TEST_F(DomainTest, PrefixDomainNames) {
  for (const std::string& good :
       {std::string("a"), std::string("my-app"), std::string("app1"), std::string(63, 'x')}) {
    EXPECT_TRUE(CheckPrefixDomain(good).ok()) << good;
  }
  for (const char* bad : {"", "-app", "app-", "My-App", "my_app", "my.app", "app!"}) {
    Status s = CheckPrefixDomain(bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().type, "InvalidParameterException");
    EXPECT_TRUE(s.error().message.starts_with("The domain name contains an invalid character."));
  }
  EXPECT_FALSE(CheckPrefixDomain(std::string(64, 'x')).ok());
  for (const char* word : {"aws", "amazon", "cognito"}) {
    Status s = CheckPrefixDomain(std::string("my-") + word + "-app");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().message, std::string("Domain cannot contain reserved word: ") + word);
  }
}

TEST_F(DomainTest, CustomDomainNames) {
  for (const char* good : {"auth.example.com", "a.b", "login-1.my-app.example.org"}) {
    EXPECT_TRUE(CheckCustomDomain(good).ok()) << good;
  }
  for (const char* bad :
       {"example", "", ".example.com", "auth..example.com", "auth.example.com.", "-a.example.com",
        "Auth.Example.com", "auth.exa_mple.com", "auth.example.com:443"}) {
    EXPECT_FALSE(CheckCustomDomain(bad).ok()) << bad;
  }
}

TEST_F(DomainTest, CreatesAndDescribesAPrefixDomain) {
  EXPECT_EQ(Ok(domains_.CreateUserPoolDomain(Request("my-app"))), json::object());
  json::object d = Describe("my-app");
  EXPECT_EQ(d.at("UserPoolId").as_string(), pool_);
  EXPECT_EQ(d.at("AWSAccountId"), "123456789012");
  EXPECT_EQ(d.at("Domain"), "my-app");
  EXPECT_EQ(d.at("Status"), "ACTIVE");
  EXPECT_EQ(d.at("Version"), "20231114221320");  // the fixture clock, UTC
  EXPECT_TRUE(d.at("CloudFrontDistribution").as_string().ends_with(".cloudfront.net"));
  EXPECT_TRUE(d.contains("S3Bucket"));
  EXPECT_FALSE(d.contains("CustomDomainConfig"));
  EXPECT_EQ(Describe("unknown-domain"), json::object());

  auto owner = PoolOfDomain(*stores_.documents, "My-App");
  ASSERT_TRUE(owner.ok());
  EXPECT_EQ(*owner, pool_);
  EXPECT_EQ(*PoolOfDomain(*stores_.documents, "other"), std::nullopt);
  EXPECT_EQ(*PoolOfDomain(*stores_.documents, ""), std::nullopt);

  json::object pool = Ok(pools_.DescribeUserPool({{"UserPoolId", pool_}}))["UserPool"].as_object();
  EXPECT_EQ(pool.at("Domain"), "my-app");
  EXPECT_FALSE(pool.contains("CustomDomain"));
}

TEST_F(DomainTest, CreatesACustomDomainBesideThePrefixOne) {
  Ok(domains_.CreateUserPoolDomain(Request("my-app", R"({"ManagedLoginVersion":2})")));
  json::object out = Ok(domains_.CreateUserPoolDomain(Custom("auth.example.com")));
  ASSERT_TRUE(out.contains("CloudFrontDomain"));
  json::object d = Describe("auth.example.com");
  EXPECT_EQ(d.at("CustomDomainConfig"),
            json::parse(std::string(R"({"CertificateArn":")") + kCert + "\"}"));
  EXPECT_EQ(d.at("CloudFrontDistribution"), out.at("CloudFrontDomain"));
  EXPECT_EQ(Describe("my-app").at("ManagedLoginVersion"), 2);
  json::object pool = Ok(pools_.DescribeUserPool({{"UserPoolId", pool_}}))["UserPool"].as_object();
  EXPECT_EQ(pool.at("Domain"), "my-app");
  EXPECT_EQ(pool.at("CustomDomain"), "auth.example.com");
}

TEST_F(DomainTest, OneDomainOfEachKindPerPool) {
  Ok(domains_.CreateUserPoolDomain(Request("first")));
  Error e = Fails(domains_.CreateUserPoolDomain(Request("second")));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message, "User pool already has a domain configured.");
  EXPECT_EQ(Fails(domains_.CreateUserPoolDomain(Request("first"))).message,
            "User pool already has a domain configured.");
  Ok(domains_.CreateUserPoolDomain(Custom("a.example.com")));
  EXPECT_EQ(Fails(domains_.CreateUserPoolDomain(Custom("b.example.com"))).message,
            "User pool already has a domain configured.");
}

TEST_F(DomainTest, ADomainBelongsToOnePool) {
  Ok(domains_.CreateUserPoolDomain(Request("shared")));
  std::string other = NewPool();
  Error e = Fails(domains_.CreateUserPoolDomain(Request("shared", "{}", other)));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message, "Domain already associated with another user pool.");
  // The other pool cannot delete or update it either.
  EXPECT_EQ(Fails(domains_.DeleteUserPoolDomain(Request("shared", "{}", other))).message,
            "No such domain or user pool exists.");
  EXPECT_EQ(Describe("shared").at("UserPoolId").as_string(), pool_);
}

TEST_F(DomainTest, RefusesBadNamesAndUnknownPools) {
  EXPECT_EQ(Fails(domains_.CreateUserPoolDomain(Request("my-aws-app"))).message,
            "Domain cannot contain reserved word: aws");
  EXPECT_EQ(Fails(domains_.CreateUserPoolDomain(Custom("nodots"))).type,
            "InvalidParameterException");
  EXPECT_EQ(
      Fails(domains_.CreateUserPoolDomain(Request("app", R"({"ManagedLoginVersion":3})"))).type,
      "InvalidParameterException");
  EXPECT_EQ(Fails(domains_.CreateUserPoolDomain(Request("app", "{}", "eu-west-1_Nope00000"))).type,
            "ResourceNotFoundException");
  EXPECT_EQ(Describe("app"), json::object());
}

TEST_F(DomainTest, UpdatesCertificateAndLoginVersion) {
  Ok(domains_.CreateUserPoolDomain(Custom("auth.example.com")));
  Ok(domains_.CreateUserPoolDomain(Request("my-app")));
  clock_.AdvanceMs(61'000);
  std::string new_cert = "arn:aws:acm:us-east-1:123456789012:certificate/new";
  json::object out = Ok(domains_.UpdateUserPoolDomain(Request(
      "auth.example.com", R"({"CustomDomainConfig":{"CertificateArn":")" + new_cert + R"("}})")));
  EXPECT_TRUE(out.contains("CloudFrontDomain"));
  json::object d = Describe("auth.example.com");
  EXPECT_EQ(d.at("CustomDomainConfig").at("CertificateArn").as_string(), new_cert);
  EXPECT_EQ(d.at("Version"), "20231114221421");

  EXPECT_EQ(Ok(domains_.UpdateUserPoolDomain(Request("my-app", R"({"ManagedLoginVersion":2})"))),
            json::parse(R"({"ManagedLoginVersion":2})"));
  Error e = Fails(domains_.UpdateUserPoolDomain(
      Request("my-app", R"({"CustomDomainConfig":{"CertificateArn":")" + new_cert + R"("}})")));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(Fails(domains_.UpdateUserPoolDomain(Request("unknown-app"))).message,
            "No such domain or user pool exists.");
}

TEST_F(DomainTest, DeletesOnlyWithTheRightPool) {
  Ok(domains_.CreateUserPoolDomain(Request("my-app")));
  EXPECT_EQ(Fails(domains_.DeleteUserPoolDomain(Request("other-app"))).message,
            "No such domain or user pool exists.");
  EXPECT_EQ(
      Fails(domains_.DeleteUserPoolDomain(Request("my-app", "{}", "eu-west-1_Nope00000"))).type,
      "ResourceNotFoundException");
  EXPECT_EQ(Ok(domains_.DeleteUserPoolDomain(Request("my-app"))), json::object());
  EXPECT_EQ(Describe("my-app"), json::object());
  EXPECT_EQ(*PoolOfDomain(*stores_.documents, "my-app"), std::nullopt);
  json::object pool = Ok(pools_.DescribeUserPool({{"UserPoolId", pool_}}))["UserPool"].as_object();
  EXPECT_FALSE(pool.contains("Domain"));
  // Freed: another pool may take it now.
  Ok(domains_.CreateUserPoolDomain(Request("my-app", "{}", NewPool())));
}

}  // namespace
}  // namespace cognate::identity
