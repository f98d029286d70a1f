#include "identity/resource_servers.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "identity/testing/oauth_config_fixture.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

class ResourceServerTest : public fakes::OAuthConfigFixture {
 protected:
  void SetUp() override { pool_ = NewPool(); }

  json::object Request(std::string_view text) {
    json::object r = json::parse(text).as_object();
    r["UserPoolId"] = pool_;
    return r;
  }

  std::string pool_;
};

TEST_F(ResourceServerTest, CreatesDescribesUpdatesAndDeletes) {
  json::object created = CreateServer(pool_, "https://api.example.com", {"read", "write"});
  EXPECT_EQ(created, json::parse(R"({"UserPoolId":")" + pool_ + R"(",
      "Identifier":"https://api.example.com","Name":"n-https://api.example.com",
      "Scopes":[{"ScopeName":"read","ScopeDescription":"d-read"},
                {"ScopeName":"write","ScopeDescription":"d-write"}]})"));
  json::object described =
      Ok(servers_.DescribeResourceServer(Request(R"({"Identifier":"https://api.example.com"})")));
  EXPECT_EQ(described["ResourceServer"], created);

  json::object updated = Ok(servers_.UpdateResourceServer(Request(
      R"({"Identifier":"https://api.example.com","Name":"renamed",
          "Scopes":[{"ScopeName":"admin","ScopeDescription":"all"}]})")));
  EXPECT_EQ(updated["ResourceServer"].at("Name"), "renamed");
  EXPECT_EQ(updated["ResourceServer"].at("Scopes"),
            json::parse(R"([{"ScopeName":"admin","ScopeDescription":"all"}])"));
  EXPECT_EQ(Ok(servers_.DescribeResourceServer(
                Request(R"({"Identifier":"https://api.example.com"})")))["ResourceServer"],
            updated["ResourceServer"]);
  // Scopes left out of an update clear them.
  updated = Ok(servers_.UpdateResourceServer(
      Request(R"({"Identifier":"https://api.example.com","Name":"bare"})")));
  EXPECT_EQ(updated["ResourceServer"].at("Scopes"), json::array());

  EXPECT_EQ(
      Ok(servers_.DeleteResourceServer(Request(R"({"Identifier":"https://api.example.com"})"))),
      json::object());
  Error gone = Fails(
      servers_.DescribeResourceServer(Request(R"({"Identifier":"https://api.example.com"})")));
  EXPECT_EQ(gone.type, "ResourceNotFoundException");
}

TEST_F(ResourceServerTest, ScopesDefaultToEmpty) {
  json::object out =
      Ok(servers_.CreateResourceServer(Request(R"({"Identifier":"api","Name":"API"})")));
  EXPECT_EQ(out["ResourceServer"].at("Scopes"), json::array());
}

TEST_F(ResourceServerTest, IdentifierIsUniquePerPool) {
  CreateServer(pool_, "api", {"read"});
  Error e = Fails(servers_.CreateResourceServer(Request(R"({"Identifier":"api","Name":"x"})")));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message, "api already exists in user pool " + pool_ + ".");
  // Another pool may use the same identifier.
  std::string other = NewPool();
  EXPECT_EQ(CreateServer(other, "api").at("UserPoolId").as_string(), other);
}

TEST_F(ResourceServerTest, RefusesDuplicateAndMalformedScopes) {
  Error dup = Fails(servers_.CreateResourceServer(Request(R"({"Identifier":"api","Name":"x",
      "Scopes":[{"ScopeName":"a","ScopeDescription":"1"},{"ScopeName":"a","ScopeDescription":"2"}]})")));
  EXPECT_EQ(dup.type, "InvalidParameterException");
  Error slash = Fails(servers_.CreateResourceServer(Request(
      R"({"Identifier":"api","Name":"x","Scopes":[{"ScopeName":"a/b","ScopeDescription":"1"}]})")));
  EXPECT_EQ(slash.type, "InvalidParameterException");
  Error no_description = Fails(servers_.CreateResourceServer(
      Request(R"({"Identifier":"api","Name":"x","Scopes":[{"ScopeName":"a"}]})")));
  EXPECT_EQ(no_description.type, "InvalidParameterException");
  // Nothing was stored by the failed attempts.
  EXPECT_EQ(Fails(servers_.DescribeResourceServer(Request(R"({"Identifier":"api"})"))).type,
            "ResourceNotFoundException");
}

TEST_F(ResourceServerTest, LimitsScopesPerServer) {
  json::array scopes;
  for (int i = 0; i <= kMaxScopesPerResourceServer; ++i) {
    scopes.push_back(
        json::object{{"ScopeName", "s" + std::to_string(i)}, {"ScopeDescription", "d"}});
  }
  json::object request = Request(R"({"Identifier":"api","Name":"x"})");
  request["Scopes"] = scopes;
  EXPECT_EQ(Fails(servers_.CreateResourceServer(request)).type, "InvalidParameterException");
  scopes.pop_back();
  request["Scopes"] = scopes;
  EXPECT_EQ(
      Ok(servers_.CreateResourceServer(request))["ResourceServer"].at("Scopes").as_array().size(),
      100u);
}

TEST_F(ResourceServerTest, LimitsServersPerPool) {
  for (int i = 0; i < kMaxResourceServersPerPool; ++i)
    CreateServer(pool_, "api" + std::to_string(i));
  Error e =
      Fails(servers_.CreateResourceServer(Request(R"({"Identifier":"one-more","Name":"x"})")));
  EXPECT_EQ(e.type, "LimitExceededException");
  // A taken identifier is still reported as such.
  EXPECT_EQ(
      Fails(servers_.CreateResourceServer(Request(R"({"Identifier":"api0","Name":"x"})"))).type,
      "InvalidParameterException");
}

TEST_F(ResourceServerTest, UnknownPoolAndServer) {
  json::object request{{"UserPoolId", "eu-west-1_Nope00000"}, {"Identifier", "api"}, {"Name", "x"}};
  EXPECT_EQ(Fails(servers_.CreateResourceServer(request)).type, "ResourceNotFoundException");
  EXPECT_EQ(Fails(servers_.ListResourceServers(request)).type, "ResourceNotFoundException");
  for (auto method : {&ResourceServerService::DescribeResourceServer,
                      &ResourceServerService::UpdateResourceServer,
                      &ResourceServerService::DeleteResourceServer}) {
    Error e = Fails((servers_.*method)(Request(R"({"Identifier":"missing","Name":"x"})")));
    EXPECT_EQ(e.type, "ResourceNotFoundException");
    EXPECT_EQ(e.message, "Resource server missing does not exist.");
  }
}

TEST_F(ResourceServerTest, ListsInPages) {
  for (const char* id : {"c", "a", "b", "d", "e"}) CreateServer(pool_, id);
  std::vector<std::string> seen;
  json::object request = Request(R"({"MaxResults":2})");
  for (int pages = 0; pages < 10; ++pages) {
    json::object out = Ok(servers_.ListResourceServers(request));
    for (const json::value& v : out["ResourceServers"].as_array()) {
      seen.emplace_back(v.at("Identifier").as_string());
    }
    EXPECT_LE(out["ResourceServers"].as_array().size(), 2u);
    if (!out.contains("NextToken")) break;
    request["NextToken"] = out["NextToken"];
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  json::object all = Ok(servers_.ListResourceServers(Request("{}")));
  EXPECT_EQ(all["ResourceServers"].as_array().size(), 5u);
  EXPECT_FALSE(all.contains("NextToken"));
  Error bad = Fails(servers_.ListResourceServers(Request(R"({"NextToken":"bm90LW91cnM"})")));
  EXPECT_EQ(bad.type, "InvalidParameterException");
}

TEST_F(ResourceServerTest, CustomScopesOfListsEveryServersScopes) {
  CreateServer(pool_, "b", {"x"});
  CreateServer(pool_, "a", {"read", "write"});
  auto scopes = CustomScopesOf(*stores_.documents, pool_);
  ASSERT_TRUE(scopes.ok());
  EXPECT_EQ(*scopes, (std::vector<std::string>{"a/read", "a/write", "b/x"}));
  EXPECT_TRUE(CustomScopesOf(*stores_.documents, NewPool())->empty());
}

}  // namespace
}  // namespace cognate::identity
