// Create/UpdateUserPoolClient with custom scopes: accepted only while the pool has the resource
// server and the scope.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "identity/testing/oauth_config_fixture.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

class ClientCustomScopesTest : public fakes::OAuthConfigFixture {};

TEST_F(ClientCustomScopesTest, ScopeNeedsItsResourceServer) {
  std::string pool = NewPool();
  constexpr char kClient[] = R"({"GenerateSecret":true,"AllowedOAuthFlowsUserPoolClient":true,
      "AllowedOAuthFlows":["client_credentials"],"AllowedOAuthScopes":["api/read"]})";
  auto refused = CreateClient(pool, kClient);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "ScopeDoesNotExistException");
  EXPECT_EQ(refused.error().message, "Invalid scope requested: api/read");

  CreateServer(pool, "api", {"read"});
  auto created = CreateClient(pool, kClient);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->at("AllowedOAuthScopes"), json::parse(R"(["api/read"])"));

  // Another pool's resource server does not count.
  auto elsewhere = CreateClient(NewPool(), kClient);
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(elsewhere.error().type, "ScopeDoesNotExistException");

  // An update is checked against the scopes as they are now.
  json::object update{{"UserPoolId", pool},
                      {"ClientId", created->at("ClientId")},
                      {"AllowedOAuthFlowsUserPoolClient", true},
                      {"AllowedOAuthFlows", json::array{"client_credentials"}},
                      {"AllowedOAuthScopes", json::array{"api/write"}}};
  EXPECT_EQ(Fails(pools_.UpdateUserPoolClient(update)).type, "ScopeDoesNotExistException");
  CreateServer(pool, "other", {"write"});
  EXPECT_EQ(Fails(pools_.UpdateUserPoolClient(update)).message,
            "Invalid scope requested: api/write");
  update["AllowedOAuthScopes"] = json::array{"api/read", "other/write"};
  EXPECT_TRUE(pools_.UpdateUserPoolClient(update).ok());
}

}  // namespace
}  // namespace cognate::identity
