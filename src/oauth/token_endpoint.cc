// OAuthEndpoints: /oauth2/token, /oauth2/userInfo, /oauth2/revoke and /logout
// (cognito-wire.md §8.2–8.5).

#include <boost/json/serialize.hpp>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "identity/json_fields.h"
#include "identity/token_validity.h"
#include "oauth/client_auth.h"
#include "oauth/client_credentials.h"
#include "oauth/oauth_endpoints.h"

namespace cognate::oauth {
namespace json = boost::json;
namespace {

http::Response JsonResponse(int status, const json::object& body) {
  http::Response r;
  r.status = status;
  r.Set("Content-Type", "application/json;charset=UTF-8");
  r.Set("Cache-Control", "no-store");
  r.Set("Pragma", "no-cache");
  r.body = json::serialize(body);
  return r;
}

// An OAuth error body. Amplify reads error_message, other clients error_description.
http::Response OAuthErrorResponse(const Error& error) {
  http::Response r = JsonResponse(error.http_status, {{"error", error.type},
                                                      {"error_description", error.message},
                                                      {"error_message", error.message}});
  if (error.http_status == 401) r.Set("WWW-Authenticate", "Basic realm=\"cognate\"");
  r.log_error = error.type;
  return r;
}

bool IsFormPost(const http::Request& request) {
  std::string_view type = request.Header("Content-Type");
  return type.substr(0, type.find(';')) == "application/x-www-form-urlencoded";
}

bool IsPkceVerifier(std::string_view v) {
  return v.size() >= 43 && v.size() <= 128 &&
         std::all_of(v.begin(), v.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
         });
}

Error InvalidGrant(std::string description) {
  return OAuthError("invalid_grant", std::move(description));
}

// A sign-in service error at the token endpoint: the grant is bad, or the service failed.
Error GrantError(const Error& error) {
  if (error.http_status >= 500) return OAuthError("server_error", "The service is unavailable.");
  if (error.type == "NotAuthorizedException" || error.type == "RefreshTokenReuseException") {
    return InvalidGrant(error.message);
  }
  if (error.type == "UserLambdaValidationException") return InvalidGrant(error.message);
  return OAuthError("invalid_request", error.message);
}

// The bearer token of a userInfo request: the Authorization header, else (POST) the form.
std::string BearerToken(const http::Request& request) {
  std::string_view header = request.Header("Authorization");
  if (header.size() > 7 && http::IEquals(header.substr(0, 7), "Bearer ")) {
    return std::string(header.substr(7));
  }
  if (request.method == "POST" && IsFormPost(request)) {
    auto form = Form::Parse(request.body);
    if (form.ok()) return std::string(form->Get("access_token").value_or(""));
  }
  return {};
}

http::Response UserInfoError(int status, std::string_view error, std::string_view description) {
  http::Response r = JsonResponse(status, {{"error", error}, {"error_description", description}});
  r.Set("WWW-Authenticate", "Bearer error=\"" + std::string(error) + "\", error_description=\"" +
                                std::string(description) + "\"");
  r.log_error = std::string(error);
  return r;
}

}  // namespace

Result<std::pair<Form, identity::ClientContext>> OAuthEndpoints::ClientForm(
    const Call& call) const {
  if (!IsFormPost(call.request)) {
    return OAuthError("invalid_request", "Content-Type must be application/x-www-form-urlencoded.");
  }
  auto form = Form::Parse(call.request.body);
  if (!form.ok()) return std::move(form).error();
  auto client = AuthenticateClient(s_.directory, *form, call.request.Header("Authorization"),
                                   call.site.pool_id);
  if (!client.ok()) return std::move(client).error();
  return std::make_pair(std::move(*form), std::move(*client));
}

http::Response OAuthEndpoints::Token(const Call& call) const {
  auto posted = ClientForm(call);
  if (!posted.ok()) return OAuthErrorResponse(posted.error());
  const auto& [form, client] = *posted;
  std::string_view grant = form.Get("grant_type").value_or("");
  if (grant == "authorization_code") return AuthorizationCodeGrant(call, form, client);
  if (grant == "refresh_token") return RefreshGrant(form, client);
  if (grant == "client_credentials") {
    auto tokens = ClientCredentialsGrant(s_.tokens, *s_.directory.stores().documents, client,
                                         form.Get("scope"));
    if (!tokens.ok()) return OAuthErrorResponse(tokens.error());
    return JsonResponse(200, *tokens);
  }
  if (grant.empty()) return OAuthErrorResponse(OAuthError("invalid_request", "grant_type is missing."));
  return OAuthErrorResponse(
      OAuthError("unsupported_grant_type", "The grant_type is not supported."));
}

