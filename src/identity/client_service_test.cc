// PoolService's app client actions, over the fake stores.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/random.h"
#include "identity/pool_service.h"
#include "identity/testing/service_fixture.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

class AppClientServiceTest : public fakes::PoolServiceFixture {
 protected:
  void SetUp() override { pool_id_ = NewPool(); }

  json::object CreateClient(json::object request) {
    request["UserPoolId"] = pool_id_;
    if (!request.contains("ClientName")) request["ClientName"] = "app";
    json::object out = Ok(service_.CreateUserPoolClient(request));
    return out.contains("UserPoolClient") ? out["UserPoolClient"].as_object() : json::object();
  }
  json::object Describe(const json::value& client_id) {
    json::object out =
        Ok(service_.DescribeUserPoolClient({{"UserPoolId", pool_id_}, {"ClientId", client_id}}));
    return out.contains("UserPoolClient") ? out["UserPoolClient"].as_object() : json::object();
  }

  std::string pool_id_;
};

TEST_F(AppClientServiceTest, CreatePublicClient) {
  json::object client = CreateClient({{"ClientName", "web"}});
  std::string id(client.at("ClientId").as_string());
  EXPECT_EQ(id.size(), 26u);
  EXPECT_TRUE(fakes::AllFrom(id, crypto::kLowerAlnum)) << id;
  EXPECT_EQ(client.at("UserPoolId").as_string(), pool_id_);
  EXPECT_EQ(client.at("ClientName"), "web");
  EXPECT_FALSE(client.contains("ClientSecret"));
  EXPECT_EQ(client.at("CreationDate"), 1700000000.123);
  EXPECT_EQ(client.at("RefreshTokenValidity"), 30);
  EXPECT_FALSE(client.contains("AccessTokenValidity"));
  EXPECT_FALSE(client.contains("TokenValidityUnits"));
  EXPECT_FALSE(client.contains("ExplicitAuthFlows"));
  EXPECT_EQ(client.at("PreventUserExistenceErrors"), "LEGACY");
  EXPECT_EQ(client.at("EnableTokenRevocation"), true);
  EXPECT_EQ(client.at("AuthSessionValidity"), 3);
  EXPECT_EQ(Describe(client.at("ClientId")), client);
  auto record = store_.GetClient(pool_id_, id);
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_TRUE((*record)->secret_sealed.empty());
  EXPECT_FALSE(json::parse((*record)->config_json).as_object().contains("ClientName"));
}

TEST_F(AppClientServiceTest, GeneratedSecretIsSealedAndReturned) {
  json::object client = CreateClient({{"GenerateSecret", true}});
  std::string id(client.at("ClientId").as_string());
  std::string secret(client.at("ClientSecret").as_string());
  EXPECT_EQ(secret.size(), 51u);
  EXPECT_TRUE(fakes::AllFrom(secret, crypto::kLowerAlnum)) << secret;
  auto record = store_.GetClient(pool_id_, id);
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_EQ((*record)->secret_sealed.find(secret), std::string::npos);
  Result<std::string> opened = kek_.Open((*record)->secret_sealed, "client-secret:" + id);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, secret);
  EXPECT_FALSE(kek_.Open((*record)->secret_sealed, "client-secret:other").ok());
  EXPECT_EQ(Describe(client.at("ClientId")).at("ClientSecret").as_string(), secret);
}

TEST_F(AppClientServiceTest, CallerChosenSecret) {
  const std::string mine = "my_own_secret_value_1234567890";
  json::object client = CreateClient({{"GenerateSecret", true}, {"ClientSecret", mine}});
  EXPECT_EQ(client.at("ClientSecret").as_string(), mine);
  Error e = Fails(service_.CreateUserPoolClient({{"UserPoolId", pool_id_},
                                                 {"ClientName", "x"},
                                                 {"GenerateSecret", false},
                                                 {"ClientSecret", mine}}));
  EXPECT_EQ(e.type, "InvalidParameterException");
}

