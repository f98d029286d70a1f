// MfaService: SetUserMFAPreference, AdminSetUserMFAPreference, SetUserSettings,
// AdminSetUserSettings, the access-token TOTP actions, and what GetUser-style rendering shows.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "identity/mfa_service.h"
#include "identity/testing/mfa_fixture.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

class MfaPreferencesTest : public fakes::MfaFixture {
 protected:
  MfaPreferencesTest() {
    pool_id_ = NewPool();
    alice_ = AddUser(pool_id_, "alice",
                     R"({"email":"alice@example.com","phone_number":"+15555550100"})");
    bare_ = AddUser(pool_id_, "bare");
    token_ = AccessToken(alice_);
  }

  // SetUserMFAPreference for alice with these members.
  Result<json::object> Prefer(std::string_view members) {
    json::object request = json::parse(members).as_object();
    request["AccessToken"] = token_;
    return mfa_.SetUserMFAPreference(request);
  }
  Result<json::object> AdminPrefer(std::string_view username, std::string_view members) {
    json::object request = json::parse(members).as_object();
    request["UserPoolId"] = pool_id_;
    request["Username"] = username;
    return mfa_.AdminSetUserMFAPreference(request);
  }
  // Associates and verifies a TOTP secret for alice through the access-token actions.
  void RegisterTotp() {
    json::object associated = Ok(mfa_.AssociateSoftwareToken({{"AccessToken", token_}}));
    ASSERT_TRUE(associated.contains("SecretCode"));
    std::string secret(associated.at("SecretCode").as_string());
    json::object verified = Ok(mfa_.VerifySoftwareToken(
        {{"AccessToken", token_}, {"UserCode", CodeFor(secret)}, {"FriendlyDeviceName", "x"}}));
    EXPECT_EQ(verified, (json::object{{"Status", "SUCCESS"}}));
  }
  // What GetUser/AdminGetUser would add for `user`.
  json::object Shown(const store::UserRecord& user) {
    json::object out;
    AddMfaSettings(out, StoredMfa(user));
    return out;
  }
  static json::object Parse(std::string_view text) { return json::parse(text).as_object(); }

  std::string pool_id_;
  store::UserRecord alice_;
  store::UserRecord bare_;
  std::string token_;
};

TEST_F(MfaPreferencesTest, TotpNeedsAVerifiedSecret) {
  Error e = Fails(Prefer(R"({"SoftwareTokenMfaSettings":{"Enabled":true,"PreferredMfa":true}})"));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message, "User has not set up software token mfa");
  // Associated but not verified is not enough either.
  Ok(mfa_.AssociateSoftwareToken({{"AccessToken", token_}}));
  Fails(Prefer(R"({"SoftwareTokenMfaSettings":{"Enabled":true}})"));
  EXPECT_FALSE(StoredMfa(alice_).totp_enabled);
}

TEST_F(MfaPreferencesTest, VerifiedTotpCanBeEnabledAndPreferred) {
  RegisterTotp();
  EXPECT_FALSE(StoredMfa(alice_).totp_enabled) << "verifying alone does not enable";
  clock_.AdvanceMs(1000);
  Ok(Prefer(R"({"SoftwareTokenMfaSettings":{"Enabled":true,"PreferredMfa":true}})"));
  EXPECT_EQ(Shown(alice_), Parse(R"({"PreferredMfaSetting":"SOFTWARE_TOKEN_MFA",
      "UserMFASettingList":["SOFTWARE_TOKEN_MFA"]})"));
  EXPECT_EQ(Stored(alice_).modified_ms, clock_.NowMs());
}

TEST_F(MfaPreferencesTest, SmsAndEmailNeedTheirAttribute) {
  Error e = Fails(AdminPrefer("bare", R"({"SMSMfaSettings":{"Enabled":true}})"));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message, "User does not have a phone_number set to turn on SMS MFA");
  e = Fails(AdminPrefer("bare", R"({"EmailMfaSettings":{"Enabled":true}})"));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message, "User does not have an email set to turn on email MFA");
  EXPECT_EQ(Stored(bare_).mfa_json, "{}");
  // Turning a factor off needs nothing.
  Ok(AdminPrefer("bare", R"({"SMSMfaSettings":{"Enabled":false,"PreferredMfa":false},
      "SoftwareTokenMfaSettings":{"Enabled":false,"PreferredMfa":false}})"));
  Ok(Prefer(R"({"SMSMfaSettings":{"Enabled":true},"EmailMfaSettings":{"Enabled":true,
      "PreferredMfa":true}})"));
  EXPECT_EQ(Shown(alice_), Parse(R"({
      "MFAOptions":[{"DeliveryMedium":"SMS","AttributeName":"phone_number"}],
      "PreferredMfaSetting":"EMAIL_OTP","UserMFASettingList":["SMS_MFA","EMAIL_OTP"]})"));
}

