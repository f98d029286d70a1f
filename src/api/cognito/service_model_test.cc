#include "api/cognito/service_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <string>

#include "api/cognito/service_model_test_util.h"

namespace cognate::api {
namespace {

namespace json = boost::json;

using model_test::Check;
using model_test::CheckValue;
using model_test::kInvalid;
using model_test::kOneError;
using model_test::kSerialization;

TEST(ServiceModelTest, FindsOperations) {
  const ServiceModel& model = ServiceModel::Get();
  EXPECT_EQ(model.FindOperation("NoSuchAction"), nullptr);
  EXPECT_EQ(model.FindOperation("signUp"), nullptr);  // names are case-sensitive
  const OperationInfo* sign_up = model.FindOperation("SignUp");
  ASSERT_NE(sign_up, nullptr);
  EXPECT_TRUE(sign_up->no_auth);
  EXPECT_EQ(sign_up->input_shape, "SignUpRequest");
  EXPECT_EQ(sign_up->output_shape, "SignUpResponse");
  const OperationInfo* create = model.FindOperation("CreateUserPool");
  ASSERT_NE(create, nullptr);
  EXPECT_FALSE(create->no_auth);
  EXPECT_NE(std::find(create->errors.begin(), create->errors.end(), "InvalidParameterException"),
            create->errors.end());
  ASSERT_NE(model.FindOperation("InitiateAuth"), nullptr);
  EXPECT_TRUE(model.FindOperation("InitiateAuth")->no_auth);
  EXPECT_FALSE(model.FindOperation("AdminInitiateAuth")->no_auth);
}

TEST(ServiceModelTest, RequiredMemberMissingOrNull) {
  const std::string expected =
      std::string(kOneError) +
      "Value null at 'poolName' failed to satisfy constraint: Member must not be null";
  EXPECT_EQ(Check("CreateUserPool", "{}"), expected);
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": null})"), expected);
  EXPECT_EQ(Check("CreateUserPool", R"({"poolName": "lower-case key is unknown"})"), expected);
  // A null body is an empty one; optional members may be null.
  EXPECT_EQ(Check("CreateUserPool", "null"), expected);
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": "p", "Policies": null, "Schema": null})"),
            "OK");
}

TEST(ServiceModelTest, StringLengthAndPattern) {
  const std::string long_name(129, 'a');
  EXPECT_EQ(CheckValue("CreateUserPool", json::value{{"PoolName", long_name}}),
            std::string(kOneError) + "Value '" + long_name +
                "' at 'poolName' failed to satisfy constraint: Member must have length less "
                "than or equal to 128");
  EXPECT_EQ(CheckValue("CreateUserPool", json::value{{"PoolName", std::string(128, 'a')}}), "OK");
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": "bad/name"})"),
            std::string(kOneError) +
                "Value 'bad/name' at 'poolName' failed to satisfy constraint: Member must "
                R"(satisfy regular expression pattern: [\w\s+=,.@-]+)");
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": "My pool+=,.@-_1"})"), "OK");
}

TEST(ServiceModelTest, TwoViolationsOfOneValue) {
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": ""})"),
            std::string(kInvalid) +
                "2 validation errors detected: Value '' at 'poolName' failed to satisfy "
                R"(constraint: Member must satisfy regular expression pattern: [\w\s+=,.@-]+; )"
                "Value '' at 'poolName' failed to satisfy constraint: Member must have length "
                "greater than or equal to 1");
}

TEST(ServiceModelTest, TwoViolationsOfTwoMembers) {
  EXPECT_EQ(Check("CreateUserPool", R"({"MfaConfiguration": "SOMETIMES", "PoolName": "a/b"})"),
            std::string(kInvalid) +
                "2 validation errors detected: Value 'SOMETIMES' at 'mfaConfiguration' failed to "
                "satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]; "
                "Value 'a/b' at 'poolName' failed to satisfy constraint: Member must satisfy "
                R"(regular expression pattern: [\w\s+=,.@-]+)");
}

TEST(ServiceModelTest, EnumViolation) {
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": "p", "MfaConfiguration": "SOMETIMES"})"),
            std::string(kOneError) +
                "Value 'SOMETIMES' at 'mfaConfiguration' failed to satisfy constraint: Member "
                "must satisfy enum value set: [OFF, ON, OPTIONAL]");
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": "p", "MfaConfiguration": "OPTIONAL"})"), "OK");
  EXPECT_NE(Check("CreateUserPool", R"({"PoolName": "p", "MfaConfiguration": "off"})"), "OK");
}

TEST(ServiceModelTest, IntegerRange) {
  EXPECT_EQ(Check("ListUserPools", R"({"MaxResults": 0})"),
            std::string(kOneError) +
                "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value "
                "greater than or equal to 1");
  EXPECT_EQ(Check("ListUserPools", R"({"MaxResults": 61})"),
            std::string(kOneError) +
                "Value '61' at 'maxResults' failed to satisfy constraint: Member must have value "
                "less than or equal to 60");
  EXPECT_EQ(Check("ListUserPools", R"({"MaxResults": 10})"), "OK");
  EXPECT_EQ(Check("ListUserPools", R"({"MaxResults": 60, "NextToken": "abc"})"), "OK");
}

