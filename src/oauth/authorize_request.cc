#include "oauth/authorize_request.h"

#include <algorithm>
#include <sstream>

#include "identity/json_fields.h"
#include "oauth/web.h"

namespace cognate::oauth {
namespace {

constexpr std::size_t kMaxState = 2048;
constexpr std::size_t kMaxNonce = 512;
constexpr std::size_t kMaxHint = 256;
constexpr std::size_t kMaxScopeParam = 4096;

Error PageError(std::string message) { return Error::InvalidParameter(std::move(message)); }

AuthorizeCheck Page(std::string message) {
  AuthorizeCheck check;
  check.failure = AuthorizeFailure{false, PageError(std::move(message))};
  return check;
}

AuthorizeCheck ToClient(std::string code, std::string description) {
  AuthorizeCheck check;
  check.failure = AuthorizeFailure{true, OAuthError(std::move(code), std::move(description))};
  return check;
}

std::string Param(const Form& query, std::string_view name) {
  return std::string(query.Get(name).value_or(""));
}

bool ListHas(const boost::json::object& config, std::string_view key, std::string_view value) {
  const boost::json::array* list = identity::GetArray(config, key);
  return list != nullptr && identity::Contains(*list, value);
}

bool IsPkceChallenge(std::string_view c) {
  return c.size() >= 43 && c.size() <= 128 &&
         std::all_of(c.begin(), c.end(), [](unsigned char ch) {
           return std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~';
         });
}

std::vector<std::string> Split(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string word; in >> word;) {
    if (std::find(out.begin(), out.end(), word) == out.end()) out.push_back(word);
  }
  return out;
}

// The scopes granted: the requested ones the client allows (all it allows when none asked);
// email, phone and profile only alongside openid.
std::vector<std::string> GrantScopes(const identity::ClientContext& client,
                                     const std::vector<std::string>& requested) {
  std::vector<std::string> allowed;
  if (const boost::json::array* list = identity::GetArray(client.config, "AllowedOAuthScopes")) {
    for (const auto& v : *list)
      if (v.is_string()) allowed.emplace_back(v.get_string());
  }
  const std::vector<std::string>& wanted = requested.empty() ? allowed : requested;
  const bool openid = std::find(wanted.begin(), wanted.end(), "openid") != wanted.end() &&
                      std::find(allowed.begin(), allowed.end(), "openid") != allowed.end();
  std::vector<std::string> granted;
  for (const std::string& s : wanted) {
    if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) continue;
    if ((s == "email" || s == "phone" || s == "profile") && !openid) continue;
    granted.push_back(s);
  }
  return granted;
}

}  // namespace

std::string AuthorizeRequest::Scope() const {
  std::string out;
  for (const std::string& s : scopes) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

std::vector<std::string> SupportedProviders(const identity::ClientContext& client) {
  std::vector<std::string> out;
  if (const boost::json::array* list =
          identity::GetArray(client.config, "SupportedIdentityProviders")) {
    for (const auto& v : *list)
      if (v.is_string()) out.emplace_back(v.get_string());
  }
  if (out.empty()) out.push_back("COGNITO");
  return out;
}

AuthorizeCheck CheckAuthorize(const identity::UserDirectory& directory, const std::string& pool_id,
                              const Form& query) {
  AuthorizeRequest r;
  r.client_id = Param(query, "client_id");
  r.redirect_uri = Param(query, "redirect_uri");
  if (r.client_id.empty()) return Page("The request has no client_id.");
  auto client = directory.LoadClient(pool_id, r.client_id);
  if (!client.ok()) {
    if (client.error().http_status >= 500) return Page("The service is unavailable.");
    return Page("The client_id does not name an app client of this user pool.");
  }
  if (!identity::GetBool(client->config, "AllowedOAuthFlowsUserPoolClient").value_or(false)) {
    return Page("This app client is not enabled for OAuth 2.0 sign-in.");
  }
  if (r.redirect_uri.empty() || !ListHas(client->config, "CallbackURLs", r.redirect_uri)) {
    return Page("The redirect_uri is not one of the app client's callback URLs.");
  }
  // From here on the client is known and the redirect URI is its own: errors go back to it.
  r.state = Param(query, "state");
  if (r.state.size() > kMaxState) return Page("The state parameter is too long.");
  if (Param(query, "response_type") != "code") {
    return ToClient("unsupported_response_type", "Only response_type=code is supported.");
  }
  if (!ListHas(client->config, "AllowedOAuthFlows", "code")) {
    return ToClient("unauthorized_client", "The client may not use the authorization code flow.");
  }
  r.code_challenge = Param(query, "code_challenge");
  std::string method = Param(query, "code_challenge_method");
  if (!r.code_challenge.empty() || !method.empty()) {
    if (method != "S256") {
      return ToClient("invalid_request", "code_challenge_method must be S256.");
    }
    if (!IsPkceChallenge(r.code_challenge)) {
      return ToClient("invalid_request", "code_challenge is malformed.");
    }
  } else if (client->secret.empty()) {
    return ToClient("invalid_request", "PKCE (code_challenge with S256) is required for public clients.");
  }
  r.nonce = Param(query, "nonce");
  r.login_hint = Param(query, "login_hint");
  r.prompt = Param(query, "prompt");
  if (r.nonce.size() > kMaxNonce || r.login_hint.size() > kMaxHint || r.prompt.size() > 64) {
    return ToClient("invalid_request", "A parameter is too long.");
  }
  std::string scope = Param(query, "scope");
  if (scope.size() > kMaxScopeParam) return ToClient("invalid_scope", "The scope is too long.");
  r.scopes = GrantScopes(*client, Split(scope));
  if (r.scopes.empty()) return ToClient("invalid_scope", "No requested scope is allowed.");
  r.identity_provider = Param(query, "identity_provider");
  r.idp_identifier = Param(query, "idp_identifier");
  if (r.identity_provider.size() > 128 || r.idp_identifier.size() > 128) {
    return ToClient("invalid_request", "A parameter is too long.");
  }
  if (!r.identity_provider.empty()) {
    std::vector<std::string> providers = SupportedProviders(*client);
    if (std::find(providers.begin(), providers.end(), r.identity_provider) == providers.end()) {
      return ToClient("invalid_request",
                      "The identity_provider is not enabled for this app client.");
    }
  }
  auto pool = directory.LoadPool(pool_id);
  if (!pool.ok()) return Page("The service is unavailable.");
  AuthorizeCheck check;
  check.context = AuthorizeContext{std::move(*pool), std::move(*client), std::move(r)};
  return check;
}

std::string AuthorizeQuery(const AuthorizeRequest& r) {
  std::string q = "client_id=" + UrlEncode(r.client_id) + "&response_type=code&redirect_uri=" +
                  UrlEncode(r.redirect_uri) + "&scope=" + UrlEncode(r.Scope());
  auto add = [&q](std::string_view name, const std::string& value) {
    if (!value.empty()) q += "&" + std::string(name) + "=" + UrlEncode(value);
  };
  add("state", r.state);
  add("nonce", r.nonce);
  if (!r.code_challenge.empty()) {
    add("code_challenge", r.code_challenge);
    q += "&code_challenge_method=S256";
  }
  add("login_hint", r.login_hint);
  return q;
}

}  // namespace cognate::oauth
