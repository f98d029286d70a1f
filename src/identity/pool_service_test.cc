#include "identity/pool_service.h"
#include "identity/retry.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/random.h"
#include "identity/testing/service_fixture.h"
#include "token/rsa_key.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

class PoolServiceTest : public fakes::PoolServiceFixture {};

TEST_F(PoolServiceTest, CreateReturnsTheDescribedPoolWithCognitoDefaults) {
  json::object created = Ok(service_.CreateUserPool({{"PoolName", "my-pool"}}));
  ASSERT_TRUE(created.contains("UserPool"));
  const json::object& pool = created.at("UserPool").as_object();
  std::string id(pool.at("Id").as_string());
  ASSERT_EQ(id.size(), 19u);
  EXPECT_TRUE(id.starts_with("eu-west-1_")) << id;
  EXPECT_TRUE(fakes::AllFrom(id.substr(10), crypto::kAlnum)) << id;
  EXPECT_EQ(pool.at("Name"), "my-pool");
  EXPECT_EQ(pool.at("Arn").as_string(),
            "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/" + id);
  EXPECT_EQ(pool.at("CreationDate"), 1700000000.123);
  EXPECT_EQ(pool.at("LastModifiedDate"), 1700000000.123);
  EXPECT_EQ(pool.at("EstimatedNumberOfUsers"), 0);
  EXPECT_EQ(pool.at("DeletionProtection"), "INACTIVE");
  EXPECT_EQ(pool.at("MfaConfiguration"), "OFF");
  EXPECT_EQ(pool.at("LambdaConfig"), json::object());
  EXPECT_EQ(pool.at("UserPoolTags"), json::object());
  EXPECT_EQ(pool.at("UserPoolTier"), "ESSENTIALS");
  EXPECT_EQ(pool.at("Policies").at("PasswordPolicy").at("MinimumLength"), 8);
  EXPECT_EQ(pool.at("Policies").at("SignInPolicy"),
            json::parse(R"({"AllowedFirstAuthFactors":["PASSWORD"]})"));
  EXPECT_EQ(pool.at("EmailConfiguration").at("EmailSendingAccount"), "COGNITO_DEFAULT");
  EXPECT_EQ(pool.at("AdminCreateUserConfig").at("UnusedAccountValidityDays"), 7);
  EXPECT_EQ(pool.at("VerificationMessageTemplate").at("DefaultEmailOption"), "CONFIRM_WITH_CODE");
  EXPECT_EQ(pool.at("SchemaAttributes").as_array().size(), 21u);
  for (const char* absent : {"UsernameConfiguration", "AccountRecoverySetting", "Status",
                             "UsernameAttributes", "AliasAttributes", "Domain"}) {
    EXPECT_FALSE(pool.contains(absent)) << absent;
  }
  EXPECT_EQ(DescribePool(id), pool);
}

TEST_F(PoolServiceTest, StoredConfigLeavesOutTheComputedMembers) {
  std::string id = NewPool();
  auto record = store_.GetPool(id);
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_EQ((*record)->name, "test-pool");
  EXPECT_EQ((*record)->created_ms, 1'700'000'000'123);
  json::object config = json::parse((*record)->config_json).as_object();
  for (const char* computed : {"Id", "Name", "Arn", "CreationDate", "LastModifiedDate",
                               "EstimatedNumberOfUsers", "PoolName"}) {
    EXPECT_FALSE(config.contains(computed)) << computed;
  }
  EXPECT_TRUE(config.contains("SchemaAttributes"));
}

TEST_F(PoolServiceTest, CreateGeneratesTwoSealedSigningKeys) {
  // The production key factory, once: real 2048-bit keys.
  PoolService service(store_, store_, store_, kek_, clock_, PoolServiceConfig{});
  json::object created = Ok(service.CreateUserPool({{"PoolName", "keys"}}));
  std::string id(created.at("UserPool").at("Id").as_string());
  EXPECT_TRUE(id.starts_with("us-east-1_"));
  auto keys = store_.ListKeys(id);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].use, "id");
  EXPECT_EQ((*keys)[1].use, "access");
  EXPECT_NE((*keys)[0].kid, (*keys)[1].kid);
  for (const store::SigningKeyRecord& key : *keys) {
    EXPECT_EQ(key.alg, "RS256");
    EXPECT_TRUE(key.active);
    EXPECT_EQ(key.created_ms, clock_.NowMs());
    json::object jwk = json::parse(key.public_jwk_json).as_object();
    EXPECT_EQ(jwk.size(), 3u);
    EXPECT_EQ(jwk.at("kty"), "RSA");
    EXPECT_EQ(jwk.at("e"), "AQAB");
    EXPECT_EQ(crypto::Base64UrlDecode(jwk.at("n").as_string())->size(), 256u);
    Result<std::string> pem = kek_.Open(key.private_key_sealed, "signing-key:" + key.kid);
    ASSERT_TRUE(pem.ok());
    Result<token::RsaKey> parsed = token::RsaKey::FromPrivatePem(*pem);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->Kid(), key.kid);
    EXPECT_EQ(parsed->JwkN(), jwk.at("n").as_string());
    EXPECT_FALSE(kek_.Open(key.private_key_sealed, "signing-key:other").ok());
  }
}

