#include "identity/client_config.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "identity/schema.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

class AppClientConfigTest : public ::testing::Test {
 protected:
  Result<json::object> Build(std::string_view request, bool has_secret = false) {
    ClientRules context{"eu-west-1_pool", &schema_, has_secret, true, {}};
    return BuildClientConfig(json::parse(request).as_object(), context);
  }
  Error Fails(std::string_view request, bool has_secret = false) {
    Result<json::object> r = Build(request, has_secret);
    EXPECT_FALSE(r.ok()) << request;
    return r.ok() ? Error{} : r.error();
  }

  json::array schema_ = *AddCustomAttributesToSchema(
      StandardSchema(), json::parse(R"([{"Name":"tier"}])").as_array());
};

TEST_F(AppClientConfigTest, DefaultsForAMinimalRequest) {
  Result<json::object> config = Build(R"({"UserPoolId":"eu-west-1_pool","ClientName":"c"})");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(*config, json::parse(R"({"RefreshTokenValidity":30,
      "AllowedOAuthFlowsUserPoolClient":false,"PreventUserExistenceErrors":"LEGACY",
      "EnableTokenRevocation":true,"EnablePropagateAdditionalUserContextData":false,
      "AuthSessionValidity":3})"));
  EXPECT_EQ(EffectiveAuthFlows(*config),
            (std::vector<std::string>{"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH",
                                      "ALLOW_CUSTOM_AUTH"}));
}

TEST_F(AppClientConfigTest, StoresGivenMembers) {
  Result<json::object> config = Build(R"({"ExplicitAuthFlows":["ALLOW_USER_PASSWORD_AUTH"],
      "ReadAttributes":["email","custom:tier"],"WriteAttributes":["name"],
      "SupportedIdentityProviders":["COGNITO"],"PreventUserExistenceErrors":"ENABLED",
      "EnableTokenRevocation":false,"AuthSessionValidity":10,
      "RefreshTokenRotation":{"Feature":"ENABLED","RetryGracePeriodSeconds":10},
      "AnalyticsConfiguration":{"ApplicationId":"abc","UserDataShared":true}})");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->at("ReadAttributes"), json::parse(R"(["email","custom:tier"])"));
  EXPECT_EQ(config->at("PreventUserExistenceErrors"), "ENABLED");
  EXPECT_EQ(config->at("EnableTokenRevocation"), false);
  EXPECT_EQ(config->at("AuthSessionValidity"), 10);
  EXPECT_EQ(config->at("RefreshTokenRotation").at("Feature"), "ENABLED");
  EXPECT_EQ(config->at("AnalyticsConfiguration").at("ApplicationId"), "abc");
  EXPECT_EQ(EffectiveAuthFlows(*config), std::vector<std::string>{"ALLOW_USER_PASSWORD_AUTH"});
}

TEST_F(AppClientConfigTest, LegacyAuthFlowsAreTranslatedAndCannotBeMixed) {
  Result<json::object> config = Build(R"({"ExplicitAuthFlows":["ADMIN_NO_SRP_AUTH"]})");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(EffectiveAuthFlows(*config),
            (std::vector<std::string>{"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH",
                                      "ALLOW_USER_SRP_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"}));
  config = Build(R"({"ExplicitAuthFlows":["CUSTOM_AUTH_FLOW_ONLY"]})");
  EXPECT_EQ(EffectiveAuthFlows(*config),
            (std::vector<std::string>{"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"}));
  Error e = Fails(R"({"ExplicitAuthFlows":["USER_PASSWORD_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]})");
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message, "ExplicitAuthFlows cannot combine legacy values with ALLOW_ values.");
}

TEST_F(AppClientConfigTest, AttributePermissionsMustNameSchemaAttributes) {
  Error e = Fails(R"({"ReadAttributes":["email","custom:unknown"]})");
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message, "Invalid read attributes specified while creating a client");
  EXPECT_EQ(Fails(R"({"WriteAttributes":["tier"]})").message,
            "Invalid write attributes specified while creating a client");
}

TEST_F(AppClientConfigTest, OnlyCognitoIsAnIdentityProvider) {
  Error e = Fails(R"({"SupportedIdentityProviders":["COGNITO","Google"]})");
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message, "The provider Google does not exist for User Pool eu-west-1_pool");
}

TEST_F(AppClientConfigTest, ContextDataNeedsASecret) {
  EXPECT_EQ(Fails(R"({"EnablePropagateAdditionalUserContextData":true})").type,
            "InvalidParameterException");
  EXPECT_TRUE(Build(R"({"EnablePropagateAdditionalUserContextData":true})", true).ok());
}

TEST_F(AppClientConfigTest, AValidOAuthClient) {
  Result<json::object> config = Build(R"({"AllowedOAuthFlowsUserPoolClient":true,
      "AllowedOAuthFlows":["code","implicit"],"AllowedOAuthScopes":["openid","email","phone",
      "profile","aws.cognito.signin.user.admin"],"CallbackURLs":["https://app.example/cb",
      "http://localhost:3000/cb","myapp://cb"],"LogoutURLs":["https://app.example/"],
      "DefaultRedirectURI":"https://app.example/cb","SupportedIdentityProviders":["COGNITO"]})");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->at("AllowedOAuthFlowsUserPoolClient"), true);
  EXPECT_EQ(config->at("CallbackURLs").as_array().size(), 3u);
  EXPECT_EQ(config->at("DefaultRedirectURI"), "https://app.example/cb");
}

