#include "identity/client_config.h"

#include <algorithm>
#include <string_view>

#include "identity/client_oauth.h"
#include "identity/json_fields.h"
#include "identity/schema.h"
#include "identity/token_validity.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

constexpr int64_t kDefaultAuthSessionMinutes = 3;

// Members stored exactly as given, and omitted when not given.
// clang-format off
constexpr std::string_view kStoredAsGiven[] = {
    "ReadAttributes", "WriteAttributes", "ExplicitAuthFlows", "SupportedIdentityProviders",
    "CallbackURLs", "LogoutURLs", "DefaultRedirectURI", "AllowedOAuthFlows", "AllowedOAuthScopes",
    "AnalyticsConfiguration", "RefreshTokenRotation"};
// clang-format on

bool IsLegacyFlow(std::string_view flow) {
  return flow == "ADMIN_NO_SRP_AUTH" || flow == "CUSTOM_AUTH_FLOW_ONLY" ||
         flow == "USER_PASSWORD_AUTH";
}

Status CheckAuthFlows(const json::object& request) {
  const json::array* flows = GetArray(request, "ExplicitAuthFlows");
  if (flows == nullptr) return OkStatus();
  bool legacy = false;
  bool current = false;
  for (const json::value& v : *flows) {
    if (!v.is_string()) continue;
    (IsLegacyFlow(v.get_string()) ? legacy : current) = true;
  }
  if (legacy && current) {
    return Error::InvalidParameter(
        "ExplicitAuthFlows cannot combine legacy values with ALLOW_ values.");
  }
  return OkStatus();
}

Status CheckAttributePermissions(const json::object& request, const ClientRules& context) {
  struct List {
    std::string_view key;
    std::string_view verb;
  };
  for (const List& list : {List{"ReadAttributes", "read"}, List{"WriteAttributes", "write"}}) {
    const json::array* names = GetArray(request, list.key);
    if (names == nullptr) continue;
    for (const json::value& v : *names) {
      if (v.is_string() && context.schema && SchemaHasAttribute(*context.schema, v.get_string())) {
        continue;
      }
      return Error::InvalidParameter("Invalid " + std::string(list.verb) +
                                     " attributes specified while " +
                                     (context.creating ? "creating" : "updating") + " a client");
    }
  }
  return OkStatus();
}

Status CheckIdentityProviders(const json::object& request, const ClientRules& context) {
  const json::array* providers = GetArray(request, "SupportedIdentityProviders");
  if (providers == nullptr) return OkStatus();
  for (const json::value& v : *providers) {
    if (!v.is_string() || v.get_string() == "COGNITO") continue;
    const auto& known = context.identity_providers;
    if (std::find(known.begin(), known.end(), std::string_view(v.get_string())) == known.end()) {
      return Error::InvalidParameter("The provider " + std::string(v.get_string()) +
                                     " does not exist for User Pool " + context.pool_id);
    }
  }
  return OkStatus();
}

Status CheckRequest(const json::object& request, const ClientRules& context) {
  COGNATE_RETURN_IF_ERROR(CheckAuthFlows(request));
  COGNATE_RETURN_IF_ERROR(CheckAttributePermissions(request, context));
  COGNATE_RETURN_IF_ERROR(CheckIdentityProviders(request, context));
  COGNATE_RETURN_IF_ERROR(CheckOAuthSettings(request, context.has_secret, context.custom_scopes));
  // Context data is authenticated by the secret hash, so only confidential clients may send it.
  if (GetBool(request, "EnablePropagateAdditionalUserContextData").value_or(false) &&
      !context.has_secret) {
    return Error::InvalidParameter(
        "EnablePropagateAdditionalUserContextData can only be enabled for an app client with a "
        "client secret.");
  }
  return OkStatus();
}

}  // namespace

Result<json::object> BuildClientConfig(const json::object& request, const ClientRules& context) {
  COGNATE_RETURN_IF_ERROR(CheckRequest(request, context));
  json::object config;
  COGNATE_RETURN_IF_ERROR(ApplyTokenValidity(request, config));
  for (std::string_view key : kStoredAsGiven) CopyIfPresent(request, config, key);
  config["AllowedOAuthFlowsUserPoolClient"] =
      GetBool(request, "AllowedOAuthFlowsUserPoolClient").value_or(false);
  config["PreventUserExistenceErrors"] =
      GetString(request, "PreventUserExistenceErrors").value_or("LEGACY");
  config["EnableTokenRevocation"] = GetBool(request, "EnableTokenRevocation").value_or(true);
  config["EnablePropagateAdditionalUserContextData"] =
      GetBool(request, "EnablePropagateAdditionalUserContextData").value_or(false);
  config["AuthSessionValidity"] =
      GetInt(request, "AuthSessionValidity").value_or(kDefaultAuthSessionMinutes);
  return config;
}

json::object RenderUserPoolClient(const ClientIdentity& client, const json::object& config) {
  // clang-format off
  constexpr std::string_view kOrder[] = {
      "UserPoolId", "ClientName", "ClientId", "ClientSecret", "LastModifiedDate", "CreationDate",
      "RefreshTokenValidity", "AccessTokenValidity", "IdTokenValidity", "TokenValidityUnits",
      "ReadAttributes", "WriteAttributes", "ExplicitAuthFlows", "SupportedIdentityProviders",
      "CallbackURLs", "LogoutURLs", "DefaultRedirectURI", "AllowedOAuthFlows", "AllowedOAuthScopes",
      "AllowedOAuthFlowsUserPoolClient", "AnalyticsConfiguration", "PreventUserExistenceErrors",
      "EnableTokenRevocation", "EnablePropagateAdditionalUserContextData", "AuthSessionValidity",
      "RefreshTokenRotation"};
  // clang-format on
  json::object computed{{"UserPoolId", client.pool_id},
                        {"ClientName", client.name},
                        {"ClientId", client.client_id},
                        {"LastModifiedDate", EpochSeconds(client.modified_ms)},
                        {"CreationDate", EpochSeconds(client.created_ms)}};
  if (client.secret) computed["ClientSecret"] = *client.secret;
  json::object out;
  for (std::string_view key : kOrder) {
    CopyIfPresent(computed.contains(key) ? computed : config, out, key);
  }
  return out;
}

std::vector<std::string> EffectiveAuthFlows(const json::object& config) {
  const json::array* given = GetArray(config, "ExplicitAuthFlows");
  if (given == nullptr || given->empty()) {
    return {"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"};
  }
  std::vector<std::string> flows;
  bool legacy = false;
  for (const json::value& v : *given) {
    if (!v.is_string()) continue;
    legacy = legacy || IsLegacyFlow(v.get_string());
    flows.emplace_back(v.get_string());
  }
  if (!legacy) return flows;
  std::vector<std::string> out = {"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"};
  if (!Contains(*given, "CUSTOM_AUTH_FLOW_ONLY")) out.emplace_back("ALLOW_USER_SRP_AUTH");
  if (Contains(*given, "ADMIN_NO_SRP_AUTH")) out.emplace_back("ALLOW_ADMIN_USER_PASSWORD_AUTH");
  if (Contains(*given, "USER_PASSWORD_AUTH")) out.emplace_back("ALLOW_USER_PASSWORD_AUTH");
  return out;
}

}  // namespace cognate::identity
