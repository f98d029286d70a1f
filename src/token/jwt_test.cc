#include "token/jwt.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "token/testing/token_env.h"

namespace cognate::token {
namespace {

namespace json = boost::json;
using crypto::Base64UrlEncode;
using token_testing::TestKey;

const RsaKey& Key() { return TestKey(0); }

// A token over raw header and payload text, signed with Key() unless a signature is given.
std::string RawToken(const std::string& header, const std::string& payload,
                     const std::string* signature = nullptr) {
  const std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  return input + "." + Base64UrlEncode(signature ? *signature : Key().SignRs256(input));
}

void ExpectRejected(std::string_view token) {
  auto jwt = ParseJwt(token);
  ASSERT_FALSE(jwt.ok()) << token.substr(0, 200);
  EXPECT_EQ(jwt.error().type, "NotAuthorizedException");
}

TEST(JwtTest, HeaderBytesAreExactlyCognitos) {
  const std::string token = SignJwt(Key(), "k+/=id", json::object{{"sub", "u"}});
  const std::string header = token.substr(0, token.find('.'));
  EXPECT_EQ(crypto::Base64UrlDecode(header).value(), R"({"kid":"k+/=id","alg":"RS256"})");
  EXPECT_EQ(token.find('='), std::string::npos);
}

TEST(JwtTest, PayloadKeepsClaimOrder) {
  const json::object claims{{"sub", "u"}, {"iss", "x"}, {"aud", "c"}, {"exp", 2}, {"iat", 1}};
  const std::string token = SignJwt(Key(), "kid", claims);
  const std::size_t dot1 = token.find('.');
  const std::string payload = token.substr(dot1 + 1, token.rfind('.') - dot1 - 1);
  EXPECT_EQ(crypto::Base64UrlDecode(payload).value(),
            R"({"sub":"u","iss":"x","aud":"c","exp":2,"iat":1})");
}

TEST(JwtTest, RoundTrip) {
  const json::object claims{{"sub", "u"}, {"n", 5}, {"b", true}, {"a", json::array{"x"}}};
  const std::string token = SignJwt(Key(), "the-kid", claims);
  auto jwt = ParseJwt(token);
  ASSERT_TRUE(jwt.ok()) << jwt.error().message;
  EXPECT_EQ(jwt->kid, "the-kid");
  EXPECT_EQ(json::serialize(jwt->claims), json::serialize(claims));
  EXPECT_EQ(json::serialize(jwt->header), R"({"kid":"the-kid","alg":"RS256"})");
  EXPECT_EQ(jwt->signing_input, token.substr(0, token.rfind('.')));
  EXPECT_EQ(jwt->signature.size(), 256u);
  EXPECT_TRUE(Key().VerifyRs256(jwt->signing_input, jwt->signature));
  EXPECT_FALSE(TestKey(1).VerifyRs256(jwt->signing_input, jwt->signature));
}

TEST(JwtTest, OnlyRs256IsAccepted) {
  const std::string payload = R"({"sub":"u"})";
  EXPECT_TRUE(ParseJwt(RawToken(R"({"kid":"k","alg":"RS256"})", payload)).ok());
  for (const char* header :
       {R"({"kid":"k","alg":"none"})", R"({"kid":"k","alg":"HS256"})",
        R"({"kid":"k","alg":"RS512"})", R"({"kid":"k","alg":"rs256"})", R"({"kid":"k"})",
        R"({"kid":"k","alg":null})", R"({"kid":"k","alg":["RS256"]})"}) {
    SCOPED_TRACE(header);
    ExpectRejected(RawToken(header, payload));
  }
  // The classic "none" token: empty signature segment.
  ExpectRejected(Base64UrlEncode(R"({"kid":"k","alg":"none"})") + "." + Base64UrlEncode(payload) +
                 ".");
}

TEST(JwtTest, KidMustBeANonEmptyString) {
  const std::string payload = R"({"sub":"u"})";
  for (const char* header : {R"({"alg":"RS256"})", R"({"kid":"","alg":"RS256"})",
                             R"({"kid":7,"alg":"RS256"})", R"({"kid":null,"alg":"RS256"})"}) {
    SCOPED_TRACE(header);
    ExpectRejected(RawToken(header, payload));
  }
}

TEST(JwtTest, CriticalHeaderExtensionsAreRejected) {
  ExpectRejected(RawToken(R"({"kid":"k","alg":"RS256","crit":["exp"]})", R"({"sub":"u"})"));
}

TEST(JwtTest, HeaderAndPayloadMustBeJsonObjects) {
  const std::string header = R"({"kid":"k","alg":"RS256"})";
  for (const char* payload :
       {"[]", "123", R"("sub")", "null", "{", R"({"a":1,})", "", "{\"a\":\"\xff\"}"}) {
    SCOPED_TRACE(payload);
    ExpectRejected(RawToken(header, payload));
  }
  ExpectRejected(RawToken(R"(["kid","alg"])", R"({"sub":"u"})"));
  ExpectRejected(RawToken("not json", R"({"sub":"u"})"));
}

TEST(JwtTest, MalformedSegmentsAreRejected) {
  const std::string good = SignJwt(Key(), "kid", json::object{{"sub", "u"}});
  ASSERT_TRUE(ParseJwt(good).ok());
  const std::size_t dot1 = good.find('.');
  const std::size_t dot2 = good.rfind('.');
  const std::string h = good.substr(0, dot1);
  const std::string p = good.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string s = good.substr(dot2 + 1);
  const std::vector<std::string> bad = {"",
                                        ".",
                                        "..",
                                        "...",
                                        h,
                                        h + "." + p,
                                        good + "." + s,
                                        "." + p + "." + s,
                                        h + ".." + s,
                                        h + "." + p + ".",
                                        h + "=." + p + "." + s,
                                        h + "." + p + "=." + s,
                                        good + "=",
                                        good + "==",
                                        " " + good,
                                        good + " ",
                                        good + "\n",
                                        h + ". " + p + "." + s,
                                        h + "." + p + "." + s.substr(0, 10) + "\n" + s.substr(10),
                                        h + "+." + p + "." + s,
                                        good.substr(0, good.size() - 1) + "/",
                                        h + "." + p + "." + s.substr(1)};
  for (const std::string& token : bad) {
    SCOPED_TRACE(token.substr(0, 120));
    ExpectRejected(token);
  }
}

TEST(JwtTest, NonCanonicalBase64IsRejected) {
  // 256 signature bytes encode to 342 characters whose last one carries 4 unused bits: setting
  // one of them would be a second spelling of the same signature.
  const std::string good = SignJwt(Key(), "kid", json::object{{"sub", "u"}});
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const std::size_t index = alphabet.find(good.back());
  ASSERT_EQ(index % 16, 0u);  // canonical: low 4 bits clear
  std::string variant = good;
  variant.back() = alphabet[index + 1];
  ExpectRejected(variant);
}

TEST(JwtTest, SizeIsBounded) {
  // A valid token just under the limit parses; one byte over is refused before any decoding.
  json::object claims{{"sub", "u"}, {"pad", std::string(11'500, 'x')}};
  const std::string big = SignJwt(Key(), "kid", claims);
  ASSERT_LE(big.size(), kMaxJwtBytes);
  ASSERT_GT(big.size(), kMaxJwtBytes - 1024);
  EXPECT_TRUE(ParseJwt(big).ok());
  claims["pad"] = std::string(12'500, 'x');
  const std::string too_big = SignJwt(Key(), "kid", claims);
  ASSERT_GT(too_big.size(), kMaxJwtBytes);
  ExpectRejected(too_big);
  EXPECT_EQ(ParseJwt(too_big).error().message, "JWT too long.");
  ExpectRejected(std::string(kMaxJwtBytes + 1, 'a'));
}

}  // namespace
}  // namespace cognate::token