TEST_F(AppClientConfigTest, OAuthRules) {
  EXPECT_EQ(
      Fails(R"({"AllowedOAuthFlowsUserPoolClient":true,"AllowedOAuthScopes":["openid"]})").message,
      "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is "
      "allowed to use OAuth flows.");
  EXPECT_EQ(Fails(R"({"AllowedOAuthFlowsUserPoolClient":true,"AllowedOAuthFlows":["code"]})").type,
            "InvalidParameterException");
  EXPECT_EQ(Fails(R"({"AllowedOAuthFlowsUserPoolClient":true,"AllowedOAuthFlows":["code"],
                      "AllowedOAuthScopes":["openid"]})")
                .message,
            "CallbackURLs are required for the code and implicit flows.");
  Error mixed = Fails(R"({"AllowedOAuthFlows":["client_credentials","code"]})", true);
  EXPECT_EQ(mixed.type, "InvalidOAuthFlowException");
  EXPECT_EQ(mixed.message,
            "client_credentials flow can not be selected along with code flow or implicit flow.");
  Error no_secret = Fails(R"({"AllowedOAuthFlows":["client_credentials"]})");
  EXPECT_EQ(no_secret.type, "InvalidOAuthFlowException");
  EXPECT_EQ(no_secret.message,
            "client_credentials flow can not be selected if client does not have a client "
            "secret.");
}

TEST_F(AppClientConfigTest, UnknownScopesDoNotExist) {
  for (const char* scope : {"admin", "api/read", "OPENID"}) {
    Error e = Fails(R"({"AllowedOAuthScopes":[")" + std::string(scope) + R"("]})");
    EXPECT_EQ(e.type, "ScopeDoesNotExistException");
    EXPECT_EQ(e.message, "Invalid scope requested: " + std::string(scope));
  }
}

TEST_F(AppClientConfigTest, CustomScopesOfThePoolAreAccepted) {
  ClientRules rules{"eu-west-1_pool", &schema_, true, true, {"api/read", "https://x.example/w"}};
  Result<json::object> config = BuildClientConfig(
      json::parse(R"({"AllowedOAuthScopes":["openid","api/read","https://x.example/w"]})")
          .as_object(),
      rules);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->at("AllowedOAuthScopes").as_array().size(), 3u);
  for (const char* scope : {"api/write", "api", "API/read", "other/read"}) {
    Result<json::object> refused = BuildClientConfig(
        json::parse(R"({"AllowedOAuthScopes":[")" + std::string(scope) + R"("]})").as_object(),
        rules);
    ASSERT_FALSE(refused.ok()) << scope;
    EXPECT_EQ(refused.error().type, "ScopeDoesNotExistException");
    EXPECT_EQ(refused.error().message, "Invalid scope requested: " + std::string(scope));
  }
}

TEST_F(AppClientConfigTest, RedirectUrlRules) {
  for (const char* url : {"http://example.com/cb", "https://app.example/cb#frag", "no-scheme",
                          "1http://x", "http:localhost"}) {
    Error e = Fails(R"({"CallbackURLs":[")" + std::string(url) + R"("]})");
    EXPECT_EQ(e.message, "Invalid callback URL: " + std::string(url));
  }
  EXPECT_EQ(Fails(R"({"LogoutURLs":["http://example.com/"]})").message,
            "Invalid logout URL: http://example.com/");
  EXPECT_TRUE(Build(R"({"CallbackURLs":["http://127.0.0.1:8080/cb","HTTP://LOCALHOST/x"]})").ok());
  EXPECT_EQ(Fails(R"({"CallbackURLs":["https://a.example/"],
                      "DefaultRedirectURI":"https://b.example/"})")
                .message,
            "DefaultRedirectURI must be one of the CallbackURLs.");
  EXPECT_EQ(Fails(R"({"DefaultRedirectURI":"https://b.example/"})").type,
            "InvalidParameterException");
}

TEST_F(AppClientConfigTest, RenderOrdersMembersAndAddsTheSecret) {
  Result<json::object> config = Build(R"({"ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH"]})");
  ASSERT_TRUE(config.ok());
  ClientIdentity client{"p_1", "abc", "name", "s3cret", 1'000'000, 1'500'250};
  json::object out = RenderUserPoolClient(client, *config);
  std::vector<std::string> keys;
  for (const auto& kv : out) keys.emplace_back(kv.key());
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "UserPoolId", "ClientName", "ClientId", "ClientSecret", "LastModifiedDate",
                      "CreationDate", "RefreshTokenValidity", "ExplicitAuthFlows",
                      "AllowedOAuthFlowsUserPoolClient", "PreventUserExistenceErrors",
                      "EnableTokenRevocation", "EnablePropagateAdditionalUserContextData",
                      "AuthSessionValidity"}));
  EXPECT_EQ(out.at("LastModifiedDate"), 1500.25);
  client.secret.reset();
  EXPECT_FALSE(RenderUserPoolClient(client, *config).contains("ClientSecret"));
}

}  // namespace
}  // namespace cognate::identity
