#include "oauth/client_credentials.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "identity/testing/oauth_config_fixture.h"
#include "token/jwt.h"

namespace cognate::oauth {
namespace {

namespace json = boost::json;

constexpr char kM2MClient[] = R"({"GenerateSecret":true,"AllowedOAuthFlowsUserPoolClient":true,
    "AllowedOAuthFlows":["client_credentials"],"AccessTokenValidity":2,
    "TokenValidityUnits":{"AccessToken":"hours"},
    "AllowedOAuthScopes":["api/read","api/write","other/x"]})";

class ClientCredentialsTest : public identity::fakes::OAuthConfigFixture {
 protected:
  void SetUp() override {
    pool_ = NewPool();
    CreateServer(pool_, "api", {"read", "write", "admin"});
    CreateServer(pool_, "other", {"x"});
    client_ = Load(kM2MClient);
  }

  identity::ClientContext Load(std::string_view request) {
    auto created = CreateClient(pool_, request);
    EXPECT_TRUE(created.ok()) << created.error().message;
    if (!created.ok()) return {};
    auto client = directory_.LoadClient(std::string(created->at("ClientId").as_string()));
    EXPECT_TRUE(client.ok());
    return client.ok() ? *client : identity::ClientContext{};
  }
  Result<json::object> Grant(std::optional<std::string_view> scope) {
    return ClientCredentialsGrant(tokens_, *stores_.documents, client_, scope);
  }
  std::string GrantedScope(std::optional<std::string_view> scope) {
    auto out = Grant(scope);
    EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message);
    if (!out.ok()) return "";
    auto jwt = token::ParseJwt(out->at("access_token").as_string());
    return jwt.ok() ? std::string(jwt->claims.at("scope").as_string()) : "";
  }
  void ExpectError(const Result<json::object>& r, const std::string& code) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().type, code);
    EXPECT_EQ(r.error().http_status, 400);
  }

  std::string pool_;
  identity::ClientContext client_;
};

TEST_F(ClientCredentialsTest, IssuesACognitoShapedAccessToken) {
  auto out = Grant("api/read");
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->at("token_type"), "Bearer");
  EXPECT_EQ(out->at("expires_in"), 7200);
  std::vector<std::string> members;
  for (const auto& kv : *out) members.emplace_back(kv.key());
  EXPECT_EQ(members, (std::vector<std::string>{"access_token", "expires_in", "token_type"}));

  auto jwt = token::ParseJwt(out->at("access_token").as_string());
  ASSERT_TRUE(jwt.ok());
  // Signed with the pool's access key.
  auto keys = stores_.keys->ListKeys(pool_);
  ASSERT_TRUE(keys.ok());
  std::string access_kid;
  for (const auto& k : *keys)
    if (k.use == "access") access_kid = k.kid;
  EXPECT_EQ(jwt->kid, access_kid);
  EXPECT_EQ(jwt->header.at("alg"), "RS256");
  auto key = keyring_.VerificationKey(pool_, jwt->kid);
  ASSERT_TRUE(key.ok() && key->has_value());
  EXPECT_TRUE((*key)->VerifyRs256(jwt->signing_input, jwt->signature));

  const json::object& c = jwt->claims;
  std::vector<std::string> names;
  for (const auto& kv : c) names.emplace_back(kv.key());
  EXPECT_EQ(names, (std::vector<std::string>{"sub", "token_use", "scope", "auth_time", "iss", "exp",
                                             "iat", "version", "jti", "client_id"}));
  const int64_t now = clock_.NowSeconds();
  EXPECT_EQ(c.at("sub").as_string(), client_.id());
  EXPECT_EQ(c.at("client_id").as_string(), client_.id());
  EXPECT_EQ(c.at("token_use"), "access");
  EXPECT_EQ(c.at("scope"), "api/read");
  EXPECT_EQ(c.at("iss").as_string(), std::string(identity::fakes::kIssuerBase) + "/" + pool_);
  EXPECT_EQ(c.at("iat"), now);
  EXPECT_EQ(c.at("auth_time"), now);
  EXPECT_EQ(c.at("exp"), now + 7200);
  EXPECT_EQ(c.at("version"), 2);
  EXPECT_EQ(c.at("jti").as_string().size(), 36u);
}