TEST_F(MfaPreferencesTest, OnlyOneEnabledFactorCanBePreferred) {
  RegisterTotp();
  Error e = Fails(Prefer(R"({"SMSMfaSettings":{"Enabled":true,"PreferredMfa":true},
      "SoftwareTokenMfaSettings":{"Enabled":true,"PreferredMfa":true}})"));
  EXPECT_EQ(e.type, "InvalidParameterException");
  e = Fails(Prefer(R"({"SMSMfaSettings":{"Enabled":false,"PreferredMfa":true}})"));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_NE(e.message.find("SMS_MFA"), std::string::npos) << e.message;
  // Enabled omitted: the factor's state decides.
  Fails(Prefer(R"({"SoftwareTokenMfaSettings":{"PreferredMfa":true}})"));
  Ok(Prefer(R"({"SoftwareTokenMfaSettings":{"Enabled":true}})"));
  Ok(Prefer(R"({"SoftwareTokenMfaSettings":{"PreferredMfa":true}})"));
  EXPECT_EQ(StoredMfa(alice_).preferred, kSoftwareTokenMfa);
}

TEST_F(MfaPreferencesTest, DisablingThePreferredFactorClearsThePreference) {
  Ok(Prefer(R"({"SMSMfaSettings":{"Enabled":true,"PreferredMfa":true},
      "EmailMfaSettings":{"Enabled":true}})"));
  EXPECT_EQ(StoredMfa(alice_).preferred, kSmsMfa);
  Ok(Prefer(R"({"SMSMfaSettings":{"Enabled":false}})"));
  UserMfa mfa = StoredMfa(alice_);
  EXPECT_EQ(mfa.preferred, "");
  EXPECT_TRUE(mfa.email_enabled) << "an omitted member changes nothing";
  // PreferredMfa false on the preferred factor clears it too; on another one it does not.
  Ok(Prefer(R"({"EmailMfaSettings":{"PreferredMfa":true}})"));
  Ok(Prefer(R"({"SMSMfaSettings":{"PreferredMfa":false}})"));
  EXPECT_EQ(StoredMfa(alice_).preferred, kEmailOtp);
  Ok(Prefer(R"({"EmailMfaSettings":{"PreferredMfa":false}})"));
  EXPECT_EQ(StoredMfa(alice_).preferred, "");
  EXPECT_TRUE(StoredMfa(alice_).email_enabled);
}

TEST_F(MfaPreferencesTest, AdminVariantFindsTheUserByName) {
  Ok(AdminPrefer("alice", R"({"SMSMfaSettings":{"Enabled":true,"PreferredMfa":true}})"));
  EXPECT_EQ(StoredMfa(alice_).preferred, kSmsMfa);
  EXPECT_EQ(Fails(AdminPrefer("nobody", R"({"SMSMfaSettings":{"Enabled":true}})")).type,
            "UserNotFoundException");
  EXPECT_EQ(Fails(mfa_.AdminSetUserMFAPreference(
                      {{"UserPoolId", "eu-west-1_nope"}, {"Username", "alice"}}))
                .type,
            "ResourceNotFoundException");
}

TEST_F(MfaPreferencesTest, BadAccessTokensAreRefused) {
  EXPECT_EQ(Fails(mfa_.SetUserMFAPreference({{"AccessToken", "nope"}})).type,
            "NotAuthorizedException");
  EXPECT_EQ(Fails(mfa_.SetUserSettings({{"AccessToken", "nope"}, {"MFAOptions", json::array()}}))
                .type,
            "NotAuthorizedException");
  EXPECT_EQ(Fails(mfa_.AssociateSoftwareToken({{"AccessToken", "nope"}})).type,
            "NotAuthorizedException");
  EXPECT_EQ(Fails(mfa_.VerifySoftwareToken({{"AccessToken", "nope"}, {"UserCode", "123456"}}))
                .type,
            "NotAuthorizedException");
}

