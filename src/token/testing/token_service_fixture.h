#pragma once
// The fixture shared by the TokenService tests: pools A (TestKeys 0, 1) and B (TestKeys 2, 3) in
// a TokenEnv, a TokenService over its keyring, and helpers to read and forge tokens.

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "token/testing/token_env.h"
#include "token/token_service.h"

namespace cognate::token::token_testing {

namespace json = boost::json;

inline constexpr char kUrl[] = "https://cognito-idp.us-east-1.amazonaws.com";
inline constexpr char kPoolA[] = "us-east-1_PoolA0001";
inline constexpr char kPoolB[] = "us-east-1_PoolB0002";
inline constexpr char kClient[] = "1example23456789abcdefghij";

inline std::string Segment(const std::string& token, int index) {
  std::size_t start = 0;
  for (int i = 0; i < index; ++i) start = token.find('.', start) + 1;
  return token.substr(start, token.find('.', start) - start);
}
inline std::string HeaderText(const std::string& token) {
  return crypto::Base64UrlDecode(Segment(token, 0)).value();
}
inline json::object Claims(const std::string& token) {
  return json::parse(crypto::Base64UrlDecode(Segment(token, 1)).value()).as_object();
}
inline std::vector<std::string> Names(const json::object& claims) {
  std::vector<std::string> names;
  for (const auto& kv : claims) names.emplace_back(kv.key());
  return names;
}

class TokenServiceFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    pool_a_ = env_.CreatePool(kPoolA, 0);
    pool_b_ = env_.CreatePool(kPoolB, 2);
    ASSERT_EQ(pool_a_.size(), 2u);
    ASSERT_EQ(pool_b_.size(), 2u);
  }

  static IssueRequest Request() {
    IssueRequest r;
    r.pool_id = kPoolA;
    r.client_id = kClient;
    r.sub = "7c1a2b3c-0000-4000-8000-000000000001";
    r.username = "alice";
    r.origin_jti = "0f7e6d5c-0000-4000-8000-000000000002";
    r.event_id = "e1e2e3e4-0000-4000-8000-000000000003";
    r.auth_time_s = 1'699'999'000;
    r.id_validity_s = 3600;
    r.access_validity_s = 3600;
    return r;
  }
  IssuedTokens IssueOk(const IssueRequest& r) {
    auto issued = service_.Issue(r);
    EXPECT_TRUE(issued.ok()) << (issued.ok() ? "" : issued.error().message);
    return issued.ok() ? *issued : IssuedTokens{};
  }
  // Well-formed access-token claims naming `pool` as issuer, for forged tokens.
  static json::object AccessClaims(const std::string& pool, int64_t exp = 1'800'000'000) {
    return json::object{{"sub", "s"},
                        {"iss", std::string(kUrl) + "/" + pool},
                        {"client_id", kClient},
                        {"token_use", "access"},
                        {"scope", "aws.cognito.signin.user.admin"},
                        {"auth_time", 1},
                        {"exp", exp},
                        {"iat", 1},
                        {"username", "u"}};
  }
  void ExpectInvalid(const std::string& token) {
    auto claims = service_.VerifyAccessToken(token);
    ASSERT_FALSE(claims.ok()) << token.substr(0, 200);
    EXPECT_EQ(claims.error().type, "NotAuthorizedException");
    EXPECT_EQ(claims.error().message, "Invalid Access Token");
  }

  TokenEnv env_;
  TokenService service_{env_.keyring(), env_.clock(), kUrl};
  std::vector<store::SigningKeyRecord> pool_a_, pool_b_;  // [0] "id", [1] "access"
};

}  // namespace cognate::token::token_testing
