#include "federation/upstream_oidc.h"

#include <gtest/gtest.h>

#include <boost/url/parse.hpp>

#include "crypto/encoding.h"
#include "federation/testing/federation_fixture.h"

namespace cognate::federation {
namespace {

namespace json = boost::json;
using testing::kRedirectUri;

class UpstreamOidcTest : public testing::FederationFixture {
 protected:
  UpstreamOidcTest() : jwks_(http_, clock_), upstream_(http_, jwks_, clock_) {}
  void SetUp() override {
    pool_ = NewPool();
    provider_ = CreateUpstream(pool_);
  }
  Result<json::object> Complete(std::string code = "good-code", std::string nonce = "nonce-1") {
    return upstream_.CompleteSignIn(provider_, {code, kRedirectUri, "verifier-123", nonce});
  }
  std::string Refusal(Result<json::object> result) {
    EXPECT_FALSE(result.ok());
    if (result.ok()) return "";
    EXPECT_EQ(result.error().type, "NotAuthorizedException");
    return result.error().message;
  }

  JwksCache jwks_;
  UpstreamOidc upstream_;
  std::string pool_;
  IdentityProvider provider_;
};

std::map<std::string, std::string> QueryOf(const std::string& url) {
  std::map<std::string, std::string> out;
  auto parsed = boost::urls::parse_uri(url);
  EXPECT_TRUE(parsed.has_value());
  for (auto p : parsed->params()) out[p.key] = p.value;
  return out;
}

TEST_F(UpstreamOidcTest, AuthorizationUrlCarriesCodeFlowPkceAndNonce) {
  auto url = AuthorizationUrl(provider_, {kRedirectUri, "state-1", "nonce-1", "challenge-1"});
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->rfind("http://idp.test/auth?", 0), 0u) << *url;
  auto q = QueryOf(*url);
  EXPECT_EQ(q["response_type"], "code");
  EXPECT_EQ(q["client_id"], "upstream-client");
  EXPECT_EQ(q["redirect_uri"], kRedirectUri);
  EXPECT_EQ(q["scope"], "openid email profile");
  EXPECT_EQ(q["state"], "state-1");
  EXPECT_EQ(q["nonce"], "nonce-1");
  EXPECT_EQ(q["code_challenge"], "challenge-1");
  EXPECT_EQ(q["code_challenge_method"], "S256");
  EXPECT_EQ(*federation_.StartUrl(pool_, "Upstream", {kRedirectUri, "state-1", "nonce-1", "challenge-1"}),
            *url);
}

TEST_F(UpstreamOidcTest, AuthorizationUrlKeepsAnExistingQueryAndSkipsPkceForOAuthOnlyTypes) {
  IdentityProvider p = provider_;
  p.details["authorize_url"] = "http://idp.test/auth?tenant=a";
  auto q = QueryOf(*AuthorizationUrl(p, {kRedirectUri, "s", "n", ""}));
  EXPECT_EQ(q["tenant"], "a");
  EXPECT_FALSE(q.contains("code_challenge"));
  p.type = "Facebook";
  q = QueryOf(*AuthorizationUrl(p, {kRedirectUri, "s", "n", "c"}));
  EXPECT_FALSE(q.contains("nonce"));
  EXPECT_FALSE(q.contains("code_challenge"));
  p.details["authorize_url"] = "javascript:alert(1)";
  EXPECT_FALSE(AuthorizationUrl(p, {kRedirectUri, "s", "n", "c"}).ok());
}

TEST_F(UpstreamOidcTest, RedeemsTheCodeWithBasicAuthAndMergesUserInfo) {
  userinfo_["family_name"] = "User";
  userinfo_["iss"] = "http://evil.test";  // userinfo cannot override token claims
  auto claims = Complete();
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ((*claims)["sub"], "upstream-user-1");
  EXPECT_EQ((*claims)["email"], "upstream.user@example.com");
  EXPECT_EQ((*claims)["family_name"], "User");
  EXPECT_EQ((*claims)["iss"], "http://idp.test");

  const HttpRequest& r = last_token_request_;
  EXPECT_EQ(r.method, "POST");
  EXPECT_NE(r.body.find("grant_type=authorization_code"), std::string::npos);
  EXPECT_NE(r.body.find("code_verifier=verifier-123"), std::string::npos);
  EXPECT_NE(r.body.find("redirect_uri=http%3A%2F%2Fcognate.test"), std::string::npos);
  EXPECT_EQ(r.body.find("client_secret"), std::string::npos);
  std::string basic = "Authorization: Basic " + crypto::Base64Encode("upstream-client:upstream-secret");
  EXPECT_NE(std::find(r.headers.begin(), r.headers.end(), basic), r.headers.end());
  // The userinfo call carried the access token.
  bool bearer = false;
  for (const HttpRequest& req : http_.requests())
    if (req.url == "http://idp.test/me")
      for (const auto& h : req.headers) bearer = bearer || h == "Authorization: Bearer upstream-access-token";
  EXPECT_TRUE(bearer);
}

TEST_F(UpstreamOidcTest, PostAuthPutsTheSecretInTheBody) {
  provider_.token_auth_method = "client_secret_post";
  ASSERT_TRUE(Complete().ok());
  EXPECT_NE(last_token_request_.body.find("client_id=upstream-client"), std::string::npos);
  EXPECT_NE(last_token_request_.body.find("client_secret=upstream-secret"), std::string::npos);
  for (const auto& h : last_token_request_.headers) EXPECT_EQ(h.find("Authorization"), std::string::npos);
}

TEST_F(UpstreamOidcTest, RefusedCodeNamesOnlyTheOAuthError) {
  std::string message = Refusal(Complete("stolen-code"));
  EXPECT_NE(message.find("invalid_grant"), std::string::npos);
  EXPECT_EQ(message.find("secret stuff"), std::string::npos);
}

TEST_F(UpstreamOidcTest, IdTokenChecksApply) {
  EXPECT_NE(Refusal(Complete("good-code", "other-nonce")).find("wrong nonce"), std::string::npos);
  id_token_overrides_ = {{"aud", "someone-else"}};
  EXPECT_NE(Refusal(Complete()).find("wrong audience"), std::string::npos);
  id_token_overrides_ = {{"iss", "http://evil.test"}};
  EXPECT_NE(Refusal(Complete()).find("wrong issuer"), std::string::npos);
  id_token_overrides_ = {{"exp", clock_.NowSeconds() - 1000}};
  EXPECT_NE(Refusal(Complete()).find("expired"), std::string::npos);
  id_token_overrides_ = {};
  issue_id_token_ = false;
  EXPECT_NE(Refusal(Complete()).find("no ID token"), std::string::npos);
}

TEST_F(UpstreamOidcTest, UserInfoForAnotherSubjectIsRefused) {
  userinfo_["sub"] = "someone-else";
  EXPECT_NE(Refusal(Complete()).find("another subject"), std::string::npos);
}

TEST_F(UpstreamOidcTest, UnreachableEndpointsAreNotAuthorized) {
  provider_.details["token_url"] = "http://down.test/token";
  EXPECT_NE(Refusal(Complete()).find("unreachable"), std::string::npos);
  provider_ = CreateUpstream(NewPool());
  provider_.jwks_uri = "http://down.test/jwks";
  EXPECT_NE(Refusal(Complete()).find("keys"), std::string::npos);
}

TEST_F(UpstreamOidcTest, WithoutAttributesUrlOnlyTheIdTokenCounts) {
  provider_.details.erase("attributes_url");
  ASSERT_TRUE(Complete().ok());
  EXPECT_EQ(http_.CountTo("http://idp.test/me"), 0);
}

}  // namespace
}  // namespace cognate::federation
