#include "identity/pool_config.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

namespace cognate::identity {
namespace {

namespace json = boost::json;

json::object Obj(std::string_view text) { return json::parse(text).as_object(); }

json::object NewConfig(std::string_view request) {
  Result<json::object> config = NewPoolConfig(Obj(request));
  EXPECT_TRUE(config.ok()) << config.error().message;
  return config.ok() ? *config : json::object();
}

Error NewConfigError(std::string_view request) {
  Result<json::object> config = NewPoolConfig(Obj(request));
  EXPECT_FALSE(config.ok());
  return config.ok() ? Error{} : config.error();
}

TEST(UserPoolConfigTest, DefaultsForAnEmptyRequest) {
  json::object config = NewConfig(R"({"PoolName":"p"})");
  EXPECT_EQ(config.at("Policies"), json::parse(R"({"PasswordPolicy":{"MinimumLength":8,
      "RequireUppercase":true,"RequireLowercase":true,"RequireNumbers":true,
      "RequireSymbols":true,"TemporaryPasswordValidityDays":7},
      "SignInPolicy":{"AllowedFirstAuthFactors":["PASSWORD"]}})"));
  EXPECT_EQ(config.at("DeletionProtection"), "INACTIVE");
  EXPECT_EQ(config.at("LambdaConfig"), json::object());
  EXPECT_EQ(config.at("MfaConfiguration"), "OFF");
  EXPECT_EQ(config.at("EmailConfiguration"), Obj(R"({"EmailSendingAccount":"COGNITO_DEFAULT"})"));
  EXPECT_EQ(config.at("AdminCreateUserConfig"),
            Obj(R"({"AllowAdminCreateUserOnly":false,"UnusedAccountValidityDays":7})"));
  EXPECT_EQ(config.at("VerificationMessageTemplate"),
            Obj(R"({"DefaultEmailOption":"CONFIRM_WITH_CODE"})"));
  EXPECT_EQ(config.at("UserAttributeUpdateSettings"),
            Obj(R"({"AttributesRequireVerificationBeforeUpdate":[]})"));
  EXPECT_EQ(config.at("UserPoolTags"), json::object());
  EXPECT_EQ(config.at("UserPoolTier"), "ESSENTIALS");
  EXPECT_EQ(config.at("SchemaAttributes").as_array().size(), 21u);
  for (const char* absent :
       {"AccountRecoverySetting", "UsernameConfiguration", "AliasAttributes", "UsernameAttributes",
        "AutoVerifiedAttributes", "SmsConfiguration", "DeviceConfiguration", "UserPoolAddOns",
        "EmailVerificationMessage", "SmsVerificationMessage", "PoolName"}) {
    EXPECT_FALSE(config.contains(absent)) << absent;
  }
}

TEST(UserPoolConfigTest, PartialPasswordPolicyFillsFalseAndDefaults) {
  json::object config =
      NewConfig(R"({"Policies":{"PasswordPolicy":{"MinimumLength":12,"RequireNumbers":true}}})");
  EXPECT_EQ(config.at("Policies").at("PasswordPolicy"),
            json::parse(R"({"MinimumLength":12,"RequireUppercase":false,"RequireLowercase":false,
                "RequireNumbers":true,"RequireSymbols":false,"TemporaryPasswordValidityDays":7})"));
  config = NewConfig(R"({"Policies":{"PasswordPolicy":{"PasswordHistorySize":3,
                                                       "TemporaryPasswordValidityDays":0}}})");
  EXPECT_EQ(config.at("Policies").at("PasswordPolicy").at("MinimumLength"), 8);
  EXPECT_EQ(config.at("Policies").at("PasswordPolicy").at("PasswordHistorySize"), 3);
  EXPECT_EQ(config.at("Policies").at("PasswordPolicy").at("TemporaryPasswordValidityDays"), 7);
}

TEST(UserPoolConfigTest, PasswordHistorySizeShownOnlyWhenEnforced) {
  auto policy = [](std::string_view request) {
    return NewConfig(request).at("Policies").at("PasswordPolicy").as_object();
  };
  EXPECT_EQ(policy(R"({"Policies":{"PasswordPolicy":{"PasswordHistorySize":24}}})")
                .at("PasswordHistorySize"),
            24);
  // 0 means "not enforced", which DescribeUserPool shows by leaving the member out.
  EXPECT_FALSE(policy(R"({"Policies":{"PasswordPolicy":{"PasswordHistorySize":0}}})")
                   .contains("PasswordHistorySize"));
  EXPECT_FALSE(policy("{}").contains("PasswordHistorySize"));
}

