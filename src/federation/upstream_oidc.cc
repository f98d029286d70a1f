#include "federation/upstream_oidc.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <utility>

#include "crypto/encoding.h"
#include "federation/id_token.h"
#include "federation/provider_details.h"

namespace cognate::federation {
namespace json = boost::json;
namespace {

// Claims only the id_token may set: userinfo answers cannot override them.
constexpr std::string_view kProtectedClaims[] = {"iss", "aud", "exp", "iat", "nbf",
                                                 "nonce", "azp", "sub", "auth_time"};

std::string Param(std::string_view name, std::string_view value) {
  return FormEncode(name) + "=" + FormEncode(value);
}

// `base` with `query` appended after "?" or "&".
std::string WithQuery(const std::string& base, const std::string& query) {
  return base + (base.find('?') == std::string::npos ? "?" : "&") + query;
}

// An upstream OAuth error code ("invalid_grant") when the answer names one in the RFC 6749
// alphabet; never free text from the provider.
std::string OAuthErrorCode(const json::object& answer) {
  const json::value* e = answer.if_contains("error");
  if (e == nullptr || !e->is_string() || e->get_string().size() > 64) return "";
  std::string code(e->get_string());
  if (code.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) return "";
  return " (" + code + ")";
}

Result<json::object> JsonAnswer(const Result<HttpResponse>& response, const std::string& what) {
  if (!response.ok())
    return Error::NotAuthorized("The identity provider's " + what + " endpoint is unreachable: " +
                                response.error().message);
  boost::system::error_code ec;
  json::value parsed = json::parse(response->body, ec);
  json::object answer = !ec && parsed.is_object() ? std::move(parsed.get_object()) : json::object();
  if (response->status != 200) {
    return Error::NotAuthorized("The identity provider's " + what + " endpoint answered HTTP " +
                                std::to_string(response->status) + OAuthErrorCode(answer) + ".");
  }
  if (ec || !parsed.is_object())
    return Error::NotAuthorized("The identity provider's " + what + " endpoint did not answer JSON.");
  return answer;
}

std::string StringOf(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Facebook's attributes_url ends in "fields=": Cognito appends the fields it maps.
std::string FacebookFields(const IdentityProvider& provider) {
  std::string fields = "id";
  for (const auto& kv : provider.attribute_mapping) {
    if (!kv.value().is_string()) continue;
    std::string_view claim = kv.value().get_string();
    if (claim == "id" || claim.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
                             std::string_view::npos)
      continue;
    fields += ",";
    fields += claim;
  }
  return fields;
}

}  // namespace

Result<std::string> AuthorizationUrl(const IdentityProvider& provider,
                                     const AuthorizationRequest& request) {
  const std::string base = provider.Detail("authorize_url");
  if (!delivery::IsUrlWithScheme(base, {"http", "https"}))
    return Error::InvalidParameter("The identity provider " + provider.name +
                                   " has no authorize_url.");
  std::string query = Param("response_type", "code") + "&" +
                      Param("client_id", provider.Detail("client_id")) + "&" +
                      Param("redirect_uri", request.redirect_uri) + "&" +
                      Param("scope", provider.Detail("authorize_scopes")) + "&" +
                      Param("state", request.state);
  if (IsOidcType(provider.type)) {
    query += "&" + Param("nonce", request.nonce);
    if (!request.code_challenge.empty()) {
      query += "&" + Param("code_challenge", request.code_challenge) + "&" +
               Param("code_challenge_method", "S256");
    }
  }
  return WithQuery(base, query);
}

UpstreamOidc::UpstreamOidc(HttpClient& http, JwksCache& jwks, const Clock& clock)
    : http_(http), jwks_(jwks), clock_(clock) {}

Result<json::object> UpstreamOidc::RedeemCode(const IdentityProvider& provider,
                                              const CodeExchange& exchange) {
  const std::string token_url = provider.Detail("token_url");
  if (!delivery::IsUrlWithScheme(token_url, {"http", "https"}))
    return Error::NotAuthorized("The identity provider " + provider.name + " has no token_url.");
  std::string form = Param("grant_type", "authorization_code") + "&" + Param("code", exchange.code) +
                     "&" + Param("redirect_uri", exchange.redirect_uri);
  if (!exchange.code_verifier.empty()) form += "&" + Param("code_verifier", exchange.code_verifier);
  HttpRequest request;
  request.headers = {"Accept: application/json"};
  const std::string client_id = provider.Detail("client_id");
  const std::string secret = provider.Detail("client_secret");
  if (!secret.empty() && provider.token_auth_method == kClientSecretBasic) {
    // RFC 6749 2.3.1: both parts form-encoded before base64.
    request.headers.push_back("Authorization: Basic " +
                              crypto::Base64Encode(FormEncode(client_id) + ":" + FormEncode(secret)));
  } else {
    form += "&" + Param("client_id", client_id);
    if (!secret.empty()) form += "&" + Param("client_secret", secret);
  }
  if (provider.Detail("token_request_method") == "GET") {  // Facebook
    request.method = "GET";
    request.url = WithQuery(token_url, form);
  } else {
    request.method = "POST";
    request.url = token_url;
    request.headers.push_back("Content-Type: application/x-www-form-urlencoded");
    request.body = std::move(form);
  }
  auto answer = JsonAnswer(http_.Send(request), "token");
  if (!answer.ok()) return answer;
  if (StringOf(*answer, "access_token").empty() && StringOf(*answer, "id_token").empty())
    return Error::NotAuthorized("The identity provider's token endpoint returned no token.");
  return answer;
}

Result<json::object> UpstreamOidc::FetchUserInfo(const IdentityProvider& provider,
                                                 const std::string& access_token) {
  HttpRequest request;
  request.url = provider.Detail("attributes_url");
  if (provider.type == kFacebook) request.url += FormEncode(FacebookFields(provider));
  request.method = provider.Detail("attributes_request_method") == "POST" ? "POST" : "GET";
  request.headers = {"Accept: application/json", "Authorization: Bearer " + access_token};
  return JsonAnswer(http_.Send(request), "attributes");
}

Result<json::object> UpstreamOidc::CompleteSignIn(const IdentityProvider& provider,
                                                  const CodeExchange& exchange) {
  if (provider.type == kSignInWithApple)
    return Error::NotAuthorized("Sign in with Apple is not supported yet.");
  auto tokens = RedeemCode(provider, exchange);
  if (!tokens.ok()) return std::move(tokens).error();
  const std::string access_token = StringOf(*tokens, "access_token");

  json::object claims;
  const bool oidc = IsOidcType(provider.type);
  if (oidc) {
    const std::string id_token = StringOf(*tokens, "id_token");
    if (id_token.empty())
      return Error::NotAuthorized("The identity provider's token endpoint returned no ID token.");
    if (provider.jwks_uri.empty())
      return Error::NotAuthorized("The identity provider " + provider.name + " has no jwks_uri.");
    IdTokenExpectations expected{provider.Detail("oidc_issuer"), provider.Detail("client_id"),
                                 exchange.nonce, clock_.NowSeconds()};
    auto verified = VerifyIdToken(id_token, expected, [&](const std::string& kid) {
      return jwks_.KeysFor(provider.jwks_uri, kid);
    });
    if (!verified.ok()) return std::move(verified).error();
    claims = std::move(*verified);
  }
  // Google's attributes_url is the People API, whose fields are not claims: its id_token
  // already carries them.
  const bool userinfo = !provider.Detail("attributes_url").empty() && provider.type != kGoogle;
  if (userinfo && !access_token.empty()) {
    auto info = FetchUserInfo(provider, access_token);
    if (!info.ok()) return std::move(info).error();
    if (oidc) {
      if (StringOf(*info, "sub") != StringOf(claims, "sub"))
        return Error::NotAuthorized("The identity provider's userinfo is for another subject.");
      for (const auto& kv : *info) {
        bool guarded = false;
        for (std::string_view p : kProtectedClaims) guarded = guarded || kv.key() == p;
        if (!guarded) claims[kv.key()] = kv.value();
      }
    } else {
      claims = std::move(*info);
    }
  }
  if (claims.empty())
    return Error::NotAuthorized("The identity provider returned no user attributes.");
  return claims;
}

}  // namespace cognate::federation