TEST_F(MfaPreferencesTest, LegacyMfaOptionsTurnSmsOnAndOff) {
  json::array sms = json::parse(R"([{"DeliveryMedium":"SMS","AttributeName":"phone_number"}])")
                        .as_array();
  Ok(mfa_.SetUserSettings({{"AccessToken", token_}, {"MFAOptions", sms}}));
  EXPECT_TRUE(StoredMfa(alice_).sms_enabled);
  EXPECT_EQ(Shown(alice_).at("MFAOptions"), sms);
  Ok(Prefer(R"({"SMSMfaSettings":{"PreferredMfa":true}})"));
  Ok(mfa_.SetUserSettings({{"AccessToken", token_}, {"MFAOptions", json::array()}}));
  UserMfa mfa = StoredMfa(alice_);
  EXPECT_FALSE(mfa.sms_enabled);
  EXPECT_EQ(mfa.preferred, "");
  EXPECT_EQ(Shown(alice_), json::object());
  // The admin variant, and a user without a phone number.
  Ok(mfa_.AdminSetUserSettings({{"UserPoolId", pool_id_}, {"Username", "alice"},
                                {"MFAOptions", sms}}));
  EXPECT_TRUE(StoredMfa(alice_).sms_enabled);
  Error e = Fails(mfa_.AdminSetUserSettings({{"UserPoolId", pool_id_}, {"Username", "bare"},
                                             {"MFAOptions", sms}}));
  EXPECT_EQ(e.type, "InvalidParameterException");
}

TEST_F(MfaPreferencesTest, LegacyMfaOptionsRefuseAnythingElse) {
  const char* bad[] = {
      R"([{"DeliveryMedium":"EMAIL","AttributeName":"email"}])",
      R"([{"DeliveryMedium":"SMS","AttributeName":"email"}])",
      R"([{"DeliveryMedium":"SMS"}])",
      R"([{"DeliveryMedium":"SMS","AttributeName":"phone_number"},
          {"DeliveryMedium":"SMS","AttributeName":"phone_number"}])",
  };
  for (const char* options : bad) {
    Error e = Fails(mfa_.SetUserSettings(
        {{"AccessToken", token_}, {"MFAOptions", json::parse(options)}}));
    EXPECT_EQ(e.type, "InvalidParameterException") << options;
  }
  EXPECT_EQ(Stored(alice_).mfa_json, "{}");
}

TEST_F(MfaPreferencesTest, SoftwareTokenCredentialIsExactlyOne) {
  EXPECT_EQ(*SoftwareTokenCredential({{"AccessToken", "a"}}),
            SoftwareTokenCredentialKind::kAccessToken);
  EXPECT_EQ(*SoftwareTokenCredential({{"Session", "s"}}), SoftwareTokenCredentialKind::kSession);
  auto both = SoftwareTokenCredential({{"AccessToken", "a"}, {"Session", "s"}});
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().type, "InvalidParameterException");
  auto neither = SoftwareTokenCredential({{"UserCode", "123456"}});
  ASSERT_FALSE(neither.ok());
  EXPECT_EQ(neither.error().type, "InvalidParameterException");
  // The service itself serves access tokens only.
  EXPECT_EQ(Fails(mfa_.AssociateSoftwareToken({{"Session", std::string(40, 's')}})).type,
            "InvalidParameterException");
  EXPECT_EQ(Fails(mfa_.VerifySoftwareToken({{"AccessToken", token_},
                                            {"Session", std::string(40, 's')},
                                            {"UserCode", "123456"}}))
                .type,
            "InvalidParameterException");
}

TEST_F(MfaPreferencesTest, ADeletedAndRecreatedUserIsNotChangedByAnOldToken) {
  ASSERT_TRUE(stores_.users->DeleteUser(pool_id_, "alice").ok());
  store::UserRecord again = AddUser(pool_id_, "alice", R"({"phone_number":"+15555550100"})");
  Error e = Fails(Prefer(R"({"SMSMfaSettings":{"Enabled":true}})"));
  EXPECT_EQ(e.type, "NotAuthorizedException");
  EXPECT_EQ(Stored(again).mfa_json, "{}");
}

}  // namespace
}  // namespace cognate::identity
