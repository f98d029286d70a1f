// MfaService: SetUserPoolMfaConfig and GetUserPoolMfaConfig. The configuration lives in the
// pool's config_json (pool_config.h): MfaConfiguration, SmsAuthenticationMessage and
// SmsConfiguration are UserPoolType members; SmsMfaConfiguration, SoftwareTokenMfaConfiguration,
// EmailMfaConfiguration and WebAuthnConfiguration are kept beside them (user_mfa.h reads them).

#include <boost/json/serialize.hpp>
#include <string>
#include <utility>

#include "identity/json_fields.h"
#include "identity/mfa_service.h"
#include "identity/retry.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

constexpr std::string_view kSmsMember = "SmsMfaConfiguration";
constexpr std::string_view kTotpMember = "SoftwareTokenMfaConfiguration";
constexpr std::string_view kEmailMember = "EmailMfaConfiguration";
constexpr std::string_view kWebAuthnMember = "WebAuthnConfiguration";

// True when the request turns on at least one MFA factor.
bool ConfiguresFactor(const json::object& request) {
  const json::object* totp = GetObject(request, kTotpMember);
  return GetObject(request, kSmsMember) != nullptr ||
         (totp != nullptr && GetBool(*totp, "Enabled").value_or(false)) ||
         GetObject(request, kEmailMember) != nullptr;
}

Status CheckMfaRequest(const json::object& request) {
  std::optional<std::string> mode = GetString(request, "MfaConfiguration");
  // An omitted mode is OFF too, but then Cognito drops the factors instead of refusing them.
  if (mode == "OFF" && ConfiguresFactor(request)) {
    return Error::InvalidParameter(
        "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.");
  }
  if (mode && *mode != "OFF" && !ConfiguresFactor(request)) {
    return Error::InvalidParameter(
        "Invalid MFA configuration given, can't disable all MFAs with a required or optional "
        "configuration.");
  }
  return OkStatus();
}

// Writes the request's configuration over the pool's (replacing, not merging).
void ApplyMfaConfig(const json::object& request, json::object& config) {
  const std::string mode = GetString(request, "MfaConfiguration").value_or("OFF");
  const bool factors = mode != "OFF";
  config["MfaConfiguration"] = mode;
  const json::object* sms = factors ? GetObject(request, kSmsMember) : nullptr;
  if (sms != nullptr) {
    config[kSmsMember] = *sms;
    CopyIfPresent(*sms, config, "SmsAuthenticationMessage");
    CopyIfPresent(*sms, config, "SmsConfiguration");
  } else {
    config[kSmsMember] = nullptr;  // off, even when the pool keeps an SmsConfiguration
  }
  const json::object* totp = factors ? GetObject(request, kTotpMember) : nullptr;
  if (totp != nullptr) {
    config[kTotpMember] = json::object{{"Enabled", GetBool(*totp, "Enabled").value_or(false)}};
  } else {
    config.erase(kTotpMember);
  }
  const json::object* email = factors ? GetObject(request, kEmailMember) : nullptr;
  if (email != nullptr) {
    config[kEmailMember] = *email;
  } else {
    config.erase(kEmailMember);
  }
  // Passkeys are not an MFA factor: their configuration stands apart from the mode.
  CopyIfPresent(request, config, kWebAuthnMember);
}

// The Get/Set response: MfaConfiguration and the factors that are configured.
json::object RenderMfaConfig(const json::object& config) {
  const PoolMfa pool = PoolMfaOf(config);
  json::object out;
  if (pool.sms) {
    json::object sms;
    CopyIfPresent(config, sms, "SmsAuthenticationMessage");
    CopyIfPresent(config, sms, "SmsConfiguration");
    out[kSmsMember] = std::move(sms);
  }
  if (const json::object* totp = GetObject(config, kTotpMember)) {
    out[kTotpMember] = json::object{{"Enabled", GetBool(*totp, "Enabled").value_or(false)}};
  }
  CopyIfPresent(config, out, kEmailMember);
  out["MfaConfiguration"] = pool.mode;
  CopyIfPresent(config, out, kWebAuthnMember);
  return out;
}

}  // namespace

Result<json::object> MfaService::SetUserPoolMfaConfig(const json::object& request) {
  COGNATE_RETURN_IF_ERROR(CheckMfaRequest(request));
  store::PoolStore& pools = *directory_.stores().pools;
  return RetryOnConflict([&]() -> Result<json::object> {
    auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
    if (!pool.ok()) return std::move(pool).error();
    ApplyMfaConfig(request, pool->config.Edit());
    store::UserPoolRecord& record = pool->record;
    record.config_json = json::serialize(pool->config.get());
    record.modified_ms = directory_.clock().NowMs();
    COGNATE_RETURN_IF_ERROR(pools.UpdatePool(record));
    return RenderMfaConfig(pool->config);
  });
}

Result<json::object> MfaService::GetUserPoolMfaConfig(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  return RenderMfaConfig(pool->config);
}

}  // namespace cognate::identity
