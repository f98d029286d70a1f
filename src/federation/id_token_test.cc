#include "federation/id_token.h"

#include <gtest/gtest.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <boost/json/serialize.hpp>

#include "crypto/encoding.h"
#include "federation/testing/upstream_keys.h"

namespace cognate::federation {
namespace {

namespace json = boost::json;
using testing::RsaJwk;
using testing::SignIdToken;
using testing::SignWith;
using testing::UpstreamKey;

constexpr int64_t kNow = 1'700'000'000;
constexpr char kIssuer[] = "http://127.0.0.1:9999";
constexpr char kClient[] = "upstream-client";
constexpr char kNonce[] = "n-0S6_WzA2Mj";

json::object GoodClaims() {
  return json::object{{"iss", kIssuer},   {"sub", "upstream-user-1"}, {"aud", kClient},
                      {"exp", kNow + 600}, {"iat", kNow - 10},         {"nonce", kNonce},
                      {"email", "u@example.com"}};
}

class IdTokenTest : public ::testing::Test {
 protected:
  IdTokenTest() {
    auto jwk = Jwk::FromJson(RsaJwk(UpstreamKey(0), "upstream-key-1"));
    EXPECT_TRUE(jwk.ok());
    keys_.push_back(*jwk);
  }

  Result<json::object> Verify(const std::string& token) {
    IdTokenExpectations expected{kIssuer, kClient, kNonce, kNow};
    return VerifyIdToken(token, expected, [this](const std::string& kid) -> Result<JwkList> {
      looked_up_kid_ = kid;
      JwkList out;
      for (const auto& k : keys_)
        if (kid.empty() || k->kid() == kid) out.push_back(k);
      return out;
    });
  }
  std::string Refusal(const std::string& token) {
    auto result = Verify(token);
    EXPECT_FALSE(result.ok());
    if (result.ok()) return "";
    EXPECT_EQ(result.error().type, "NotAuthorizedException");
    return result.error().message;
  }
  std::string With(const char* key, json::value value) {
    json::object claims = GoodClaims();
    claims[key] = std::move(value);
    return SignIdToken(claims);
  }