http::Response OAuthEndpoints::AuthorizationCodeGrant(const Call& call, const Form& form,
                                                      const identity::ClientContext& client) const {
  (void)call;
  std::string_view sealed = form.Get("code").value_or("");
  if (sealed.empty()) return OAuthErrorResponse(OAuthError("invalid_request", "code is missing."));
  std::optional<Ticket> code = tickets_.Open("code", sealed);
  if (!code) return OAuthErrorResponse(InvalidGrant("The authorization code is invalid or expired."));
  const json::object& body = code->body;
  if (code->pool_id != client.record.pool_id ||
      identity::GetString(body, "client_id") != client.id()) {
    return OAuthErrorResponse(InvalidGrant("The authorization code was issued to another client."));
  }
  if (form.Get("redirect_uri").value_or("") != identity::GetString(body, "redirect_uri").value_or("")) {
    return OAuthErrorResponse(InvalidGrant("redirect_uri does not match the authorization request."));
  }
  // PKCE (RFC 7636): checked before the code is spent, so a thief without the verifier cannot
  // burn the legitimate client's code.
  std::string challenge = identity::GetString(body, "code_challenge").value_or("");
  std::string_view verifier = form.Get("code_verifier").value_or("");
  if (!challenge.empty()) {
    if (!IsPkceVerifier(verifier) ||
        !crypto::ConstantTimeEquals(crypto::Base64UrlEncode(crypto::Sha256(verifier)), challenge)) {
      return OAuthErrorResponse(InvalidGrant("code_verifier does not match the code_challenge."));
    }
  } else if (!verifier.empty()) {
    return OAuthErrorResponse(InvalidGrant("The authorization request had no code_challenge."));
  }
  const std::string origin_jti = identity::GetString(body, "origin_jti").value_or("");
  auto spent = tickets_.Spend(*code);
  if (!spent.ok()) return OAuthErrorResponse(GrantError(spent.error()));
  if (!*spent) {
    // A replayed code: whoever holds it may be an attacker, so the tokens the first exchange
    // issued are revoked too (RFC 6749 section 4.1.2).
    int64_t keep_until = s_.directory.clock().NowMs() +
                         identity::EffectiveTokenLifetimes(client.config).refresh_seconds * 1000;
    Status revoked = s_.directory.stores().refresh_tokens->RevokeOrigin(code->pool_id, origin_jti,
                                                                       keep_until);
    if (!revoked.ok()) return OAuthErrorResponse(GrantError(revoked.error()));
    return OAuthErrorResponse(InvalidGrant("The authorization code has already been used."));
  }
  auth::OAuthGrant grant;
  grant.scope = identity::GetString(body, "scope").value_or("");
  grant.nonce = identity::GetString(body, "nonce").value_or("");
  grant.origin_jti = origin_jti;
  grant.auth_time_s = identity::GetInt(body, "auth_time").value_or(0);
  auto issued = s_.sign_in.HostedTokens(client.id(), code->username_key, grant);
  if (!issued.ok()) return OAuthErrorResponse(GrantError(issued.error()));
  json::object out{{"access_token", issued->tokens.access_token}};
  if (!issued->tokens.id_token.empty()) out["id_token"] = issued->tokens.id_token;
  out["refresh_token"] = issued->refresh_token;
  out["expires_in"] = issued->tokens.expires_in;
  out["token_type"] = "Bearer";
  return JsonResponse(200, out);
}

http::Response OAuthEndpoints::RefreshGrant(const Form& form,
                                            const identity::ClientContext& client) const {
  std::string_view token = form.Get("refresh_token").value_or("");
  if (token.empty()) {
    return OAuthErrorResponse(OAuthError("invalid_request", "refresh_token is missing."));
  }
  auto refreshed = s_.sign_in.HostedRefresh(
      json::object{{"ClientId", client.id()}, {"RefreshToken", token}});
  if (!refreshed.ok()) return OAuthErrorResponse(GrantError(refreshed.error()));
  const json::object* result = identity::GetObject(*refreshed, "AuthenticationResult");
  if (result == nullptr) return OAuthErrorResponse(OAuthError("server_error", "No tokens."));
  json::object out{{"access_token", identity::GetString(*result, "AccessToken").value_or("")}};
  if (auto id = identity::GetString(*result, "IdToken")) out["id_token"] = *id;
  if (auto next = identity::GetString(*result, "RefreshToken")) out["refresh_token"] = *next;
  out["expires_in"] = identity::GetInt(*result, "ExpiresIn").value_or(0);
  out["token_type"] = "Bearer";
  return JsonResponse(200, out);
}