TEST_F(AppClientServiceTest, RulesAreCheckedAgainstThePool) {
  Error e = Fails(service_.CreateUserPoolClient({{"UserPoolId", pool_id_},
                                                 {"ClientName", "x"},
                                                 {"ReadAttributes", json::array{"custom:tier"}}}));
  EXPECT_EQ(e.message, "Invalid read attributes specified while creating a client");
  Ok(service_.AddCustomAttributes(
      {{"UserPoolId", pool_id_}, {"CustomAttributes", json::parse(R"([{"Name":"tier"}])")}}));
  json::object client = CreateClient({{"ReadAttributes", json::array{"email", "custom:tier"}}});
  EXPECT_EQ(client.at("ReadAttributes"), json::parse(R"(["email","custom:tier"])"));
  e = Fails(
      service_.CreateUserPoolClient({{"UserPoolId", pool_id_},
                                     {"ClientName", "x"},
                                     {"AllowedOAuthFlows", json::array{"client_credentials"}}}));
  EXPECT_EQ(e.type, "InvalidOAuthFlowException");
  client = CreateClient(
      {{"GenerateSecret", true}, {"AllowedOAuthFlows", json::array{"client_credentials"}}});
  EXPECT_EQ(client.at("AllowedOAuthFlows"), json::array{"client_credentials"});
}

TEST_F(AppClientServiceTest, MissingPoolOrClientIsNotFound) {
  json::object no_pool{
      {"UserPoolId", "eu-west-1_nothere1"}, {"ClientId", "abc"}, {"ClientName", "x"}};
  for (const Result<json::object>& r :
       {service_.CreateUserPoolClient(no_pool), service_.DescribeUserPoolClient(no_pool),
        service_.UpdateUserPoolClient(no_pool), service_.DeleteUserPoolClient(no_pool),
        service_.ListUserPoolClients(no_pool)}) {
    Error e = Fails(r);
    EXPECT_EQ(e.type, "ResourceNotFoundException");
    EXPECT_EQ(e.message, "User pool eu-west-1_nothere1 does not exist.");
  }
  json::object no_client{{"UserPoolId", pool_id_}, {"ClientId", "abc"}};
  for (const Result<json::object>& r :
       {service_.DescribeUserPoolClient(no_client), service_.UpdateUserPoolClient(no_client),
        service_.DeleteUserPoolClient(no_client)}) {
    Error e = Fails(r);
    EXPECT_EQ(e.type, "ResourceNotFoundException");
    EXPECT_EQ(e.message, "User pool client abc does not exist.");
  }
}

TEST_F(AppClientServiceTest, ClientsBelongToTheirPool) {
  json::object client = CreateClient({});
  std::string other = NewPool();
  Error e = Fails(service_.DescribeUserPoolClient(
      {{"UserPoolId", other}, {"ClientId", client.at("ClientId")}}));
  EXPECT_EQ(e.type, "ResourceNotFoundException");
}