  JwkList keys_;
  std::string looked_up_kid_;
};

TEST_F(IdTokenTest, AcceptsAGoodTokenAndReturnsItsClaims) {
  auto claims = Verify(SignIdToken(GoodClaims()));
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ((*claims)["sub"], "upstream-user-1");
  EXPECT_EQ((*claims)["email"], "u@example.com");
  EXPECT_EQ(looked_up_kid_, "upstream-key-1");
}

TEST_F(IdTokenTest, AcceptsAnAudienceListHoldingTheClientAndAnIssuerWithTrailingSlash) {
  json::object claims = GoodClaims();
  claims["aud"] = json::array{"other", kClient};
  claims["azp"] = kClient;
  claims["iss"] = std::string(kIssuer) + "/";
  EXPECT_TRUE(Verify(SignIdToken(claims)).ok());
}

TEST_F(IdTokenTest, AcceptsClockSkewWithinFiveMinutes) {
  json::object claims = GoodClaims();
  claims["exp"] = kNow - 200;
  claims["iat"] = kNow + 200;
  EXPECT_TRUE(Verify(SignIdToken(claims)).ok());
}

TEST_F(IdTokenTest, RefusesASignatureByAnotherKey) {
  EXPECT_NE(Refusal(SignIdToken(GoodClaims(), "upstream-key-1", 1)).find("bad signature"),
            std::string::npos);
}

TEST_F(IdTokenTest, RefusesATamperedPayload) {
  std::string token = SignIdToken(GoodClaims());
  json::object other = GoodClaims();
  other["sub"] = "someone-else";
  size_t dot1 = token.find('.'), dot2 = token.find('.', dot1 + 1);
  std::string forged = token.substr(0, dot1 + 1) +
                       crypto::Base64UrlEncode(json::serialize(other)) + token.substr(dot2);
  EXPECT_NE(Refusal(forged).find("bad signature"), std::string::npos);
}

TEST_F(IdTokenTest, RefusesAnUnknownKid) {
  EXPECT_NE(Refusal(SignIdToken(GoodClaims(), "rotated-away")).find("unknown signing key"),
            std::string::npos);
}

TEST_F(IdTokenTest, RefusesWrongAudienceAndAuthorizedParty) {
  EXPECT_NE(Refusal(With("aud", "another-client")).find("wrong audience"), std::string::npos);
  EXPECT_NE(Refusal(With("aud", json::array{"a", "b"})).find("wrong audience"), std::string::npos);
  EXPECT_NE(Refusal(With("azp", "another-client")).find("authorized party"), std::string::npos);
}

TEST_F(IdTokenTest, RefusesWrongIssuer) {
  EXPECT_NE(Refusal(With("iss", "http://127.0.0.1:9998")).find("wrong issuer"), std::string::npos);
  json::object claims = GoodClaims();
  claims.erase("iss");
  EXPECT_NE(Refusal(SignIdToken(claims)).find("wrong issuer"), std::string::npos);
}

TEST_F(IdTokenTest, RefusesExpiredAndFutureTokens) {
  EXPECT_NE(Refusal(With("exp", kNow - 301)).find("expired"), std::string::npos);
  EXPECT_NE(Refusal(With("iat", kNow + 301)).find("future"), std::string::npos);
  EXPECT_NE(Refusal(With("nbf", kNow + 400)).find("not valid yet"), std::string::npos);
  EXPECT_NE(Refusal(With("exp", "tomorrow")).find("no expiry"), std::string::npos);
}

TEST_F(IdTokenTest, RefusesWrongOrMissingNonce) {
  EXPECT_NE(Refusal(With("nonce", "replayed")).find("wrong nonce"), std::string::npos);
  json::object claims = GoodClaims();
  claims.erase("nonce");
  EXPECT_NE(Refusal(SignIdToken(claims)).find("wrong nonce"), std::string::npos);
}

TEST_F(IdTokenTest, RefusesMissingSubject) {
  EXPECT_NE(Refusal(With("sub", "")).find("no subject"), std::string::npos);
}

TEST_F(IdTokenTest, RefusesNoneAndHmacAlgorithmsAndCriticalHeaders) {
  std::string payload = crypto::Base64UrlEncode(json::serialize(GoodClaims()));
  std::string none = crypto::Base64UrlEncode(R"({"alg":"none"})") + "." + payload + ".";
  EXPECT_FALSE(Verify(none).ok());
  std::string hs = SignWith(UpstreamKey(0), {{"alg", "HS256"}, {"kid", "upstream-key-1"}}, GoodClaims());
  EXPECT_NE(Refusal(hs).find("unsupported algorithm"), std::string::npos);
  std::string crit = SignWith(UpstreamKey(0),
                              {{"alg", "RS256"}, {"kid", "upstream-key-1"}, {"crit", json::array{"x"}}},
                              GoodClaims());
  EXPECT_NE(Refusal(crit).find("critical"), std::string::npos);
}

TEST_F(IdTokenTest, RefusesMalformedTokens) {
  EXPECT_FALSE(Verify("").ok());
  EXPECT_FALSE(Verify("a.b").ok());
  EXPECT_FALSE(Verify("a.b.c.d").ok());
  EXPECT_FALSE(Verify("!!.??.**").ok());
  EXPECT_FALSE(Verify(std::string(17 * 1024, 'a')).ok());
}

TEST_F(IdTokenTest, TriesEveryKeyWhenTheTokenHasNoKid) {
  std::string token = SignWith(UpstreamKey(0), {{"alg", "RS256"}}, GoodClaims());
  EXPECT_TRUE(Verify(token).ok());
  EXPECT_EQ(looked_up_kid_, "");
}

// ES256: a P-256 key made here, its JWK, and a JWS signature in r||s form.
TEST_F(IdTokenTest, VerifiesEs256) {
  EVP_PKEY* ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  ASSERT_NE(ec, nullptr);
  unsigned char point[65];
  size_t point_len = 0;
  ASSERT_EQ(EVP_PKEY_get_octet_string_param(ec, "encoded-pub-key", point, sizeof point, &point_len), 1);
  ASSERT_EQ(point_len, 65u);
  json::object jwk{{"kty", "EC"}, {"crv", "P-256"}, {"kid", "ec-1"},
                   {"x", crypto::Base64UrlEncode(std::string_view((char*)point + 1, 32))},
                   {"y", crypto::Base64UrlEncode(std::string_view((char*)point + 33, 32))}};
  auto key = Jwk::FromJson(jwk);
  ASSERT_TRUE(key.ok()) << key.error().message;
  keys_.push_back(*key);

  std::string input = crypto::Base64UrlEncode(R"({"alg":"ES256","kid":"ec-1"})") + "." +
                      crypto::Base64UrlEncode(json::serialize(GoodClaims()));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t der_len = 0;
  ASSERT_EQ(EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, ec), 1);
  ASSERT_EQ(EVP_DigestSign(ctx, nullptr, &der_len, (const unsigned char*)input.data(), input.size()), 1);
  std::string der(der_len, '\0');
  ASSERT_EQ(EVP_DigestSign(ctx, (unsigned char*)der.data(), &der_len,
                           (const unsigned char*)input.data(), input.size()), 1);
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(ec);
  const unsigned char* p = (const unsigned char*)der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len));
  ASSERT_NE(sig, nullptr);
  unsigned char raw[64];
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32);
  ECDSA_SIG_free(sig);
  std::string token = input + "." + crypto::Base64UrlEncode(std::string_view((char*)raw, 64));
  auto claims = Verify(token);
  EXPECT_TRUE(claims.ok()) << claims.error().message;
  raw[10] ^= 1;
  std::string bad = input + "." + crypto::Base64UrlEncode(std::string_view((char*)raw, 64));
  EXPECT_FALSE(Verify(bad).ok());
}

TEST(JwkTest, RefusesUnusableKeys) {
  EXPECT_FALSE(Jwk::FromJson({{"kty", "oct"}, {"k", "AAAA"}}).ok());
  json::object enc = RsaJwk(UpstreamKey(0), "k");
  enc["use"] = "enc";
  EXPECT_FALSE(Jwk::FromJson(enc).ok());
  json::object wrong_alg = RsaJwk(UpstreamKey(0), "k");
  wrong_alg["alg"] = "PS256";
  EXPECT_FALSE(Jwk::FromJson(wrong_alg).ok());
  json::object small = RsaJwk(UpstreamKey(0), "k");
  small["n"] = crypto::Base64UrlEncode(std::string(64, '\x7f'));
  EXPECT_FALSE(Jwk::FromJson(small).ok());
  EXPECT_FALSE(Jwk::FromJson({{"kty", "EC"}, {"crv", "P-384"}, {"x", "AA"}, {"y", "AA"}}).ok());
}

TEST(JwkTest, ParseJwksSkipsKeysItCannotUse) {
  json::array keys{RsaJwk(UpstreamKey(0), "a"), json::object{{"kty", "oct"}}, "junk",
                   RsaJwk(UpstreamKey(1), "b")};
  auto parsed = ParseJwks(json::serialize(json::object{{"keys", keys}}));
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0]->kid(), "a");
  EXPECT_EQ((*parsed)[1]->kid(), "b");
  EXPECT_FALSE(ParseJwks("[]").ok());
  EXPECT_FALSE(ParseJwks("not json").ok());
}

}  // namespace
}  // namespace cognate::federation
