#include "identity/pool_config.h"

#include <boost/json/array.hpp>
#include <set>
#include <string_view>

#include "identity/json_fields.h"
#include "identity/schema.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

constexpr int64_t kDefaultMinimumLength = 8;
constexpr int64_t kDefaultTemporaryPasswordDays = 7;

// The members UpdateUserPool owns: rebuilt from each request, defaults when omitted.
// clang-format off
constexpr std::string_view kResetOnUpdate[] = {
    "Policies", "DeletionProtection", "LambdaConfig", "AutoVerifiedAttributes",
    "SmsVerificationMessage", "EmailVerificationMessage", "EmailVerificationSubject",
    "VerificationMessageTemplate", "SmsAuthenticationMessage", "UserAttributeUpdateSettings",
    "MfaConfiguration", "DeviceConfiguration", "EmailConfiguration", "SmsConfiguration",
    "AdminCreateUserConfig", "UserPoolAddOns", "AccountRecoverySetting"};
// clang-format on

// Days a temporary password stays valid, from either of the two members that set it.
Result<int64_t> TemporaryPasswordDays(const json::object& request) {
  const json::object* policies = GetObject(request, "Policies");
  const json::object* password = policies ? GetObject(*policies, "PasswordPolicy") : nullptr;
  const json::object* admin = GetObject(request, "AdminCreateUserConfig");
  int64_t days = password ? GetInt(*password, "TemporaryPasswordValidityDays").value_or(0) : 0;
  int64_t legacy = admin ? GetInt(*admin, "UnusedAccountValidityDays").value_or(0) : 0;
  if (days != 0 && legacy != 0 && days != legacy) {
    return Error::InvalidParameter(
        "Please use TemporaryPasswordValidityDays in PasswordPolicy instead of "
        "UnusedAccountValidityDays");
  }
  if (days != 0) return days;
  return legacy != 0 ? legacy : kDefaultTemporaryPasswordDays;
}

json::object PasswordPolicy(const json::object* given, int64_t temporary_days) {
  json::object policy;
  policy["MinimumLength"] = given ? GetInt(*given, "MinimumLength").value_or(kDefaultMinimumLength)
                                  : kDefaultMinimumLength;
  for (std::string_view flag :
       {"RequireUppercase", "RequireLowercase", "RequireNumbers", "RequireSymbols"}) {
    policy[flag] = given ? GetBool(*given, flag).value_or(false) : true;
  }
  // Cognito shows the history size only when it is enforced (above 0).
  const int64_t history = given ? GetInt(*given, "PasswordHistorySize").value_or(0) : 0;
  if (history > 0) policy["PasswordHistorySize"] = history;
  policy["TemporaryPasswordValidityDays"] = temporary_days;
  return policy;
}

json::object Policies(const json::object& request, int64_t temporary_days) {
  const json::object* given = GetObject(request, "Policies");
  const json::object* password = given ? GetObject(*given, "PasswordPolicy") : nullptr;
  const json::object* sign_in = given ? GetObject(*given, "SignInPolicy") : nullptr;
  json::object policies;
  policies["PasswordPolicy"] = PasswordPolicy(password, temporary_days);
  if (sign_in) {
    policies["SignInPolicy"] = *sign_in;
  } else {
    policies["SignInPolicy"] = {{"AllowedFirstAuthFactors", json::array{"PASSWORD"}}};
  }
  return policies;
}

// VerificationMessageTemplate plus the legacy members it mirrors.
void VerificationMessages(const json::object& request, json::object& config) {
  struct Mirror {
    std::string_view legacy;
    std::string_view in_template;
  };
  constexpr Mirror kMirrors[] = {{"SmsVerificationMessage", "SmsMessage"},
                                 {"EmailVerificationMessage", "EmailMessage"},
                                 {"EmailVerificationSubject", "EmailSubject"}};
  const json::object* given = GetObject(request, "VerificationMessageTemplate");
  json::object out;
  for (const Mirror& m : kMirrors) {
    std::optional<std::string> text = given ? GetString(*given, m.in_template) : std::nullopt;
    if (!text) text = GetString(request, m.legacy);
    if (!text) continue;
    out[m.in_template] = *text;
    config[m.legacy] = *text;
  }
  if (given) {
    CopyIfPresent(*given, out, "EmailMessageByLink");
    CopyIfPresent(*given, out, "EmailSubjectByLink");
  }
  std::optional<std::string> option =
      given ? GetString(*given, "DefaultEmailOption") : std::nullopt;
  out["DefaultEmailOption"] = option.value_or("CONFIRM_WITH_CODE");
  config["VerificationMessageTemplate"] = std::move(out);
}

