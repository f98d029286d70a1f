#pragma once
// A gtest fixture for federation: Federation over a real in-memory SQLite store and a FakeHttp
// that plays an upstream OpenID provider at http://idp.test (discovery, JWKS, token and
// userinfo endpoints, id_tokens signed with UpstreamKey(0)), pools made with PoolService, a
// FakeClock and a fixed KEK.

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "common/clock.h"
#include "common/testing/result_helpers.h"
#include "crypto/kek.h"
#include "federation/federation.h"
#include "federation/testing/fake_http.h"
#include "federation/testing/upstream_keys.h"
#include "identity/pool_service.h"
#include "identity/testing/service_fixture.h"
#include "identity/user_directory.h"
#include "store/sqlite/open.h"

namespace cognate::federation::testing {

inline constexpr char kIssuer[] = "http://idp.test";
inline constexpr char kUpstreamClient[] = "upstream-client";
inline constexpr char kUpstreamSecret[] = "upstream-secret";
inline constexpr char kRedirectUri[] = "http://cognate.test/us-east-1_x/oauth2/idpresponse";

class FederationFixture : public ::testing::Test, protected test_support::ResultHelpers {
 protected:
  FederationFixture()
      : stores_(store::sqlite::Open(":memory:")),
        kek_(std::string_view(identity::fakes::kTestKek, 32)),
        pools_(*stores_.pools, *stores_.clients, *stores_.keys, kek_, clock_,
               identity::PoolServiceConfig{"us-east-1", "123456789012"},
               identity::fakes::CachedKeyFactory()),
        directory_(stores_, kek_, clock_),
        federation_(directory_, std::make_unique<ForwardingHttp>(http_)) {
    PublishDiscovery();
    http_.OnJson("GET", std::string(kIssuer) + "/jwks", UpstreamJwks());
    http_.On("POST", std::string(kIssuer) + "/token",
             [this](const HttpRequest& r) { return TokenEndpoint(r); });
    http_.On("GET", std::string(kIssuer) + "/me", [this](const HttpRequest&) {
      return HttpResponse{200, boost::json::serialize(userinfo_)};
    });
  }

  void PublishDiscovery(boost::json::object extra = {}) {
    boost::json::object doc{
        {"issuer", kIssuer},
        {"authorization_endpoint", std::string(kIssuer) + "/auth"},
        {"token_endpoint", std::string(kIssuer) + "/token"},
        {"userinfo_endpoint", std::string(kIssuer) + "/me"},
        {"jwks_uri", std::string(kIssuer) + "/jwks"},
        {"token_endpoint_auth_methods_supported",
         boost::json::array{"client_secret_basic", "client_secret_post"}}};
    for (auto& kv : extra) doc[kv.key()] = kv.value();
    http_.OnJson("GET", std::string(kIssuer) + "/.well-known/openid-configuration",
                 boost::json::serialize(doc));
  }

  // The token endpoint: answers id_token_claims_ signed (with nonce_ unless set) for code
  // "good-code", invalid_grant otherwise.
  HttpResponse TokenEndpoint(const HttpRequest& request) {
    last_token_request_ = request;
    if (request.body.find("code=good-code") == std::string::npos)
      return {400, R"({"error":"invalid_grant","error_description":"secret stuff"})"};
    boost::json::object answer{{"access_token", "upstream-access-token"},
                               {"token_type", "Bearer"}};
    if (issue_id_token_) answer["id_token"] = SignIdToken(IdTokenClaims());
    return {200, boost::json::serialize(answer)};
  }

  boost::json::object IdTokenClaims() const {
    boost::json::object claims{{"iss", kIssuer},
                               {"sub", "upstream-user-1"},
                               {"aud", kUpstreamClient},
                               {"exp", clock_.NowSeconds() + 600},
                               {"iat", clock_.NowSeconds()},
                               {"nonce", "nonce-1"},
                               {"email", "upstream.user@example.com"},
                               {"email_verified", true}};
    for (const auto& kv : id_token_overrides_) claims[kv.key()] = kv.value();
    return claims;
  }

  std::string NewPool(boost::json::object request = {}) {
    request["PoolName"] = "federation";
    boost::json::object out = Ok(pools_.CreateUserPool(request));
    if (!out.contains("UserPool")) return "";
    return std::string(out["UserPool"].as_object()["Id"].as_string());
  }

  boost::json::object OidcRequest(const std::string& pool_id, const std::string& name = "Upstream",
                                  boost::json::object details = {}) {
    boost::json::object d{{"client_id", kUpstreamClient},
                          {"client_secret", kUpstreamSecret},
                          {"attributes_request_method", "GET"},
                          {"oidc_issuer", kIssuer},
                          {"authorize_scopes", "openid email profile"}};
    for (auto& kv : details) d[kv.key()] = kv.value();
    return boost::json::object{{"UserPoolId", pool_id},
                               {"ProviderName", name},
                               {"ProviderType", "OIDC"},
                               {"ProviderDetails", std::move(d)}};
  }

  // Creates the OIDC provider "Upstream" mapping email, email_verified, given_name.
  IdentityProvider CreateUpstream(const std::string& pool_id) {
    boost::json::object request = OidcRequest(pool_id);
    request["AttributeMapping"] = boost::json::object{
        {"email", "email"}, {"email_verified", "email_verified"}, {"given_name", "given_name"}};
    Ok(providers().CreateIdentityProvider(request));
    auto provider = providers().Load(pool_id, "Upstream");
    EXPECT_TRUE(provider.ok());
    return provider.ok() ? *provider : IdentityProvider{};
  }

  IdentityProviderService& providers() { return federation_.providers(); }

  // Inserts a confirmed native user `username` with a password hash placeholder.
  store::UserRecord AddNativeUser(const std::string& pool_id, const std::string& username) {
    store::UserRecord user;
    user.pool_id = pool_id;
    user.username_key = username;
    user.username = username;
    user.sub = "sub-" + username;
    user.status = "CONFIRMED";
    user.password_hash = "$argon2id$placeholder";
    user.attributes_json = R"({"email":"native@example.com","email_verified":"true"})";
    user.created_ms = user.modified_ms = clock_.NowMs();
    Status created = stores_.users->CreateUser(user, {});
    EXPECT_TRUE(created.ok()) << created.error().message;
    return user;
  }

  std::optional<store::UserRecord> GetUser(const std::string& pool_id, const std::string& key) {
    auto user = stores_.users->GetUser(pool_id, key);
    EXPECT_TRUE(user.ok());
    return user.ok() ? *user : std::nullopt;
  }

  static boost::json::object AttributesOf(const store::UserRecord& user) {
    return boost::json::parse(user.attributes_json).as_object();
  }

  store::Stores stores_;
  crypto::KeyEncryptionKey kek_;
  FakeClock clock_;
  identity::PoolService pools_;
  identity::UserDirectory directory_;
  FakeHttp http_;
  Federation federation_;
  boost::json::object userinfo_{{"sub", "upstream-user-1"}, {"given_name", "Upstream"}};
  boost::json::object id_token_overrides_;
  bool issue_id_token_ = true;
  HttpRequest last_token_request_;
};

}  // namespace cognate::federation::testing
