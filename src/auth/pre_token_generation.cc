#include "auth/pre_token_generation.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <utility>
#include <vector>

#include "identity/json_fields.h"
#include "triggers/trigger_invoker.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxNameLength = 256;

Error Invalid(std::string_view member, std::string_view problem) {
  return triggers::TriggerInvalidResponse(std::string(member) + " " + std::string(problem));
}

// Member `name` of `o` as an object; nullptr when absent or null.
Result<const json::object*> OptionalObject(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || v->is_null()) return static_cast<const json::object*>(nullptr);
  if (!v->is_object()) return Invalid(name, "must be an object.");
  return &v->get_object();
}

bool ValidName(std::string_view name) { return !name.empty() && name.size() <= kMaxNameLength; }

// Member `name` of `o` as a list of names (absent or null: empty).
Result<std::vector<std::string>> OptionalNames(const json::object& o, std::string_view name) {
  std::vector<std::string> out;
  const json::value* v = o.if_contains(name);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array() || v->get_array().size() > kMaxOverrideEntries) {
    return Invalid(name, "must be a list of at most 100 names.");
  }
  for (const json::value& item : v->get_array()) {
    if (!item.is_string() || !ValidName(item.get_string())) {
      return Invalid(name, "must hold names of 1 to 256 characters.");
    }
    out.emplace_back(item.get_string());
  }
  return out;
}

// claimsToAddOrOverride and claimsToSuppress of one token; V1 allows string values only.
Status ReadClaims(const json::object& details, bool strings_only, token::ClaimOverrides& out) {
  auto add = OptionalObject(details, "claimsToAddOrOverride");
  if (!add.ok()) return std::move(add).error();
  if (*add != nullptr) {
    if ((*add)->size() > kMaxOverrideEntries || json::serialize(**add).size() > kMaxOverrideBytes)
      return Invalid("claimsToAddOrOverride", "is too large.");
    for (const auto& kv : **add) {
      if (!ValidName(kv.key())) return Invalid("claimsToAddOrOverride", "has an invalid name.");
      if (strings_only && !kv.value().is_string())
        return Invalid("claimsToAddOrOverride", "values must be strings.");
    }
    out.add = **add;
  }
  auto suppress = OptionalNames(details, "claimsToSuppress");
  if (!suppress.ok()) return std::move(suppress).error();
  out.suppress = std::move(*suppress);
  return OkStatus();
}

// groupOverrideDetails: what it lists replaces the groups, roles and preferred role.
Status ReadGroups(const json::object& details, token::IssueRequest& tokens) {
  auto groups = OptionalNames(details, "groupsToOverride");
  if (!groups.ok()) return std::move(groups).error();
  auto roles = OptionalNames(details, "iamRolesToOverride");
  if (!roles.ok()) return std::move(roles).error();
  const json::value* preferred = details.if_contains("preferredRole");
  if (preferred != nullptr && !preferred->is_null() &&
      (!preferred->is_string() || preferred->get_string().size() > kMaxNameLength)) {
    return Invalid("preferredRole", "must be a string.");
  }
  tokens.groups = std::move(*groups);
  tokens.roles = std::move(*roles);
  tokens.preferred_role =
      preferred != nullptr && preferred->is_string() ? std::string(preferred->get_string()) : "";
  return OkStatus();
}

std::vector<std::string> SplitScopes(std::string_view scope) {
  std::vector<std::string> out;
  while (!scope.empty()) {
    std::size_t end = std::min(scope.find(' '), scope.size());
    if (end > 0) out.emplace_back(scope.substr(0, end));
    scope.remove_prefix(std::min(end + 1, scope.size()));
  }
  return out;
}

// A scope as OAuth allows it: printable ASCII without spaces, quotes or backslashes.
bool ValidScope(std::string_view scope) {
  return std::all_of(scope.begin(), scope.end(),
                     [](char c) { return c > 0x20 && c < 0x7f && c != '"' && c != '\\'; });
}

