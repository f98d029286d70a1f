// MfaService: SetUserPoolMfaConfig and GetUserPoolMfaConfig.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "identity/mfa_service.h"
#include "identity/testing/mfa_fixture.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

class MfaPoolConfigTest : public fakes::MfaFixture {
 protected:
  MfaPoolConfigTest() { pool_id_ = NewPool({}, /*totp=*/false); }

  Result<json::object> Set(std::string_view members) {
    json::object request = json::parse(members).as_object();
    request["UserPoolId"] = pool_id_;
    return mfa_.SetUserPoolMfaConfig(request);
  }
  json::object Get() { return Ok(mfa_.GetUserPoolMfaConfig({{"UserPoolId", pool_id_}})); }
  json::object Described() {
    json::object out = Ok(pools_.DescribeUserPool({{"UserPoolId", pool_id_}}));
    return out.contains("UserPool") ? out["UserPool"].as_object() : json::object();
  }
  static json::object Parse(std::string_view text) { return json::parse(text).as_object(); }

  std::string pool_id_;
};

TEST_F(MfaPoolConfigTest, AFreshPoolShowsOnlyTheMode) {
  EXPECT_EQ(Get(), Parse(R"({"MfaConfiguration":"OFF"})"));
}

TEST_F(MfaPoolConfigTest, TotpRoundTripAndDescribeUserPool) {
  json::object set = Ok(Set(R"({"MfaConfiguration":"OPTIONAL",
      "SoftwareTokenMfaConfiguration":{"Enabled":true}})"));
  json::object want =
      Parse(R"({"SoftwareTokenMfaConfiguration":{"Enabled":true},"MfaConfiguration":"OPTIONAL"})");
  EXPECT_EQ(set, want);
  EXPECT_EQ(Get(), want);
  EXPECT_EQ(Described().at("MfaConfiguration"), "OPTIONAL");
  EXPECT_TRUE(PoolMfaOf(Pool(pool_id_).config).totp);
}

TEST_F(MfaPoolConfigTest, SetBumpsLastModified) {
  int64_t before = Pool(pool_id_).record.modified_ms;
  clock_.AdvanceMs(5000);
  Ok(Set(R"({"MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":true}})"));
  EXPECT_EQ(Pool(pool_id_).record.modified_ms, before + 5000);
}

TEST_F(MfaPoolConfigTest, OnOrOptionalNeedAFactor) {
  for (std::string_view mode : {"ON", "OPTIONAL"}) {
    std::string request = R"({"MfaConfiguration":")" + std::string(mode) +
                          R"(","SoftwareTokenMfaConfiguration":{"Enabled":false}})";
    Error e = Fails(Set(request));
    EXPECT_EQ(e.type, "InvalidParameterException");
    EXPECT_EQ(e.message,
              "Invalid MFA configuration given, can't disable all MFAs with a required or "
              "optional configuration.");
    Fails(Set(R"({"MfaConfiguration":")" + std::string(mode) + R"("})"));
  }
  EXPECT_EQ(Get(), Parse(R"({"MfaConfiguration":"OFF"})")) << "nothing was written";
}

TEST_F(MfaPoolConfigTest, OffWithAFactorIsRefused) {
  const char* factors[] = {R"("SoftwareTokenMfaConfiguration":{"Enabled":true})",
                           R"("SmsMfaConfiguration":{})",
                           R"("EmailMfaConfiguration":{"Subject":"Code"})"};
  for (const char* factor : factors) {
    Error e = Fails(Set(std::string(R"({"MfaConfiguration":"OFF",)") + factor + "}"));
    EXPECT_EQ(e.type, "InvalidParameterException") << factor;
    EXPECT_EQ(e.message,
              "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.");
  }
  // A disabled token is not a factor.
  Ok(Set(R"({"MfaConfiguration":"OFF","SoftwareTokenMfaConfiguration":{"Enabled":false}})"));
}

