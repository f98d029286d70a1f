// TokenService::VerifyAccessToken against forged, altered and expired tokens.

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>
#include <utility>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "token/jwt.h"
#include "token/testing/token_service_fixture.h"
#include "token/token_service.h"

namespace cognate::token {
namespace {

namespace json = boost::json;
using crypto::Base64UrlEncode;
using token_testing::Claims;
using token_testing::kPoolA;
using token_testing::kPoolB;
using token_testing::kUrl;
using token_testing::Segment;
using token_testing::TestKey;

class VerifyAccessTokenTest : public token_testing::TokenServiceFixture {
 protected:
  // Pool A's access key and kid.
  const RsaKey& AccessKey() const { return TestKey(1); }
  const std::string& AccessKid() const { return pool_a_[1].kid; }
};

TEST_F(VerifyAccessTokenTest, ForgedClaimsSignedByThePoolVerify) {
  // The forging helper itself is sound: the rejections below are about the one thing changed.
  auto claims = service_.VerifyAccessToken(SignJwt(AccessKey(), AccessKid(), AccessClaims(kPoolA)));
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims->username, "u");
}

TEST_F(VerifyAccessTokenTest, TamperedPayload) {
  const std::string token = IssueOk(Request()).access_token;
  json::object claims = Claims(token);
  claims["username"] = "mallory";
  const std::string payload = Base64UrlEncode(json::serialize(claims));
  ExpectInvalid(Segment(token, 0) + "." + payload + "." + Segment(token, 2));
}

TEST_F(VerifyAccessTokenTest, TamperedSignature) {
  std::string token = IssueOk(Request()).access_token;
  char& c = token[token.size() - 100];
  c = c == 'A' ? 'B' : 'A';
  ExpectInvalid(token);
}

TEST_F(VerifyAccessTokenTest, OtherAlgorithms) {
  const std::string payload = Base64UrlEncode(json::serialize(AccessClaims(kPoolA)));
  const std::string none = Base64UrlEncode(R"({"kid":")" + AccessKid() + R"(","alg":"none"})");
  ExpectInvalid(none + "." + payload + ".");
  ExpectInvalid(none + "." + payload + "." + Base64UrlEncode("x"));
  // HS256 keyed with public key material: the classic RSA/HMAC confusion.
  const std::string hs = Base64UrlEncode(R"({"kid":")" + AccessKid() + R"(","alg":"HS256"})");
  const std::string mac = crypto::HmacSha256(AccessKey().JwkN(), hs + "." + payload);
  ExpectInvalid(hs + "." + payload + "." + Base64UrlEncode(mac));
}

TEST_F(VerifyAccessTokenTest, UnknownKid) {
  ExpectInvalid(SignJwt(TestKey(4), TestKey(4).Kid(), AccessClaims(kPoolA)));
  ExpectInvalid(SignJwt(AccessKey(), "not-a-kid", AccessClaims(kPoolA)));
}

TEST_F(VerifyAccessTokenTest, AnotherPoolsKeyDoesNotVerifyThisPoolsIssuer) {
  const RsaKey& key_b = TestKey(3);
  const std::string& kid_b = pool_b_[1].kid;
  ASSERT_TRUE(service_.VerifyAccessToken(SignJwt(key_b, kid_b, AccessClaims(kPoolB))).ok());
  ExpectInvalid(SignJwt(key_b, kid_b, AccessClaims(kPoolA)));        // kid not in pool A
  ExpectInvalid(SignJwt(key_b, AccessKid(), AccessClaims(kPoolA)));  // pool A's kid, B's key
}

TEST_F(VerifyAccessTokenTest, IdTokenIsNotAnAccessToken) {
  const IssuedTokens issued = IssueOk(Request());
  ExpectInvalid(issued.id_token);
  json::object claims = AccessClaims(kPoolA);
  claims["token_use"] = "id";
  ExpectInvalid(SignJwt(AccessKey(), AccessKid(), claims));
  claims.erase("token_use");
  ExpectInvalid(SignJwt(AccessKey(), AccessKid(), claims));
}

TEST_F(VerifyAccessTokenTest, ExpiresExactlyAtExp) {
  const IssuedTokens issued = IssueOk(Request());
  const int64_t exp = Claims(issued.access_token).at("exp").as_int64();
  env_.clock().SetMs(exp * 1000 - 1);
  EXPECT_TRUE(service_.VerifyAccessToken(issued.access_token).ok());
  env_.clock().SetMs(exp * 1000);
  auto expired = service_.VerifyAccessToken(issued.access_token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().type, "NotAuthorizedException");
  EXPECT_EQ(expired.error().message, "Access Token has expired");
  // An expired token that is also otherwise wrong is just invalid.
  ExpectInvalid(issued.id_token);
}

// The second verification of a token is served from the cache of verified tokens; it must still
// refuse once the signing key is gone (here with its pool), and never let a tampered copy ride
// on the cached original.
TEST_F(VerifyAccessTokenTest, CachedTokensStillNeedTheirKey) {
  const std::string token = IssueOk(Request()).access_token;
  ASSERT_TRUE(service_.VerifyAccessToken(token).ok());
  ASSERT_TRUE(service_.VerifyAccessToken(token).ok());
  std::string tampered = token;
  char& c = tampered[tampered.size() - 100];
  c = c == 'A' ? 'B' : 'A';
  ExpectInvalid(tampered);
  ASSERT_TRUE(env_.pools().DeletePool(kPoolA).ok());
  env_.keyring().Forget(kPoolA);
  ExpectInvalid(token);
}

TEST_F(VerifyAccessTokenTest, IssuerMustBeOursWithAPoolId) {
  for (const std::string& iss :
       {std::string("https://cognito-idp.us-west-2.amazonaws.com/") + kPoolA,
        std::string(kUrl) + kPoolA, std::string(kUrl) + "/", std::string(kUrl) + "/x" + kPoolA,
        std::string(kUrl) + "/" + kPoolA + "/", std::string(kUrl) + "/us-east-1_",
        std::string(kUrl) + "/_PoolA0001", std::string(kUrl) + "/us east-1_PoolA0001",
        std::string(kUrl) + "/us-east-1_Pool-A",
        std::string(kUrl) + "/" + std::string(60, 'a') + "_1"}) {
    SCOPED_TRACE(iss);
    json::object claims = AccessClaims(kPoolA);
    claims["iss"] = iss;
    ExpectInvalid(SignJwt(AccessKey(), AccessKid(), claims));
  }
  json::object claims = AccessClaims(kPoolA);
  claims["iss"] = 5;
  ExpectInvalid(SignJwt(AccessKey(), AccessKid(), claims));
  claims.erase("iss");
  ExpectInvalid(SignJwt(AccessKey(), AccessKid(), claims));
}

TEST_F(VerifyAccessTokenTest, RequiredClaimsAndTypes) {
  const std::vector<std::pair<std::string, json::value>> cases = {
      {"exp", json::value(1.9e9)},
      {"exp", json::value("1900000000")},
      {"exp", nullptr},
      {"iat", json::value("1")},
      {"auth_time", json::value(true)},
      {"sub", json::value("")},
      {"sub", json::value(1)},
      {"username", json::value("")},
      {"client_id", nullptr},
      {"scope", json::value(1)},
      {"jti", json::value(7)},
      {"origin_jti", nullptr},
      {"jti", json::value("")}};
  for (const auto& [name, value] : cases) {
    SCOPED_TRACE(name + "=" + json::serialize(value));
    json::object claims = AccessClaims(kPoolA);
    claims[name] = value;
    ExpectInvalid(SignJwt(AccessKey(), AccessKid(), claims));
  }
  for (const char* name : {"exp", "iat", "auth_time", "sub", "username", "client_id", "scope"}) {
    SCOPED_TRACE(name);
    json::object claims = AccessClaims(kPoolA);
    claims.erase(name);
    ExpectInvalid(SignJwt(AccessKey(), AccessKid(), claims));
  }
}

TEST_F(VerifyAccessTokenTest, GarbageIsInvalid) {
  const std::string good = IssueOk(Request()).access_token;
  for (const std::string& token :
       {std::string(), std::string("abc"), std::string("a.b.c"), good + "=", " " + good,
        Segment(good, 0) + "." + Base64UrlEncode("[1]") + "." + Segment(good, 2),
        std::string(kMaxJwtBytes + 1, 'a')}) {
    ExpectInvalid(token);
  }
}

}  // namespace
}  // namespace cognate::token