TEST(UserPoolConfigTest, TemporaryPasswordDaysMirrorTheLegacyMember) {
  json::object config = NewConfig(R"({"AdminCreateUserConfig":{"UnusedAccountValidityDays":3}})");
  EXPECT_EQ(config.at("Policies").at("PasswordPolicy").at("TemporaryPasswordValidityDays"), 3);
  config = NewConfig(R"({"Policies":{"PasswordPolicy":{"TemporaryPasswordValidityDays":5}},
                         "AdminCreateUserConfig":{"AllowAdminCreateUserOnly":true}})");
  EXPECT_EQ(config.at("AdminCreateUserConfig"),
            Obj(R"({"AllowAdminCreateUserOnly":true,"UnusedAccountValidityDays":5})"));
  Error e = NewConfigError(R"({"Policies":{"PasswordPolicy":{"TemporaryPasswordValidityDays":5}},
                               "AdminCreateUserConfig":{"UnusedAccountValidityDays":6}})");
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message,
            "Please use TemporaryPasswordValidityDays in PasswordPolicy instead of "
            "UnusedAccountValidityDays");
}

TEST(UserPoolConfigTest, VerificationMessagesMirrorTheLegacyMembers) {
  json::object config = NewConfig(R"({"EmailVerificationMessage":"Code {####}",
      "EmailVerificationSubject":"Subject","SmsVerificationMessage":"SMS {####}"})");
  EXPECT_EQ(config.at("VerificationMessageTemplate"),
            Obj(R"({"SmsMessage":"SMS {####}","EmailMessage":"Code {####}",
                    "EmailSubject":"Subject","DefaultEmailOption":"CONFIRM_WITH_CODE"})"));
  config = NewConfig(R"({"VerificationMessageTemplate":{"EmailMessage":"T {####}",
      "EmailMessageByLink":"Click {##here##}","DefaultEmailOption":"CONFIRM_WITH_LINK"},
      "EmailVerificationMessage":"L {####}"})");
  EXPECT_EQ(config.at("EmailVerificationMessage"), "T {####}");  // the template wins
  EXPECT_EQ(config.at("VerificationMessageTemplate").at("EmailMessageByLink"), "Click {##here##}");
  EXPECT_EQ(config.at("VerificationMessageTemplate").at("DefaultEmailOption"), "CONFIRM_WITH_LINK");
  EXPECT_FALSE(config.contains("SmsVerificationMessage"));
}

TEST(UserPoolConfigTest, KeepsGivenMembers) {
  json::object config = NewConfig(R"({"UsernameAttributes":["email"],
      "UsernameConfiguration":{"CaseSensitive":false},"AutoVerifiedAttributes":["email"],
      "UserAttributeUpdateSettings":{"AttributesRequireVerificationBeforeUpdate":["email"]},
      "AccountRecoverySetting":{"RecoveryMechanisms":[{"Priority":1,"Name":"verified_email"}]},
      "MfaConfiguration":"OPTIONAL","DeletionProtection":"ACTIVE","UserPoolTags":{"a":"b"},
      "LambdaConfig":{"PreSignUp":"arn:aws:lambda:us-east-1:1:function:f"},
      "UserPoolTier":"PLUS","EmailConfiguration":{"ReplyToEmailAddress":"a@b.c"}})");
  EXPECT_EQ(config.at("UsernameAttributes"), json::parse(R"(["email"])"));
  EXPECT_EQ(config.at("UsernameConfiguration"), Obj(R"({"CaseSensitive":false})"));
  EXPECT_EQ(config.at("MfaConfiguration"), "OPTIONAL");  // accepted without SmsConfiguration
  EXPECT_EQ(config.at("DeletionProtection"), "ACTIVE");
  EXPECT_EQ(config.at("UserPoolTags"), Obj(R"({"a":"b"})"));
  EXPECT_EQ(config.at("UserPoolTier"), "PLUS");
  EXPECT_EQ(config.at("EmailConfiguration"),
            Obj(R"({"ReplyToEmailAddress":"a@b.c","EmailSendingAccount":"COGNITO_DEFAULT"})"));
  EXPECT_EQ(config.at("AccountRecoverySetting").at("RecoveryMechanisms").as_array().size(), 1u);
}