TEST_F(AppClientServiceTest, UpdateResetsOmittedMembersAndKeepsTheSecret) {
  json::object client =
      CreateClient({{"GenerateSecret", true},
                    {"AccessTokenValidity", 2},
                    {"ExplicitAuthFlows", json::array{"ALLOW_USER_PASSWORD_AUTH"}},
                    {"PreventUserExistenceErrors", "ENABLED"}});
  EXPECT_EQ(client.at("AccessTokenValidity"), 2);
  clock_.AdvanceMs(2000);
  json::object out = Ok(service_.UpdateUserPoolClient(
      {{"UserPoolId", pool_id_}, {"ClientId", client.at("ClientId")}, {"ClientName", "renamed"}}));
  json::object updated = out.at("UserPoolClient").as_object();
  EXPECT_EQ(updated.at("ClientName"), "renamed");
  EXPECT_EQ(updated.at("ClientSecret"), client.at("ClientSecret"));
  EXPECT_FALSE(updated.contains("AccessTokenValidity"));
  EXPECT_FALSE(updated.contains("ExplicitAuthFlows"));
  EXPECT_EQ(updated.at("PreventUserExistenceErrors"), "LEGACY");
  EXPECT_EQ(updated.at("CreationDate"), 1700000000.123);
  EXPECT_EQ(updated.at("LastModifiedDate"), 1700000002.123);
  EXPECT_EQ(Describe(client.at("ClientId")), updated);
  out = Ok(service_.UpdateUserPoolClient({{"UserPoolId", pool_id_},
                                          {"ClientId", client.at("ClientId")},
                                          {"EnablePropagateAdditionalUserContextData", true}}));
  EXPECT_EQ(out.at("UserPoolClient").at("ClientName"), "renamed");  // kept when omitted
  EXPECT_EQ(out.at("UserPoolClient").at("EnablePropagateAdditionalUserContextData"), true);
  Error e = Fails(service_.UpdateUserPoolClient(
      {{"UserPoolId", pool_id_}, {"ClientId", client.at("ClientId")}, {"IdTokenValidity", 48}}));
  EXPECT_EQ(e.message, "Id token validity must be between 5 minutes and 1 day.");
  EXPECT_EQ(Describe(client.at("ClientId")).at("EnablePropagateAdditionalUserContextData"), true);
}

TEST_F(AppClientServiceTest, DeleteRemovesTheClient) {
  json::object client = CreateClient({});
  json::object request{{"UserPoolId", pool_id_}, {"ClientId", client.at("ClientId")}};
  EXPECT_EQ(Ok(service_.DeleteUserPoolClient(request)), json::object());
  EXPECT_EQ(Fails(service_.DescribeUserPoolClient(request)).type, "ResourceNotFoundException");
  EXPECT_EQ(Fails(service_.DeleteUserPoolClient(request)).type, "ResourceNotFoundException");
}

TEST_F(AppClientServiceTest, ListUserPoolClientsPaginates) {
  std::set<std::string> created;
  for (int i = 0; i < 5; ++i) {
    created.insert(std::string(
        CreateClient({{"ClientName", "c" + std::to_string(i)}}).at("ClientId").as_string()));
  }
  std::string other = NewPool();
  Ok(service_.CreateUserPoolClient({{"UserPoolId", other}, {"ClientName", "elsewhere"}}));
  std::set<std::string> listed;
  json::object request{{"UserPoolId", pool_id_}, {"MaxResults", 2}};
  int pages = 0;
  while (pages < 5) {
    json::object out = Ok(service_.ListUserPoolClients(request));
    ++pages;
    for (const json::value& item : out.at("UserPoolClients").as_array()) {
      EXPECT_EQ(item.as_object().size(), 3u);
      EXPECT_EQ(item.at("UserPoolId").as_string(), pool_id_);
      EXPECT_TRUE(item.at("ClientName").as_string().starts_with("c"));
      listed.insert(std::string(item.at("ClientId").as_string()));
    }
    if (!out.contains("NextToken")) break;
    request["NextToken"] = out.at("NextToken");
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(listed, created);
  json::object all = Ok(service_.ListUserPoolClients({{"UserPoolId", pool_id_}}));
  EXPECT_EQ(all.at("UserPoolClients").as_array().size(), 5u);  // MaxResults defaults to 60
  EXPECT_FALSE(all.contains("NextToken"));
  Error e = Fails(service_.ListUserPoolClients(
      {{"UserPoolId", pool_id_}, {"NextToken", crypto::Base64UrlEncode("not a client id")}}));
  EXPECT_EQ(e.type, "InvalidParameterException");
}

TEST_F(AppClientServiceTest, AtMostAThousandClientsPerPool) {
  store_.SetClientCountForTest(999);
  CreateClient({});
  store_.SetClientCountForTest(1000);
  Error e = Fails(service_.CreateUserPoolClient({{"UserPoolId", pool_id_}, {"ClientName", "x"}}));
  EXPECT_EQ(e.type, "LimitExceededException");
}

}  // namespace
}  // namespace cognate::identity