TEST_F(PoolServiceTest, InvalidRequestsCreateNothing) {
  Error e = Fails(service_.CreateUserPool(
      {{"PoolName", "p"}, {"Schema", json::parse(R"([{"Name":"x","Required":true}])")}}));
  EXPECT_EQ(e.type, "InvalidParameterException");
  auto page = store_.ListPools("", 60);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->items.empty());
  EXPECT_TRUE(store_.AllKeys().empty());
}

TEST_F(PoolServiceTest, MissingPoolsAreNotFound) {
  const json::object request{{"UserPoolId", "eu-west-1_nothere1"}};
  for (const Result<json::object>& r :
       {service_.DescribeUserPool(request), service_.UpdateUserPool(request),
        service_.DeleteUserPool(request),
        service_.AddCustomAttributes({{"UserPoolId", "eu-west-1_nothere1"},
                                      {"CustomAttributes", json::parse(R"([{"Name":"a"}])")}})}) {
    Error e = Fails(r);
    EXPECT_EQ(e.type, "ResourceNotFoundException");
    EXPECT_EQ(e.message, "User pool eu-west-1_nothere1 does not exist.");
    EXPECT_EQ(e.http_status, 400);
  }
}

TEST_F(PoolServiceTest, UpdateResetsOmittedMembersAndBumpsLastModified) {
  std::string id = NewPool(json::parse(R"({"MfaConfiguration":"ON","DeletionProtection":"ACTIVE",
      "Schema":[{"Name":"tier"}],"AliasAttributes":["email"],
      "EmailVerificationMessage":"Code {####}"})")
                               .as_object());
  clock_.AdvanceMs(5000);
  json::object out = Ok(service_.UpdateUserPool(
      {{"UserPoolId", id}, {"AutoVerifiedAttributes", json::parse(R"(["email"])")}}));
  EXPECT_EQ(out, json::object());
  json::object pool = DescribePool(id);
  EXPECT_EQ(pool.at("MfaConfiguration"), "OFF");
  EXPECT_EQ(pool.at("DeletionProtection"), "INACTIVE");
  EXPECT_FALSE(pool.contains("EmailVerificationMessage"));
  EXPECT_EQ(pool.at("AutoVerifiedAttributes"), json::parse(R"(["email"])"));
  EXPECT_EQ(pool.at("AliasAttributes"), json::parse(R"(["email"])"));
  EXPECT_EQ(pool.at("SchemaAttributes").as_array().size(), 22u);
  EXPECT_EQ(pool.at("Name"), "test-pool");
  EXPECT_EQ(pool.at("CreationDate"), 1700000000.123);
  EXPECT_EQ(pool.at("LastModifiedDate"), 1700000005.123);
  Ok(service_.UpdateUserPool({{"UserPoolId", id}, {"PoolName", "renamed"}}));
  EXPECT_EQ(DescribePool(id).at("Name"), "renamed");
  Error e = Fails(service_.UpdateUserPool(
      {{"UserPoolId", id},
       {"UserAttributeUpdateSettings",
        json::parse(R"({"AttributesRequireVerificationBeforeUpdate":["phone_number"]})")}}));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(DescribePool(id).at("Name"), "renamed");
}

TEST_F(PoolServiceTest, DeletionProtectionBlocksDelete) {
  std::string id = NewPool({{"DeletionProtection", "ACTIVE"}});
  Error e = Fails(service_.DeleteUserPool({{"UserPoolId", id}}));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message,
            "The user pool cannot be deleted because deletion protection is activated. Deletion "
            "protection must be inactivated first.");
  EXPECT_EQ(DescribePool(id).at("Id").as_string(), id);
  Ok(service_.UpdateUserPool({{"UserPoolId", id}, {"DeletionProtection", "INACTIVE"}}));
  EXPECT_EQ(Ok(service_.DeleteUserPool({{"UserPoolId", id}})), json::object());
  EXPECT_EQ(Fails(service_.DescribeUserPool({{"UserPoolId", id}})).type,
            "ResourceNotFoundException");
  EXPECT_TRUE(store_.AllKeys().empty());
}