TEST(UserPoolConfigTest, RejectsInconsistentSettings) {
  EXPECT_EQ(
      NewConfigError(R"({"UsernameAttributes":["email"],"AliasAttributes":["email"]})").message,
      "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.");
  EXPECT_EQ(NewConfigError(R"({"UserAttributeUpdateSettings":
                {"AttributesRequireVerificationBeforeUpdate":["email"]}})")
                .type,
            "InvalidParameterException");
  EXPECT_EQ(NewConfigError(R"({"EmailConfiguration":{"EmailSendingAccount":"DEVELOPER"}})").message,
            "SourceArn is required when EmailSendingAccount is DEVELOPER.");
  EXPECT_EQ(NewConfigError(R"({"AccountRecoverySetting":{"RecoveryMechanisms":[
                {"Priority":1,"Name":"admin_only"},{"Priority":2,"Name":"verified_email"}]}})")
                .message,
            "admin_only cannot be combined with other recovery mechanisms.");
  EXPECT_EQ(NewConfigError(R"({"AccountRecoverySetting":{"RecoveryMechanisms":[
                {"Priority":1,"Name":"verified_phone_number"},
                {"Priority":1,"Name":"verified_email"}]}})")
                .message,
            "RecoveryMechanisms must have distinct names and priorities.");
  EXPECT_EQ(NewConfigError(R"({"Schema":[{"Name":"x","Required":true}]})").message,
            "Required custom attributes are not supported currently.");
}

TEST(UserPoolConfigTest, UpdateResetsOmittedMembersAndKeepsImmutableOnes) {
  json::object stored = NewConfig(R"({"UsernameAttributes":["email"],
      "Schema":[{"Name":"tier"}],"UsernameConfiguration":{"CaseSensitive":false},
      "MfaConfiguration":"ON","DeletionProtection":"ACTIVE","AutoVerifiedAttributes":["email"],
      "Policies":{"PasswordPolicy":{"MinimumLength":20}},"UserPoolTags":{"team":"x"},
      "EmailVerificationMessage":"Hi {####}","UserPoolTier":"LITE",
      "AccountRecoverySetting":{"RecoveryMechanisms":[{"Priority":1,"Name":"verified_email"}]}})");
  stored["Domain"] = "my-domain";  // a member owned by another service
  Result<json::object> updated = UpdatedPoolConfig(stored, Obj(R"({"UserPoolId":"x_y",
      "LambdaConfig":{"PreSignUp":"arn:aws:lambda:us-east-1:1:function:f"}})"));
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  json::object fresh = NewConfig("{}");
  for (const char* reset :
       {"Policies", "DeletionProtection", "MfaConfiguration", "VerificationMessageTemplate",
        "EmailConfiguration", "AdminCreateUserConfig", "UserAttributeUpdateSettings"}) {
    EXPECT_EQ(updated->at(reset), fresh.at(reset)) << reset;
  }
  for (const char* gone :
       {"AutoVerifiedAttributes", "EmailVerificationMessage", "AccountRecoverySetting"}) {
    EXPECT_FALSE(updated->contains(gone)) << gone;
  }
  for (const char* kept : {"SchemaAttributes", "UsernameAttributes", "UsernameConfiguration",
                           "UserPoolTags", "UserPoolTier", "Domain"}) {
    EXPECT_EQ(updated->at(kept), stored.at(kept)) << kept;
  }
  EXPECT_EQ(updated->at("LambdaConfig").at("PreSignUp"), "arn:aws:lambda:us-east-1:1:function:f");
  updated = UpdatedPoolConfig(stored, Obj(R"({"UserPoolTags":{},"UserPoolTier":"PLUS"})"));
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->at("UserPoolTags"), json::object());
  EXPECT_EQ(updated->at("UserPoolTier"), "PLUS");
}

TEST(UserPoolConfigTest, RenderOrdersMembersAndOmitsInternalOnes) {
  json::object config = NewConfig(R"({"UsernameAttributes":["email"]})");
  config["InternalSetting"] = true;
  PoolIdentity pool{"eu-west-1_abc", "p", "arn:x", 1'000'500, 2'000'000, 0};
  json::object out = RenderUserPool(pool, config);
  EXPECT_FALSE(out.contains("InternalSetting"));
  EXPECT_FALSE(out.contains("Status"));
  EXPECT_EQ(out.begin()->key(), "Id");
  EXPECT_EQ(out.at("CreationDate"), 1000.5);
  EXPECT_EQ(out.at("LastModifiedDate"), 2000);
  EXPECT_EQ(out.at("EstimatedNumberOfUsers"), 0);
  EXPECT_EQ(out.at("Arn"), "arn:x");
  EXPECT_EQ((out.end() - 1)->key(), "UserPoolTier");
}

}  // namespace
}  // namespace cognate::identity