// scopesToAdd and scopesToSuppress of the access token.
Status ReadScopes(const json::object& details, token::IssueRequest& tokens) {
  auto add = OptionalNames(details, "scopesToAdd");
  if (!add.ok()) return std::move(add).error();
  auto suppress = OptionalNames(details, "scopesToSuppress");
  if (!suppress.ok()) return std::move(suppress).error();
  std::vector<std::string> scopes = SplitScopes(tokens.scope);
  for (std::string& s : *add) {
    if (!ValidScope(s)) return Invalid("scopesToAdd", "holds an invalid scope.");
    if (std::find(scopes.begin(), scopes.end(), s) == scopes.end()) scopes.push_back(std::move(s));
  }
  std::string joined;
  for (const std::string& s : scopes) {
    if (std::find(suppress->begin(), suppress->end(), s) != suppress->end()) continue;
    if (!joined.empty()) joined += ' ';
    joined += s;
  }
  tokens.scope = std::move(joined);
  return OkStatus();
}

Status ApplyV1(const json::object& response, token::IssueRequest& tokens) {
  auto details = OptionalObject(response, "claimsOverrideDetails");
  if (!details.ok()) return std::move(details).error();
  if (*details == nullptr) return OkStatus();
  COGNATE_RETURN_IF_ERROR(ReadClaims(**details, true, tokens.id_overrides));
  auto groups = OptionalObject(**details, "groupOverrideDetails");
  if (!groups.ok()) return std::move(groups).error();
  return *groups != nullptr ? ReadGroups(**groups, tokens) : OkStatus();
}

Status ApplyV2(const json::object& response, token::IssueRequest& tokens) {
  auto details = OptionalObject(response, "claimsAndScopeOverrideDetails");
  if (!details.ok()) return std::move(details).error();
  if (*details == nullptr) return OkStatus();
  auto id = OptionalObject(**details, "idTokenGeneration");
  if (!id.ok()) return std::move(id).error();
  if (*id != nullptr) COGNATE_RETURN_IF_ERROR(ReadClaims(**id, false, tokens.id_overrides));
  auto access = OptionalObject(**details, "accessTokenGeneration");
  if (!access.ok()) return std::move(access).error();
  if (*access != nullptr) {
    COGNATE_RETURN_IF_ERROR(ReadClaims(**access, false, tokens.access_overrides));
    COGNATE_RETURN_IF_ERROR(ReadScopes(**access, tokens));
  }
  auto groups = OptionalObject(**details, "groupOverrideDetails");
  if (!groups.ok()) return std::move(groups).error();
  return *groups != nullptr ? ReadGroups(**groups, tokens) : OkStatus();
}

json::array ToArray(const std::vector<std::string>& items) {
  return json::array(items.begin(), items.end());
}

}  // namespace

std::string_view TokenTriggerSource(TokenEvent event) {
  switch (event) {
    case TokenEvent::kAuthentication:
      return "TokenGeneration_Authentication";
    case TokenEvent::kNewPasswordChallenge:
      return "TokenGeneration_NewPasswordChallenge";
    case TokenEvent::kRefreshTokens:
      return "TokenGeneration_RefreshTokens";
    case TokenEvent::kHostedAuth:
      return "TokenGeneration_HostedAuth";
  }
  return "";
}

int PreTokenVersion(const json::object& pool_config) {
  const json::object* lambda = identity::GetObject(pool_config, "LambdaConfig");
  const json::object* config =
      lambda != nullptr ? identity::GetObject(*lambda, "PreTokenGenerationConfig") : nullptr;
  std::string version =
      config != nullptr ? identity::GetString(*config, "LambdaVersion").value_or("") : "";
  if (version == "V2_0") return 2;
  if (version == "V3_0") return 3;
  return 1;
}

json::object PreTokenRequest(const json::object& user_attributes, const token::IssueRequest& tokens,
                             const json::object& client_metadata, int version) {
  json::value preferred = nullptr;
  if (!tokens.preferred_role.empty()) preferred = tokens.preferred_role;
  json::object request{
      {"userAttributes", user_attributes},
      {"groupConfiguration", json::object{{"groupsToOverride", ToArray(tokens.groups)},
                                          {"iamRolesToOverride", ToArray(tokens.roles)},
                                          {"preferredRole", std::move(preferred)}}}};
  if (!client_metadata.empty()) request["clientMetadata"] = client_metadata;
  if (version >= 2) request["scopes"] = ToArray(SplitScopes(tokens.scope));
  return request;
}

Status ApplyPreTokenResponse(const json::object& response, int version,
                             token::IssueRequest& tokens) {
  return version >= 2 ? ApplyV2(response, tokens) : ApplyV1(response, tokens);
}

}  // namespace cognate::auth