TEST_F(PoolServiceTest, ListUserPoolsPaginates) {
  std::set<std::string> created;
  for (int i = 0; i < 5; ++i) created.insert(NewPool({{"PoolName", "p" + std::to_string(i)}}));
  std::vector<std::string> listed;
  json::object request{{"MaxResults", 2}};
  int pages = 0;
  while (true) {
    json::object out = Ok(service_.ListUserPools(request));
    ++pages;
    for (const json::value& item : out.at("UserPools").as_array()) {
      const json::object& pool = item.as_object();
      std::vector<std::string> keys;
      for (const auto& kv : pool) keys.emplace_back(kv.key());
      EXPECT_EQ(keys, (std::vector<std::string>{"Id", "Name", "LambdaConfig", "LastModifiedDate",
                                                "CreationDate"}));
      listed.emplace_back(pool.at("Id").as_string());
    }
    if (!out.contains("NextToken")) break;
    request["NextToken"] = out.at("NextToken");
    ASSERT_LT(pages, 5);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()), created);
  EXPECT_EQ(listed.size(), 5u);
  json::object all = Ok(service_.ListUserPools({{"MaxResults", 60}}));
  EXPECT_EQ(all.at("UserPools").as_array().size(), 5u);
  EXPECT_FALSE(all.contains("NextToken"));
}

TEST_F(PoolServiceTest, ListUserPoolsRejectsForeignTokens) {
  for (const std::string& token : {std::string("!!!"), crypto::Base64UrlEncode("nounderscore")}) {
    Error e = Fails(service_.ListUserPools({{"MaxResults", 10}, {"NextToken", token}}));
    EXPECT_EQ(e.type, "InvalidParameterException") << token;
  }
}

TEST_F(PoolServiceTest, UpdatesRetryWhenAnotherWriterWins) {
  std::string id = NewPool();
  store_.interfering_pool_writes = 2;
  Ok(service_.AddCustomAttributes(
      {{"UserPoolId", id}, {"CustomAttributes", json::array{json::object{{"Name", "tier"}}}}}));
  bool found = false;
  json::object pool = DescribePool(id);
  for (const auto& a : pool["SchemaAttributes"].as_array())
    found = found || a.at("Name") == "custom:tier";
  EXPECT_TRUE(found);

  store_.interfering_pool_writes = kUpdateAttempts;  // Never wins: the caller is told so.
  Error e = Fails(service_.AddCustomAttributes(
      {{"UserPoolId", id}, {"CustomAttributes", json::array{json::object{{"Name", "plan"}}}}}));
  EXPECT_EQ(e.type, "ConcurrentModificationException");
  pool = DescribePool(id);
  for (const auto& a : pool["SchemaAttributes"].as_array()) EXPECT_NE(a.at("Name"), "custom:plan");
}

TEST_F(PoolServiceTest, AddCustomAttributesExtendsTheSchema) {
  std::string id = NewPool();
  clock_.AdvanceMs(1000);
  json::object out = Ok(service_.AddCustomAttributes(
      {{"UserPoolId", id},
       {"CustomAttributes", json::parse(R"([{"Name":"tier","AttributeDataType":"String",
                         "StringAttributeConstraints":{"MinLength":"1","MaxLength":"10"}}])")}}));
  EXPECT_EQ(out, json::object());
  json::object pool = DescribePool(id);
  const json::value& last = pool.at("SchemaAttributes").as_array().back();
  EXPECT_EQ(last, json::parse(R"({"Name":"custom:tier","AttributeDataType":"String",
      "DeveloperOnlyAttribute":false,"Mutable":true,"Required":false,
      "StringAttributeConstraints":{"MinLength":"1","MaxLength":"10"}})"));
  EXPECT_EQ(pool.at("LastModifiedDate"), 1700000001.123);
  Error e = Fails(service_.AddCustomAttributes(
      {{"UserPoolId", id}, {"CustomAttributes", json::parse(R"([{"Name":"tier"}])")}}));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message, "Existing attribute already has name custom:tier.");
  EXPECT_EQ(DescribePool(id).at("SchemaAttributes").as_array().size(), 22u);
}

}  // namespace
}  // namespace cognate::identity
