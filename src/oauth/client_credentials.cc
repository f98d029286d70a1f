#include "oauth/client_credentials.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <string>
#include <utility>
#include <vector>

#include "identity/json_fields.h"
#include "identity/resource_servers.h"
#include "identity/token_validity.h"
#include "oauth/form.h"

namespace cognate::oauth {

namespace json = boost::json;

namespace {

// A client allows at most 50 scopes, so a longer request names scopes it cannot have.
constexpr size_t kMaxRequestedScopes = 50;

bool Has(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

Status CheckClientMayUseGrant(const identity::ClientContext& client) {
  const json::array* flows = identity::GetArray(client.config, "AllowedOAuthFlows");
  if (client.secret.empty() ||
      !identity::GetBool(client.config, "AllowedOAuthFlowsUserPoolClient").value_or(false) ||
      flows == nullptr || !identity::Contains(*flows, "client_credentials")) {
    return OAuthError("unauthorized_client",
                      "The client is not allowed to use the client_credentials grant.");
  }
  return OkStatus();
}

// The space-separated scopes of a request, without empty items or repeats, in order.
Result<std::vector<std::string>> SplitScopes(std::string_view scope) {
  std::vector<std::string> out;
  while (!scope.empty()) {
    size_t space = scope.find(' ');
    std::string_view item = scope.substr(0, space);
    if (!item.empty() && !Has(out, item)) {
      if (out.size() == kMaxRequestedScopes) return OAuthError("invalid_scope", "Too many scopes.");
      out.emplace_back(item);
    }
    if (space == std::string_view::npos) break;
    scope.remove_prefix(space + 1);
  }
  return out;
}

std::string Join(const std::vector<std::string>& scopes) {
  std::string out;
  for (const std::string& s : scopes) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

// Scopes to grant: the requested ones (each allowed and existing), or every grantable one.
Result<std::vector<std::string>> GrantedScopes(const std::vector<std::string>& requested,
                                               const std::vector<std::string>& grantable) {
  if (requested.empty()) {
    if (grantable.empty()) return OAuthError("invalid_scope", "The client has no custom scopes.");
    return grantable;
  }
  for (const std::string& scope : requested) {
    if (!Has(grantable, scope)) return OAuthError("invalid_scope", "Invalid scope: " + scope);
  }
  return requested;
}

}  // namespace

Result<json::object> ClientCredentialsGrant(token::TokenService& tokens,
                                            store::PoolDocumentStore& documents,
                                            const identity::ClientContext& client,
                                            std::optional<std::string_view> scope) {
  COGNATE_RETURN_IF_ERROR(CheckClientMayUseGrant(client));
  auto requested = SplitScopes(scope.value_or(""));
  if (!requested.ok()) return std::move(requested).error();

  auto custom = identity::CustomScopesOf(documents, client.record.pool_id);
  if (!custom.ok()) return OAuthError("server_error", "The scopes could not be read.");
  // Allowed by the client and still defined by a resource server, in the client's order.
  std::vector<std::string> grantable;
  if (const json::array* allowed = identity::GetArray(client.config, "AllowedOAuthScopes")) {
    for (const json::value& v : *allowed) {
      if (v.is_string() && Has(*custom, v.get_string())) grantable.emplace_back(v.get_string());
    }
  }
  auto granted = GrantedScopes(*requested, grantable);
  if (!granted.ok()) return std::move(granted).error();

  token::ClientTokenRequest request{
      client.record.pool_id, client.id(), Join(*granted),
      identity::EffectiveTokenLifetimes(client.config).access_seconds};
  auto issued = tokens.IssueClientAccessToken(request);
  if (!issued.ok()) return OAuthError("server_error", "The token could not be issued.");
  return json::object{{"access_token", std::move(issued->access_token)},
                      {"expires_in", issued->expires_in},
                      {"token_type", "Bearer"}};
}

}  // namespace cognate::oauth