http::Response OAuthEndpoints::UserInfo(const Call& call) const {
  std::string token = BearerToken(call.request);
  if (token.empty()) {
    return UserInfoError(400, "invalid_request", "Bad OAuth2 request at UserInfo Endpoint");
  }
  auto user = s_.guard.Authenticate(token, "openid");
  if (!user.ok() || user->pool.id() != call.site.pool_id) {
    if (user.ok() || user.error().http_status < 500) {
      return UserInfoError(401, "invalid_token",
                           "Access token is expired, disabled, or deleted, or the user has "
                           "globally signed out.");
    }
    return UserInfoError(500, "server_error", "The service is unavailable.");
  }
  auto attributes = identity::UserDirectory::Attributes(user->user);
  if (!attributes.ok()) return UserInfoError(500, "server_error", "The service is unavailable.");
  const std::string& scope = user->claims.scope;
  const bool email = auth::HasScope(scope, "email");
  const bool phone = auth::HasScope(scope, "phone");
  const bool profile = auth::HasScope(scope, "profile");
  json::object out{{"sub", user->user.sub}};
  for (const auto& kv : *attributes) {
    std::string_view name = kv.key();
    if (name == "sub") continue;
    bool is_email = name == "email" || name == "email_verified";
    bool is_phone = name == "phone_number" || name == "phone_number_verified";
    if ((is_email && (email || profile)) || (is_phone && (phone || profile)) ||
        (!is_email && !is_phone && profile)) {
      out[name] = kv.value();
    }
  }
  out["username"] = user->user.username;
  return JsonResponse(200, out);
}

http::Response OAuthEndpoints::Revoke(const Call& call) const {
  auto posted = ClientForm(call);
  if (!posted.ok()) return OAuthErrorResponse(posted.error());
  const auto& [form, client] = *posted;
  std::string_view token = form.Get("token").value_or("");
  if (token.empty()) return OAuthErrorResponse(OAuthError("invalid_request", "token is missing."));
  json::object request{{"ClientId", client.id()}, {"Token", token}};
  if (!client.secret.empty()) request["ClientSecret"] = client.secret;
  auto revoked = s_.sign_in.RevokeToken(request);
  if (!revoked.ok()) {
    const Error& e = revoked.error();
    if (e.type == "UnsupportedTokenTypeException") {
      return OAuthErrorResponse(OAuthError("unsupported_token_type", e.message));
    }
    if (e.type == "UnsupportedOperationException") {
      return OAuthErrorResponse(OAuthError("invalid_request", e.message));
    }
    // Another client's token: RFC 7009 answers as if revoked, telling nothing.
    if (e.type != "UnauthorizedException") return OAuthErrorResponse(GrantError(e));
  }
  http::Response r;
  r.status = 200;
  r.Set("Cache-Control", "no-store");
  return r;
}

http::Response OAuthEndpoints::Logout(const Call& call) const {
  std::string client_id(call.query.Get("client_id").value_or(""));
  auto client = s_.directory.LoadClient(call.site.pool_id, client_id);
  if (client_id.empty() || !client.ok()) {
    return ErrorPage(call, 400, "The client_id does not name an app client of this user pool.");
  }
  // Ending the browser session first: whatever happens next, this browser is signed out.
  auto end_session = [&](http::Response r) {
    if (std::optional<std::string> cookie = CookieValue(call.request, kSessionCookie)) {
      if (std::optional<Ticket> session = tickets_.Open("session", *cookie)) {
        (void)tickets_.Revoke(*session);
      }
      SetCookie(r, call.site, kSessionCookie, "", 0);
    }
    return r;
  };
  if (auto logout_uri = call.query.Get("logout_uri")) {
    const boost::json::array* allowed = identity::GetArray(client->config, "LogoutURLs");
    if (allowed == nullptr || !identity::Contains(*allowed, *logout_uri)) {
      return end_session(ErrorPage(call, 400, "The logout_uri is not one of the app client's sign-out URLs."));
    }
    return end_session(Redirect(std::string(*logout_uri), false));
  }
  if (call.query.Has("redirect_uri")) {
    auto checked = Recheck(call);
    if (auto* r = std::get_if<http::Response>(&checked)) return end_session(std::move(*r));
    return end_session(
        Redirect(PageUrl(call, "/login", std::get<AuthorizeContext>(checked)), false));
  }
  return end_session(ErrorPage(call, 400, "The request needs a logout_uri or a redirect_uri."));
}

}  // namespace cognate::oauth
