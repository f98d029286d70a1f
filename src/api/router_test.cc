#include "api/router.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crypto/encoding.h"
#include "store/sqlite/open.h"
#include "token/rsa_key.h"

namespace cognate::api {
namespace {

class RouterTest : public ::testing::Test {
 protected:
  RouterTest()
      : stores_(store::sqlite::Open(":memory:")),
        kek_(std::string(32, 'k')),
        authorizer_(*stores_.access_keys, kek_, clock_),
        dispatcher_(authorizer_, clock_),
        well_known_(*stores_.pools, *stores_.keys, "https://id.example.com"),
        router_(dispatcher_, well_known_) {}

  http::Response Get(std::string target) {
    http::Request r;
    r.method = "GET";
    r.target = std::move(target);
    return router_.Handle(r);
  }

  static std::string Header(const http::Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers)
      if (http::IEquals(k, name)) return v;
    return {};
  }

  void AddPoolWithKey(const std::string& pool_id) {
    store::UserPoolRecord pool{pool_id, "p", 1, 1, "{}"};
    auto key = token::RsaKey::Generate();
    store::SigningKeyRecord k;
    k.pool_id = pool_id;
    k.kid = key.Kid();
    k.use = "id";
    k.alg = "RS256";
    k.public_jwk_json = R"({"kty":"RSA","n":")" + key.JwkN() + R"(","e":")" + key.JwkE() + "\"}";
    k.private_key_sealed = kek_.Seal(key.PrivatePem(), "signing-key:" + k.kid);
    ASSERT_TRUE(stores_.pools->CreatePool(pool, {k}).ok());
    kid_ = k.kid;
  }

  store::Stores stores_;
  crypto::KeyEncryptionKey kek_;
  FakeClock clock_;
  AccessKeyAuthorizer authorizer_;
  CognitoDispatcher dispatcher_;
  WellKnown well_known_;
  Router router_;
  std::string kid_;
};

TEST_F(RouterTest, Health) {
  auto r = Get("/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(boost::json::parse(r.body).at("status"), "ok");
  EXPECT_EQ(Header(r, "Access-Control-Allow-Origin"), "*");
}

TEST_F(RouterTest, PreflightEchoesPlainHeaderListsOnly) {
  http::Request r;
  r.method = "OPTIONS";
  r.target = "/";
  r.headers = {{"Origin", "http://app.local"},
               {"Access-Control-Request-Method", "POST"},
               {"Access-Control-Request-Headers", "content-type,x-amz-target,x-amz-user-agent"}};
  auto res = router_.Handle(r);
  EXPECT_EQ(res.status, 204);
  EXPECT_EQ(Header(res, "Access-Control-Allow-Headers"), "content-type,x-amz-target,x-amz-user-agent");
  EXPECT_NE(Header(res, "Access-Control-Allow-Methods").find("POST"), std::string::npos);
  r.headers.back().second = "x-evil\"<script>";
  res = router_.Handle(r);
  EXPECT_NE(Header(res, "Access-Control-Allow-Headers").find("x-amz-target"), std::string::npos);
  EXPECT_EQ(Header(res, "Access-Control-Allow-Headers").find("script"), std::string::npos);
}

TEST_F(RouterTest, ExposesAmznHeaders) {
  auto r = Get("/nowhere");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(Header(r, "Access-Control-Expose-Headers").find("x-amzn-RequestId"),
            std::string::npos);
}

TEST_F(RouterTest, OtherMethodsAreRefused) {
  http::Request r;
  r.method = "DELETE";
  r.target = "/";
  EXPECT_EQ(router_.Handle(r).status, 405);
}

TEST_F(RouterTest, JwksAndDiscovery) {
  AddPoolWithKey("us-east-1_Abcdefghi");
  auto jwks = Get("/us-east-1_Abcdefghi/.well-known/jwks.json");
  ASSERT_EQ(jwks.status, 200) << jwks.body;
  EXPECT_NE(Header(jwks, "Cache-Control").find("max-age"), std::string::npos);
  auto key = boost::json::parse(jwks.body).at("keys").at(0);
  EXPECT_EQ(std::string(key.at("kid").as_string()), kid_);
  EXPECT_EQ(key.at("alg"), "RS256");
  EXPECT_EQ(key.at("use"), "sig");
  EXPECT_EQ(key.at("kty"), "RSA");
  EXPECT_EQ(key.at("e"), "AQAB");
  EXPECT_EQ(crypto::Base64UrlDecode(key.at("n").as_string())->size(), 256u);

  auto doc = Get("/us-east-1_Abcdefghi/.well-known/openid-configuration");
  ASSERT_EQ(doc.status, 200);
  auto d = boost::json::parse(doc.body);
  EXPECT_EQ(d.at("issuer"), "https://id.example.com/us-east-1_Abcdefghi");
  EXPECT_EQ(d.at("jwks_uri"), "https://id.example.com/us-east-1_Abcdefghi/.well-known/jwks.json");
  EXPECT_EQ(d.at("id_token_signing_alg_values_supported").at(0), "RS256");
}

TEST_F(RouterTest, UnknownPoolDocumentsAre404) {
  EXPECT_EQ(Get("/us-east-1_Nopenopen/.well-known/jwks.json").status, 404);
  EXPECT_EQ(Get("/us-east-1_Nopenopen/.well-known/openid-configuration").status, 404);
  EXPECT_EQ(Get("/a/b/.well-known/jwks.json").status, 404);
}

}  // namespace
}  // namespace cognate::api