TEST(ServiceModelTest, PasswordHistorySizeRange) {
  const auto create = [](int size) {
    return Check("CreateUserPool", R"({"PoolName": "p", "Policies": {"PasswordPolicy": )"
                                   R"({"PasswordHistorySize": )" +
                                       std::to_string(size) + "}}}");
  };
  EXPECT_EQ(create(25), std::string(kOneError) +
                            "Value '25' at 'policies.passwordPolicy.passwordHistorySize' failed to "
                            "satisfy constraint: Member must have value less than or equal to 24");
  EXPECT_EQ(create(-1),
            std::string(kOneError) +
                "Value '-1' at 'policies.passwordPolicy.passwordHistorySize' failed to "
                "satisfy constraint: Member must have value greater than or equal to 0");
  EXPECT_EQ(create(0), "OK");
  EXPECT_EQ(create(24), "OK");
}

TEST(ServiceModelTest, IntegerTypeMismatches) {
  EXPECT_EQ(Check("ListUserPools", R"({"MaxResults": "10"})"),
            std::string(kSerialization) + "STRING_VALUE can not be converted to an Integer");
  EXPECT_EQ(Check("ListUserPools", R"({"MaxResults": 10.0})"),
            std::string(kSerialization) + "NUMBER_VALUE can not be converted to an Integer");
  EXPECT_EQ(Check("ListUserPools", R"({"MaxResults": 2147483648})"),
            std::string(kSerialization) + "NUMBER_VALUE can not be converted to an Integer");
  EXPECT_EQ(Check("ListUserPools", R"({"MaxResults": 18446744073709551615})"),
            std::string(kSerialization) + "NUMBER_VALUE can not be converted to an Integer");
  EXPECT_EQ(Check("ListUserPools", R"({"MaxResults": true})"),
            std::string(kSerialization) + "BOOLEAN_VALUE can not be converted to an Integer");
  EXPECT_EQ(Check("ListUserPools", R"({"MaxResults": [10]})"),
            std::string(kSerialization) + "Start of list found where not expected");
  EXPECT_EQ(Check("ListUserPools", R"({"MaxResults": {}})"),
            std::string(kSerialization) + "Start of structure or map found where not expected.");
}

TEST(ServiceModelTest, StringAndOtherTypeMismatches) {
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": {"a": 1}})"),
            std::string(kSerialization) + "Start of structure or map found where not expected.");
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": ["p"]})"),
            std::string(kSerialization) + "Start of list found where not expected");
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": 5})"),
            std::string(kSerialization) +
                "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be "
                "converted to an String");
  EXPECT_EQ(
      Check("CreateUserPool", R"({"PoolName": true})"),
      std::string(kSerialization) + "class java.lang.Boolean can not be converted to an String");
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": "p", "Policies": "strong"})"),
            std::string(kSerialization) + "STRING_VALUE can not be converted to a Structure");
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": "p", "Schema": {}})"),
            std::string(kSerialization) + "Start of structure or map found where not expected.");
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": "p", "UserPoolTags": []})"),
            std::string(kSerialization) + "Start of list found where not expected");
  EXPECT_EQ(Check("CreateUserPool",
                  R"({"PoolName": "p", "Policies": {"PasswordPolicy": {"RequireNumbers": "y"}}})"),
            std::string(kSerialization) + "STRING_VALUE can not be converted to a Boolean");
  EXPECT_EQ(Check("CreateUserPool",
                  R"({"PoolName": "p", "Policies": {"PasswordPolicy": {"RequireNumbers": 1}}})"),
            std::string(kSerialization) + "NUMBER_VALUE can not be converted to a Boolean");
}

TEST(ServiceModelTest, SerializationErrorWinsOverViolations) {
  EXPECT_EQ(Check("CreateUserPool", R"({"MfaConfiguration": "SOMETIMES", "Schema": [{"Mutable":
      "yes"}]})"),
            std::string(kSerialization) + "STRING_VALUE can not be converted to a Boolean");
}

TEST(ServiceModelTest, BodyMustBeAnObject) {
  EXPECT_EQ(Check("CreateUserPool", "[]"),
            std::string(kSerialization) + "Start of list found where not expected");
  EXPECT_EQ(Check("ListUserPools", R"([{"MaxResults": 10}])"),
            std::string(kSerialization) + "Start of list found where not expected");
  EXPECT_EQ(Check("CreateUserPool", R"("PoolName")"),
            std::string(kSerialization) + "STRING_VALUE can not be converted to a Structure");
  EXPECT_EQ(Check("CreateUserPool", "42"),
            std::string(kSerialization) + "NUMBER_VALUE can not be converted to a Structure");
}