TEST_F(MfaPoolConfigTest, SetReplacesTheWholeConfiguration) {
  Ok(Set(R"({"MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":true},
      "EmailMfaConfiguration":{"Message":"Code {####}","Subject":"Your code"}})"));
  EXPECT_EQ(Get().at("EmailMfaConfiguration"),
            Parse(R"({"Message":"Code {####}","Subject":"Your code"})"));
  // Email only now: TOTP is gone.
  Ok(Set(R"({"MfaConfiguration":"OPTIONAL","EmailMfaConfiguration":{}})"));
  EXPECT_EQ(Get(), Parse(R"({"EmailMfaConfiguration":{},"MfaConfiguration":"OPTIONAL"})"));
  PoolMfa pool = PoolMfaOf(Pool(pool_id_).config);
  EXPECT_FALSE(pool.totp);
  EXPECT_TRUE(pool.email);
  // Omitting the mode means OFF, and the factors of that call are dropped.
  json::object out = Ok(Set(R"({"SoftwareTokenMfaConfiguration":{"Enabled":true}})"));
  EXPECT_EQ(out, Parse(R"({"MfaConfiguration":"OFF"})"));
  EXPECT_EQ(Get(), out);
  EXPECT_EQ(Described().at("MfaConfiguration"), "OFF");
  pool = PoolMfaOf(Pool(pool_id_).config);
  EXPECT_FALSE(pool.totp || pool.email || pool.sms);
}

TEST_F(MfaPoolConfigTest, SmsSettingsAreThePoolsOwn) {
  json::object sms = Parse(R"({"SmsAuthenticationMessage":"Your code is {####}",
      "SmsConfiguration":{"SnsCallerArn":"arn:aws:iam::123456789012:role/sns","ExternalId":"x"}})");
  json::object request{{"UserPoolId", pool_id_}, {"MfaConfiguration", "ON"},
                       {"SmsMfaConfiguration", sms}};
  json::object out = Ok(mfa_.SetUserPoolMfaConfig(request));
  EXPECT_EQ(out.at("SmsMfaConfiguration"), sms);
  EXPECT_EQ(Get().at("SmsMfaConfiguration"), sms);
  json::object described = Described();
  EXPECT_EQ(described.at("SmsAuthenticationMessage"), "Your code is {####}");
  EXPECT_EQ(described.at("SmsConfiguration"), sms.at("SmsConfiguration"));
  EXPECT_EQ(described.at("MfaConfiguration"), "ON");
  EXPECT_FALSE(described.contains("SmsMfaConfiguration")) << "not a UserPoolType member";
  // Turning SMS off keeps the pool's SmsConfiguration (other messages use it).
  Ok(Set(R"({"MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":true}})"));
  EXPECT_FALSE(Get().contains("SmsMfaConfiguration"));
  EXPECT_FALSE(PoolMfaOf(Pool(pool_id_).config).sms);
  EXPECT_TRUE(Described().contains("SmsConfiguration"));
}

TEST_F(MfaPoolConfigTest, APoolCreatedWithSmsHasTheSmsFactor) {
  json::object request = Parse(R"({"MfaConfiguration":"OPTIONAL",
      "SmsConfiguration":{"SnsCallerArn":"arn:aws:iam::123456789012:role/sns"}})");
  pool_id_ = NewPool(request, /*totp=*/false);
  json::object got = Get();
  EXPECT_EQ(got.at("MfaConfiguration"), "OPTIONAL");
  EXPECT_EQ(got.at("SmsMfaConfiguration"),
            Parse(R"({"SmsConfiguration":{"SnsCallerArn":"arn:aws:iam::123456789012:role/sns"}})"));
}

TEST_F(MfaPoolConfigTest, UpdateUserPoolKeepsTheFactors) {
  Ok(Set(R"({"MfaConfiguration":"OPTIONAL","SoftwareTokenMfaConfiguration":{"Enabled":true}})"));
  Ok(pools_.UpdateUserPool(
      {{"UserPoolId", pool_id_}, {"MfaConfiguration", "OPTIONAL"}}));
  EXPECT_EQ(Get().at("SoftwareTokenMfaConfiguration"), Parse(R"({"Enabled":true})"));
}

TEST_F(MfaPoolConfigTest, WebAuthnIsKeptApartFromTheMode) {
  Ok(Set(R"({"MfaConfiguration":"OFF","WebAuthnConfiguration":{"RelyingPartyId":"example.com",
      "UserVerification":"preferred"}})"));
  EXPECT_EQ(Get().at("WebAuthnConfiguration").at("RelyingPartyId"), "example.com");
}

TEST_F(MfaPoolConfigTest, UnknownPool) {
  Error e = Fails(mfa_.GetUserPoolMfaConfig({{"UserPoolId", "eu-west-1_nope"}}));
  EXPECT_EQ(e.type, "ResourceNotFoundException");
  e = Fails(mfa_.SetUserPoolMfaConfig({{"UserPoolId", "eu-west-1_nope"},
                                       {"MfaConfiguration", "OFF"}}));
  EXPECT_EQ(e.type, "ResourceNotFoundException");
}

}  // namespace
}  // namespace cognate::identity