TEST_F(ClientCredentialsTest, UserApisRefuseTheToken) {
  auto out = Grant("api/read");
  ASSERT_TRUE(out.ok());
  auto verified = tokens_.VerifyAccessToken(out->at("access_token").as_string());
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().type, "NotAuthorizedException");
  EXPECT_EQ(verified.error().message, "Invalid Access Token");
}

TEST_F(ClientCredentialsTest, ScopeRules) {
  // No scope: every custom scope the client allows, in the client's order.
  EXPECT_EQ(GrantedScope(std::nullopt), "api/read api/write other/x");
  EXPECT_EQ(GrantedScope(""), "api/read api/write other/x");
  EXPECT_EQ(GrantedScope("other/x api/read"), "other/x api/read");
  EXPECT_EQ(GrantedScope("api/read  api/read "), "api/read");
  // Defined by a server but not allowed for the client; unknown; standard scopes.
  for (const char* scope : {"api/admin", "api/read api/admin", "nope/x", "openid", "api",
                            "aws.cognito.signin.user.admin"}) {
    ExpectError(Grant(scope), "invalid_scope");
  }
}

TEST_F(ClientCredentialsTest, DeletedScopesAreNoLongerGranted) {
  Ok(servers_.DeleteResourceServer({{"UserPoolId", pool_}, {"Identifier", "other"}}));
  ExpectError(Grant("other/x"), "invalid_scope");
  EXPECT_EQ(GrantedScope(std::nullopt), "api/read api/write");
  Ok(servers_.DeleteResourceServer({{"UserPoolId", pool_}, {"Identifier", "api"}}));
  ExpectError(Grant(std::nullopt), "invalid_scope");
}

TEST_F(ClientCredentialsTest, ClientsThatMayNotUseTheGrant) {
  CreateServer(pool_, "only", {"s"});
  const char* refused[] = {
      // No secret (and so no client_credentials flow either).
      R"({"AllowedOAuthFlowsUserPoolClient":true,"AllowedOAuthFlows":["code"],
          "CallbackURLs":["https://app.example/cb"],"AllowedOAuthScopes":["only/s"]})",
      // OAuth not enabled for the client.
      R"({"GenerateSecret":true,"AllowedOAuthFlowsUserPoolClient":false,
          "AllowedOAuthFlows":["client_credentials"],"AllowedOAuthScopes":["only/s"]})",
      // Another flow.
      R"({"GenerateSecret":true,"AllowedOAuthFlowsUserPoolClient":true,"AllowedOAuthFlows":["code"],
          "CallbackURLs":["https://app.example/cb"],"AllowedOAuthScopes":["only/s"]})",
  };
  for (const char* request : refused) {
    identity::ClientContext client = Load(request);
    ASSERT_FALSE(client.id().empty());
    auto out = ClientCredentialsGrant(tokens_, *stores_.documents, client, "only/s");
    ASSERT_FALSE(out.ok()) << request;
    EXPECT_EQ(out.error().type, "unauthorized_client");
  }
}

TEST_F(ClientCredentialsTest, DefaultLifetimeIsAnHour) {
  client_ = Load(R"({"GenerateSecret":true,"AllowedOAuthFlowsUserPoolClient":true,
      "AllowedOAuthFlows":["client_credentials"],"AllowedOAuthScopes":["api/read"]})");
  auto out = Grant(std::nullopt);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at("expires_in"), 3600);
}

TEST_F(ClientCredentialsTest, IssuingNeedsACompleteRequest) {
  EXPECT_EQ(tokens_.IssueClientAccessToken({pool_, client_.id(), "", 3600}).error().type,
            "InvalidParameterException");
  EXPECT_EQ(tokens_.IssueClientAccessToken({pool_, client_.id(), "api/read", 0}).error().type,
            "InvalidParameterException");
  EXPECT_FALSE(tokens_.IssueClientAccessToken({"eu-west-1_Nope00000", "c", "a/b", 60}).ok());
}

}  // namespace
}  // namespace cognate::oauth