Status AttributeUpdateSettings(const json::object& request, json::object& config) {
  const json::object* given = GetObject(request, "UserAttributeUpdateSettings");
  const json::array* listed =
      given ? GetArray(*given, "AttributesRequireVerificationBeforeUpdate") : nullptr;
  json::array attributes = listed ? *listed : json::array();
  const json::array* auto_verified = GetArray(request, "AutoVerifiedAttributes");
  for (const json::value& a : attributes) {
    // An update held until verification needs a verification message to be sent at all.
    if (!a.is_string() || !auto_verified || !Contains(*auto_verified, a.get_string())) {
      return Error::InvalidParameter(
          "Attributes in AttributesRequireVerificationBeforeUpdate must also be in "
          "AutoVerifiedAttributes.");
    }
  }
  config["UserAttributeUpdateSettings"] = {
      {"AttributesRequireVerificationBeforeUpdate", std::move(attributes)}};
  return OkStatus();
}

Status EmailConfiguration(const json::object& request, json::object& config) {
  const json::object* given = GetObject(request, "EmailConfiguration");
  json::object email = given ? *given : json::object();
  if (!email.contains("EmailSendingAccount")) email["EmailSendingAccount"] = "COGNITO_DEFAULT";
  if (GetString(email, "EmailSendingAccount") == "DEVELOPER" && !email.contains("SourceArn")) {
    return Error::InvalidParameter("SourceArn is required when EmailSendingAccount is DEVELOPER.");
  }
  config["EmailConfiguration"] = std::move(email);
  return OkStatus();
}

json::object AdminCreateUserConfig(const json::object& request, int64_t temporary_days) {
  const json::object* given = GetObject(request, "AdminCreateUserConfig");
  json::object admin;
  admin["AllowAdminCreateUserOnly"] =
      given ? GetBool(*given, "AllowAdminCreateUserOnly").value_or(false) : false;
  admin["UnusedAccountValidityDays"] = temporary_days;
  if (given) CopyIfPresent(*given, admin, "InviteMessageTemplate");
  return admin;
}

Status CheckAccountRecovery(const json::object& request) {
  const json::object* given = GetObject(request, "AccountRecoverySetting");
  const json::array* mechanisms = given ? GetArray(*given, "RecoveryMechanisms") : nullptr;
  if (mechanisms == nullptr) return OkStatus();
  std::set<int64_t> priorities;
  std::set<std::string> names;
  for (const json::value& v : *mechanisms) {
    const json::object* m = v.if_object();
    if (m == nullptr) continue;
    if (!priorities.insert(GetInt(*m, "Priority").value_or(0)).second ||
        !names.insert(GetString(*m, "Name").value_or("")).second) {
      return Error::InvalidParameter("RecoveryMechanisms must have distinct names and priorities.");
    }
  }
  if (names.contains("admin_only") && names.size() > 1) {
    return Error::InvalidParameter("admin_only cannot be combined with other recovery mechanisms.");
  }
  return OkStatus();
}