TEST(ServiceModelTest, ValidFullCreateUserPoolBodyPasses) {
  const char* body = R"({
    "PoolName": "MyPool",
    "Policies": {"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": true,
        "RequireLowercase": true, "RequireNumbers": false, "RequireSymbols": false,
        "TemporaryPasswordValidityDays": 7, "PasswordHistorySize": 0},
      "SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
    "Schema": [
      {"Name": "email", "AttributeDataType": "String", "Required": true, "Mutable": true},
      {"Name": "tenant", "AttributeDataType": "String", "DeveloperOnlyAttribute": false,
       "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "64"}},
      {"Name": "level", "AttributeDataType": "Number",
       "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "100"}}],
    "AutoVerifiedAttributes": ["email"],
    "UsernameAttributes": ["email"],
    "UsernameConfiguration": {"CaseSensitive": false},
    "MfaConfiguration": "OFF",
    "DeletionProtection": "INACTIVE",
    "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": false, "UnusedAccountValidityDays": 7,
      "InviteMessageTemplate": {"EmailSubject": "Welcome", "SMSMessage": "Hi {username}\n{####}",
        "EmailMessage": "Hello {username}, your code is {####}"}},
    "AccountRecoverySetting": {"RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]},
    "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_CODE",
      "EmailMessage": "Your code is {####}\r\nThanks", "EmailSubject": "Your code",
      "SmsMessage": "Code {####}"},
    "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
    "UserPoolTags": {"team": "identity", "empty": ""},
    "SomeFutureMember": {"ignored": [1, 2, 3]}
  })";
  EXPECT_EQ(Check("CreateUserPool", body), "OK");
}

TEST(ServiceModelTest, NestedPath) {
  EXPECT_EQ(Check("CreateUserPool",
                  R"({"PoolName": "p", "Policies": {"PasswordPolicy": {"MinimumLength": 100}}})"),
            std::string(kOneError) +
                "Value '100' at 'policies.passwordPolicy.minimumLength' failed to satisfy "
                "constraint: Member must have value less than or equal to 99");
}

TEST(ServiceModelTest, ListElementPathIsOneBased) {
  // CustomAttributeNameType allows 1..20 code points.
  const std::string name(21, 'n');
  json::value body = json::parse(R"({"PoolName": "p", "Schema": [{"Name": "ok"}, {}]})");
  body.at("Schema").at(1).as_object()["Name"] = name;
  EXPECT_EQ(CheckValue("CreateUserPool", body),
            std::string(kOneError) + "Value '" + name +
                "' at 'schema.2.member.name' failed to satisfy constraint: Member must have "
                "length less than or equal to 20");
  EXPECT_EQ(Check("CreateUserPool",
                  R"({"PoolName": "p", "AccountRecoverySetting": {"RecoveryMechanisms": [{}]}})"),
            std::string(kInvalid) +
                "2 validation errors detected: Value null at "
                "'accountRecoverySetting.recoveryMechanisms.1.member.name' failed to satisfy "
                "constraint: Member must not be null; Value null at "
                "'accountRecoverySetting.recoveryMechanisms.1.member.priority' failed to satisfy "
                "constraint: Member must not be null");
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": "p", "Schema": [null]})"),
            std::string(kOneError) +
                "Value null at 'schema.1.member' failed to satisfy constraint: Member must not "
                "be null");
}

TEST(ServiceModelTest, SignUpAttributePathAndSensitiveValues) {
  // AttributeNameType allows 1..32 code points; the attribute value is sensitive.
  json::value body = json::parse(R"({"ClientId": "abc123", "Username": "bob",
      "UserAttributes": [{"Name": "email", "Value": "bob@example.com"}, {"Name": "x"}]})");
  EXPECT_EQ(CheckValue("SignUp", body), "OK");
  body.at("UserAttributes").at(0).as_object()["Name"] = std::string(33, 'a');
  body.at("UserAttributes").at(1).as_object()["Value"] = std::string(2049, 'v');
  EXPECT_EQ(CheckValue("SignUp", body),
            std::string(kInvalid) + "2 validation errors detected: Value '" + std::string(33, 'a') +
                "' at 'userAttributes.1.member.name' failed to satisfy constraint: Member must "
                "have length less than or equal to 32; Value at 'userAttributes.2.member.value' "
                "failed to satisfy constraint: Member must have length less than or equal to "
                "2048");
}

TEST(ServiceModelTest, SensitiveValueNotEchoed) {
  json::value body = {
      {"ClientId", "abc123"}, {"Username", "bob"}, {"Password", std::string(300, 'p')}};
  EXPECT_EQ(CheckValue("SignUp", body),
            std::string(kOneError) +
                "Value at 'password' failed to satisfy constraint: Member must have length less "
                "than or equal to 256");
  EXPECT_EQ(Check("SignUp", R"({"ClientId": "a b", "Username": "bob"})"),
            std::string(kOneError) +
                "Value at 'clientId' failed to satisfy constraint: Member must satisfy regular "
                R"(expression pattern: [\w+]+)");
  // Everything inside a sensitive structure is redacted, whatever its own shape says.
  json::value context = {{"EncodedData", std::string(131073, 'e')}};
  EXPECT_EQ(CheckValue("SignUp",
                       json::value{
                           {"ClientId", "abc"}, {"Username", "bob"}, {"UserContextData", context}}),
            std::string(kOneError) +
                "Value at 'userContextData.encodedData' failed to satisfy constraint: Member must "
                "have length less than or equal to 131072");
}

}  // namespace
}  // namespace cognate::api
