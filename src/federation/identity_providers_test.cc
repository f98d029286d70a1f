#include "federation/identity_providers.h"

#include <gtest/gtest.h>

#include "federation/testing/federation_fixture.h"

namespace cognate::federation {
namespace {

namespace json = boost::json;
using testing::kIssuer;

class IdentityProvidersTest : public testing::FederationFixture {
 protected:
  void SetUp() override { pool_ = NewPool(); }
  std::string pool_;
};

TEST_F(IdentityProvidersTest, OidcWithOnlyTheIssuerGetsItsEndpointsFromDiscovery) {
  json::object out = Ok(providers().CreateIdentityProvider(OidcRequest(pool_)));
  json::object& idp = out["IdentityProvider"].as_object();
  EXPECT_EQ(idp["ProviderName"], "Upstream");
  EXPECT_EQ(idp["ProviderType"], "OIDC");
  EXPECT_EQ(idp["UserPoolId"], json::value(pool_));
  json::object& d = idp["ProviderDetails"].as_object();
  EXPECT_EQ(d["authorize_url"], "http://idp.test/auth");
  EXPECT_EQ(d["token_url"], "http://idp.test/token");
  EXPECT_EQ(d["attributes_url"], "http://idp.test/me");
  EXPECT_EQ(d["jwks_uri"], "http://idp.test/jwks");
  EXPECT_EQ(d["attributes_url_add_attributes"], "false");
  EXPECT_EQ(d["client_secret"], "upstream-secret");  // Cognito returns it.
  EXPECT_EQ(idp["AttributeMapping"].as_object()["username"], "sub");
  EXPECT_TRUE(idp.contains("CreationDate"));

  json::object described = Ok(providers().DescribeIdentityProvider(
      {{"UserPoolId", pool_}, {"ProviderName", "Upstream"}}));
  EXPECT_EQ(described["IdentityProvider"], idp);
}

TEST_F(IdentityProvidersTest, SecretsAreSealedAtRest) {
  Ok(providers().CreateIdentityProvider(OidcRequest(pool_)));
  auto doc = stores_.documents->GetDocument(pool_, store::PoolDocumentRecord::kIdentityProvider,
                                            "Upstream");
  ASSERT_TRUE(doc.ok() && doc->has_value());
  EXPECT_EQ((*doc)->body_json.find("upstream-secret"), std::string::npos);
  EXPECT_NE((*doc)->body_json.find("SealedDetails"), std::string::npos);
  // The sealed secret is bound to its provider: moved to another name, it does not open.
  store::PoolDocumentRecord moved = **doc;
  moved.name = "Other";
  EXPECT_FALSE(FromDocument(moved, kek_).ok());
}

TEST_F(IdentityProvidersTest, GivenEndpointsWinAndDiscoveryIsSkippedWhenAllAreGiven) {
  json::object details{{"authorize_url", "http://other.test/a"},
                       {"token_url", "http://other.test/t"},
                       {"attributes_url", "http://other.test/u"},
                       {"jwks_uri", "http://other.test/k"}};
  json::object out = Ok(providers().CreateIdentityProvider(OidcRequest(pool_, "Given", details)));
  EXPECT_EQ(out["IdentityProvider"].as_object()["ProviderDetails"].as_object()["token_url"],
            "http://other.test/t");
  EXPECT_EQ(http_.CountTo(std::string(kIssuer) + "/.well-known/openid-configuration"), 0);
}

TEST_F(IdentityProvidersTest, TokenAuthMethodFollowsDiscovery) {
  Ok(providers().CreateIdentityProvider(OidcRequest(pool_)));
  EXPECT_EQ(providers().Load(pool_, "Upstream")->token_auth_method, "client_secret_basic");
  PublishDiscovery({{"token_endpoint_auth_methods_supported", json::array{"client_secret_post"}}});
  Ok(providers().CreateIdentityProvider(OidcRequest(pool_, "PostOnly")));
  EXPECT_EQ(providers().Load(pool_, "PostOnly")->token_auth_method, "client_secret_post");
}

TEST_F(IdentityProvidersTest, BadOidcDetailsAreRefused) {
  auto refuse = [&](json::object details, const char* fragment) {
    json::object request = OidcRequest(pool_, "Bad");
    json::object& d = request["ProviderDetails"].as_object();
    for (auto& kv : details) {
      if (kv.value().is_null())
        d.erase(kv.key());
      else
        d[kv.key()] = kv.value();
    }
    Error e = Fails(providers().CreateIdentityProvider(request));
    EXPECT_EQ(e.type, "InvalidParameterException") << fragment;
    EXPECT_NE(e.message.find(fragment), std::string::npos) << e.message;
  };
  refuse({{"client_id", nullptr}}, "client_id is required");
  refuse({{"oidc_issuer", nullptr}}, "oidc_issuer is required");
  refuse({{"attributes_request_method", "PUT"}}, "GET or POST");
  refuse({{"authorize_scopes", "email profile"}}, "openid");
  refuse({{"oidc_issuer", "ftp://idp.test"}}, "http or https");
  refuse({{"unknown_key", "x"}}, "not supported");
  refuse({{"oidc_issuer", "http://unreachable.test"}}, "well-known");
  // No provider was stored by any of these.
  EXPECT_EQ(Fails(providers().DescribeIdentityProvider({{"UserPoolId", pool_}, {"ProviderName", "Bad"}})).type,
            "ResourceNotFoundException");
}

TEST_F(IdentityProvidersTest, DiscoveryMustNameTheSameIssuer) {
  PublishDiscovery({{"issuer", "http://evil.test"}});
  Error e = Fails(providers().CreateIdentityProvider(OidcRequest(pool_)));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_NE(e.message.find("another issuer"), std::string::npos);
  PublishDiscovery({{"jwks_uri", "javascript:alert(1)"}});
  EXPECT_EQ(Fails(providers().CreateIdentityProvider(OidcRequest(pool_))).type,
            "InvalidParameterException");
}

TEST_F(IdentityProvidersTest, NamesAreUniqueAndCognitoIsReserved) {
  Ok(providers().CreateIdentityProvider(OidcRequest(pool_)));
  Error dup = Fails(providers().CreateIdentityProvider(OidcRequest(pool_)));
  EXPECT_EQ(dup.type, "DuplicateProviderException");
  EXPECT_EQ(Fails(providers().CreateIdentityProvider(OidcRequest(pool_, "COGNITO"))).type,
            "InvalidParameterException");
  EXPECT_EQ(Fails(providers().CreateIdentityProvider(OidcRequest(pool_, "Google"))).type,
            "InvalidParameterException");
}

TEST_F(IdentityProvidersTest, SamlAndUnknownTypesAreRefused) {
  json::object saml = OidcRequest(pool_, "Corp");
  saml["ProviderType"] = "SAML";
  saml["ProviderDetails"] = json::object{{"MetadataURL", "https://corp.test/metadata"}};
  Error e = Fails(providers().CreateIdentityProvider(saml));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message, "SAML identity providers are not supported yet.");
  json::object odd = OidcRequest(pool_, "Odd");
  odd["ProviderType"] = "Twitter";
  EXPECT_EQ(Fails(providers().CreateIdentityProvider(odd)).type, "InvalidParameterException");
}

TEST_F(IdentityProvidersTest, SocialProvidersGetCognitosEndpoints) {
  json::object google{{"UserPoolId", pool_},
                      {"ProviderName", "Google"},
                      {"ProviderType", "Google"},
                      {"ProviderDetails", json::object{{"client_id", "g-id"},
                                                       {"client_secret", "g-secret"},
                                                       {"authorize_scopes", "profile email openid"}}}};
  json::object out = Ok(providers().CreateIdentityProvider(google));
  json::object& d = out["IdentityProvider"].as_object()["ProviderDetails"].as_object();
  EXPECT_EQ(d["authorize_url"], "https://accounts.google.com/o/oauth2/v2/auth");
  EXPECT_EQ(d["token_url"], "https://www.googleapis.com/oauth2/v4/token");
  EXPECT_EQ(d["oidc_issuer"], "https://accounts.google.com");
  EXPECT_EQ(d["token_request_method"], "POST");
  EXPECT_EQ(d["client_secret"], "g-secret");
  EXPECT_EQ(providers().Load(pool_, "Google")->jwks_uri, "https://www.googleapis.com/oauth2/v3/certs");

  json::object facebook{{"UserPoolId", pool_},
                        {"ProviderName", "Facebook"},
                        {"ProviderType", "Facebook"},
                        {"ProviderDetails", json::object{{"client_id", "f"},
                                                         {"client_secret", "s"},
                                                         {"authorize_scopes", "public_profile,email"}}}};
  out = Ok(providers().CreateIdentityProvider(facebook));
  json::object& fd = out["IdentityProvider"].as_object()["ProviderDetails"].as_object();
  EXPECT_EQ(fd["api_version"], "v17.0");
  EXPECT_EQ(fd["token_request_method"], "GET");
  EXPECT_EQ(out["IdentityProvider"].as_object()["AttributeMapping"].as_object()["username"], "id");

  json::object wrong_name = google;
  wrong_name["ProviderName"] = "MyGoogle";
  EXPECT_EQ(Fails(providers().CreateIdentityProvider(wrong_name)).type, "InvalidParameterException");
  json::object amazon = google;
  amazon["ProviderName"] = amazon["ProviderType"] = "LoginWithAmazon";
  amazon["ProviderDetails"].as_object().erase("client_secret");
  Error e = Fails(providers().CreateIdentityProvider(amazon));
  EXPECT_NE(e.message.find("client_secret is required"), std::string::npos);
  json::object apple{{"UserPoolId", pool_},
                     {"ProviderName", "SignInWithApple"},
                     {"ProviderType", "SignInWithApple"},
                     {"ProviderDetails", json::object{{"client_id", "a"},
                                                      {"team_id", "T"},
                                                      {"key_id", "K"},
                                                      {"private_key", "-----BEGIN PRIVATE KEY-----"},
                                                      {"authorize_scopes", "email name"}}}};
  out = Ok(providers().CreateIdentityProvider(apple));
  EXPECT_EQ(out["IdentityProvider"].as_object()["ProviderDetails"].as_object()["oidc_issuer"],
            "https://appleid.apple.com");
}

TEST_F(IdentityProvidersTest, AttributeMappingNamesPoolAttributes) {
  json::object request = OidcRequest(pool_);
  request["AttributeMapping"] = json::object{{"email", "email"}, {"nickname_typo", "nick"}};
  Error e = Fails(providers().CreateIdentityProvider(request));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_NE(e.message.find("nickname_typo"), std::string::npos);
  request["AttributeMapping"] = json::object{{"sub", "sub"}};
  EXPECT_EQ(Fails(providers().CreateIdentityProvider(request)).type, "InvalidParameterException");
  request["AttributeMapping"] = json::object{{"email", "mail"}, {"username", "oid"}};
  json::object out = Ok(providers().CreateIdentityProvider(request));
  EXPECT_EQ(out["IdentityProvider"].as_object()["AttributeMapping"],
            (json::object{{"email", "mail"}, {"username", "oid"}}));
}

TEST_F(IdentityProvidersTest, IdentifiersAreUniqueInThePoolAndFindTheProvider) {
  json::object a = OidcRequest(pool_, "A");
  a["IdpIdentifiers"] = json::array{"example.com", "ex"};
  Ok(providers().CreateIdentityProvider(a));
  json::object b = OidcRequest(pool_, "B");
  b["IdpIdentifiers"] = json::array{"ex"};
  Error taken = Fails(providers().CreateIdentityProvider(b));
  EXPECT_EQ(taken.type, "InvalidParameterException");
  b["IdpIdentifiers"] = json::array{"b1", "b1"};
  EXPECT_EQ(Fails(providers().CreateIdentityProvider(b)).type, "InvalidParameterException");
  b["IdpIdentifiers"] = json::array{"b1"};
  Ok(providers().CreateIdentityProvider(b));

  json::object found = Ok(providers().GetIdentityProviderByIdentifier(
      {{"UserPoolId", pool_}, {"IdpIdentifier", "example.com"}}));
  EXPECT_EQ(found["IdentityProvider"].as_object()["ProviderName"], "A");
  EXPECT_EQ(Fails(providers().GetIdentityProviderByIdentifier(
                      {{"UserPoolId", pool_}, {"IdpIdentifier", "nope"}}))
                .type,
            "ResourceNotFoundException");
  EXPECT_EQ(*federation_.ProviderName(pool_, "b1"), "B");
  // A provider may keep its own identifiers when updated.
  Ok(providers().UpdateIdentityProvider(
      {{"UserPoolId", pool_}, {"ProviderName", "A"}, {"IdpIdentifiers", json::array{"ex", "new"}}}));
}

TEST_F(IdentityProvidersTest, UpdateReplacesWhatItNamesAndKeepsTheRest) {
  Ok(providers().CreateIdentityProvider(OidcRequest(pool_)));
  clock_.AdvanceMs(5000);
  json::object out = Ok(providers().UpdateIdentityProvider(
      {{"UserPoolId", pool_},
       {"ProviderName", "Upstream"},
       {"AttributeMapping", json::object{{"email", "email"}}}}));
  json::object& idp = out["IdentityProvider"].as_object();
  EXPECT_EQ(idp["AttributeMapping"], (json::object{{"email", "email"}, {"username", "sub"}}));
  EXPECT_EQ(idp["ProviderDetails"].as_object()["client_secret"], "upstream-secret");
  EXPECT_NE(idp["LastModifiedDate"], idp["CreationDate"]);

  json::object details{{"client_id", "new-client"},
                       {"attributes_request_method", "POST"},
                       {"oidc_issuer", kIssuer},
                       {"authorize_scopes", "openid"}};
  out = Ok(providers().UpdateIdentityProvider(
      {{"UserPoolId", pool_}, {"ProviderName", "Upstream"}, {"ProviderDetails", details}}));
  json::object& d = out["IdentityProvider"].as_object()["ProviderDetails"].as_object();
  EXPECT_EQ(d["client_id"], "new-client");
  EXPECT_FALSE(d.contains("client_secret"));
  EXPECT_EQ(d["token_url"], "http://idp.test/token");

  details["authorize_scopes"] = "email";
  EXPECT_EQ(Fails(providers().UpdateIdentityProvider(
                      {{"UserPoolId", pool_}, {"ProviderName", "Upstream"}, {"ProviderDetails", details}}))
                .type,
            "InvalidParameterException");
  EXPECT_EQ(Fails(providers().UpdateIdentityProvider({{"UserPoolId", pool_}, {"ProviderName", "Nope"}}))
                .type,
            "ResourceNotFoundException");
}

TEST_F(IdentityProvidersTest, DeleteAndUnknownProviders) {
  Ok(providers().CreateIdentityProvider(OidcRequest(pool_)));
  Ok(providers().DeleteIdentityProvider({{"UserPoolId", pool_}, {"ProviderName", "Upstream"}}));
  for (auto result : {providers().DeleteIdentityProvider({{"UserPoolId", pool_}, {"ProviderName", "Upstream"}}),
                      providers().DescribeIdentityProvider({{"UserPoolId", pool_}, {"ProviderName", "Upstream"}})}) {
    Error e = Fails(result);
    EXPECT_EQ(e.type, "ResourceNotFoundException");
    EXPECT_EQ(e.message, "Identity provider Upstream does not exist.");
  }
  EXPECT_EQ(Fails(providers().ListIdentityProviders({{"UserPoolId", "us-east-1_missing"}})).type,
            "ResourceNotFoundException");
  EXPECT_EQ(federation_.StartUrl(pool_, "Upstream", {}).error().type, "ResourceNotFoundException");
}

TEST_F(IdentityProvidersTest, ListPagesByName) {
  for (const char* name : {"C", "A", "B"}) Ok(providers().CreateIdentityProvider(OidcRequest(pool_, name)));
  json::object page = Ok(providers().ListIdentityProviders({{"UserPoolId", pool_}, {"MaxResults", 2}}));
  ASSERT_EQ(page["Providers"].as_array().size(), 2u);
  EXPECT_EQ(page["Providers"].as_array()[0].as_object()["ProviderName"], "A");
  EXPECT_FALSE(page["Providers"].as_array()[0].as_object().contains("ProviderDetails"));
  ASSERT_TRUE(page.contains("NextToken"));
  json::object rest = Ok(providers().ListIdentityProviders(
      {{"UserPoolId", pool_}, {"NextToken", page["NextToken"]}}));
  ASSERT_EQ(rest["Providers"].as_array().size(), 1u);
  EXPECT_EQ(rest["Providers"].as_array()[0].as_object()["ProviderName"], "C");
  EXPECT_FALSE(rest.contains("NextToken"));
  EXPECT_EQ(Fails(providers().ListIdentityProviders({{"UserPoolId", pool_}, {"NextToken", "***"}})).type,
            "InvalidParameterException");
}

TEST_F(IdentityProvidersTest, APoolHoldsAtMost300Providers) {
  // Without a secret, so that copies under other names still open.
  json::object request = OidcRequest(pool_, "Template");
  request["ProviderDetails"].as_object().erase("client_secret");
  Ok(providers().CreateIdentityProvider(request));
  auto doc = stores_.documents->GetDocument(pool_, store::PoolDocumentRecord::kIdentityProvider,
                                            "Template");
  ASSERT_TRUE(doc.ok() && doc->has_value());
  for (int i = 1; i < kMaxProvidersPerPool; ++i) {
    store::PoolDocumentRecord copy = **doc;
    copy.name = "P" + std::to_string(1000 + i);
    ASSERT_TRUE(*stores_.documents->CreateDocument(copy));
  }
  Error e = Fails(providers().CreateIdentityProvider(OidcRequest(pool_, "OneTooMany")));
  EXPECT_EQ(e.type, "LimitExceededException");
}

}  // namespace
}  // namespace cognate::federation