// Writes every member UpdateUserPool owns (kResetOnUpdate) from `request` or its default.
Status ApplySettings(const json::object& request, json::object& config) {
  Result<int64_t> temporary_days = TemporaryPasswordDays(request);
  if (!temporary_days.ok()) return std::move(temporary_days).error();
  COGNATE_RETURN_IF_ERROR(CheckAccountRecovery(request));
  config["Policies"] = Policies(request, *temporary_days);
  config["DeletionProtection"] = GetString(request, "DeletionProtection").value_or("INACTIVE");
  const json::object* lambda = GetObject(request, "LambdaConfig");
  config["LambdaConfig"] = lambda ? *lambda : json::object();
  CopyIfPresent(request, config, "AutoVerifiedAttributes");
  VerificationMessages(request, config);
  CopyIfPresent(request, config, "SmsAuthenticationMessage");
  COGNATE_RETURN_IF_ERROR(AttributeUpdateSettings(request, config));
  config["MfaConfiguration"] = GetString(request, "MfaConfiguration").value_or("OFF");
  CopyIfPresent(request, config, "DeviceConfiguration");
  COGNATE_RETURN_IF_ERROR(EmailConfiguration(request, config));
  CopyIfPresent(request, config, "SmsConfiguration");
  config["AdminCreateUserConfig"] = AdminCreateUserConfig(request, *temporary_days);
  CopyIfPresent(request, config, "UserPoolAddOns");
  CopyIfPresent(request, config, "AccountRecoverySetting");
  return OkStatus();
}

bool NonEmptyList(const json::object& o, std::string_view key) {
  const json::array* a = GetArray(o, key);
  return a != nullptr && !a->empty();
}

}  // namespace

Result<json::object> NewPoolConfig(const json::object& request) {
  if (NonEmptyList(request, "UsernameAttributes") && NonEmptyList(request, "AliasAttributes")) {
    return Error::InvalidParameter(
        "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.");
  }
  json::object config;
  COGNATE_RETURN_IF_ERROR(ApplySettings(request, config));
  Result<json::array> schema = BuildSchema(GetArray(request, "Schema"));
  if (!schema.ok()) return std::move(schema).error();
  config["SchemaAttributes"] = std::move(*schema);
  CopyIfPresent(request, config, "AliasAttributes");
  CopyIfPresent(request, config, "UsernameAttributes");
  CopyIfPresent(request, config, "UsernameConfiguration");
  const json::object* tags = GetObject(request, "UserPoolTags");
  config["UserPoolTags"] = tags ? *tags : json::object();
  config["UserPoolTier"] = GetString(request, "UserPoolTier").value_or("ESSENTIALS");
  return config;
}

Result<json::object> UpdatedPoolConfig(const json::object& stored, const json::object& request) {
  json::object config = stored;
  for (std::string_view key : kResetOnUpdate) config.erase(key);
  COGNATE_RETURN_IF_ERROR(ApplySettings(request, config));
  CopyIfPresent(request, config, "UserPoolTags");
  CopyIfPresent(request, config, "UserPoolTier");
  return config;
}

json::object RenderUserPool(const PoolIdentity& pool, const json::object& config) {
  // UserPoolType members in the order Cognito emits them; computed ones are filled in here.
  // clang-format off
  constexpr std::string_view kOrder[] = {
      "Id", "Name", "Policies", "DeletionProtection", "LambdaConfig", "LastModifiedDate",
      "CreationDate", "SchemaAttributes", "AutoVerifiedAttributes", "AliasAttributes",
      "UsernameAttributes", "SmsVerificationMessage", "EmailVerificationMessage",
      "EmailVerificationSubject", "VerificationMessageTemplate", "SmsAuthenticationMessage",
      "UserAttributeUpdateSettings", "MfaConfiguration", "DeviceConfiguration",
      "EstimatedNumberOfUsers", "EmailConfiguration", "SmsConfiguration", "UserPoolTags",
      "SmsConfigurationFailure", "EmailConfigurationFailure", "Domain", "CustomDomain",
      "AdminCreateUserConfig", "UserPoolAddOns", "UsernameConfiguration", "Arn",
      "AccountRecoverySetting", "UserPoolTier"};
  // clang-format on
  json::object computed{{"Id", pool.id},
                        {"Name", pool.name},
                        {"LastModifiedDate", EpochSeconds(pool.modified_ms)},
                        {"CreationDate", EpochSeconds(pool.created_ms)},
                        {"EstimatedNumberOfUsers", pool.estimated_users},
                        {"Arn", pool.arn}};
  json::object out;
  for (std::string_view key : kOrder) {
    CopyIfPresent(computed.contains(key) ? computed : config, out, key);
  }
  return out;
}

}  // namespace cognate::identity
