// OAuthEndpoints: /oauth2/authorize, the upstream identity providers' callback, and the end of
// every successful sign-in (a browser session and an authorization code).

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "identity/json_fields.h"
#include "oauth/oauth_endpoints.h"

namespace cognate::oauth {
namespace json = boost::json;
namespace {

constexpr int64_t kCodeLifetimeMs = 5 * 60 * 1000;        // Cognito: 5 minutes
constexpr int64_t kSessionLifetimeMs = 60 * 60 * 1000;    // Cognito: 1 hour
constexpr int64_t kFederationLifetimeMs = 10 * 60 * 1000;  // to sign in upstream
constexpr std::string_view kFederationAad = "federation-state";

// The client's redirect_uri with an OAuth error (and the state).
http::Response ErrorToClient(const std::string& redirect_uri, const std::string& state,
                             const Error& error) {
  std::string url = AppendQuery(redirect_uri, "error", error.type);
  url = AppendQuery(std::move(url), "error_description", error.message);
  if (!state.empty()) url = AppendQuery(std::move(url), "state", state);
  http::Response r = Redirect(std::move(url), false);
  r.log_error = error.type;
  return r;
}

}  // namespace

std::variant<AuthorizeContext, http::Response> OAuthEndpoints::Recheck(const Call& call) const {
  AuthorizeCheck check = CheckAuthorize(s_.directory, call.site.pool_id, call.query);
  if (check.context) return std::move(*check.context);
  if (!check.failure->to_client) return ErrorPage(call, 400, check.failure->error.message);
  return ErrorToClient(std::string(call.query.Get("redirect_uri").value_or("")),
                       std::string(call.query.Get("state").value_or("")), check.failure->error);
}

http::Response OAuthEndpoints::Authorize(const Call& call) const {
  auto checked = Recheck(call);
  if (auto* r = std::get_if<http::Response>(&checked)) return std::move(*r);
  AuthorizeContext& context = std::get<AuthorizeContext>(checked);
  AuthorizeRequest& request = context.request;
  if (request.identity_provider.empty() && !request.idp_identifier.empty() && s_.federation) {
    auto name = s_.federation->ProviderName(context.pool.id(), request.idp_identifier);
    if (!name.ok()) {
      return ErrorToClient(request.redirect_uri, request.state,
                           OAuthError("invalid_request", "No identity provider has that identifier."));
    }
    std::vector<std::string> supported = SupportedProviders(context.client);
    if (std::find(supported.begin(), supported.end(), *name) == supported.end()) {
      return ErrorToClient(request.redirect_uri, request.state,
                           OAuthError("invalid_request",
                                      "The identity_provider is not enabled for this app client."));
    }
    request.identity_provider = *name;
  }
  if (!request.identity_provider.empty() && request.identity_provider != "COGNITO") {
    return StartFederation(call, context, request.identity_provider);
  }
  // A browser that signed in within the hour goes straight back, unless the client insists.
  if (request.prompt != "login") {
    std::optional<std::string> cookie = CookieValue(call.request, kSessionCookie);
    std::optional<Ticket> session = cookie ? tickets_.Open("session", *cookie) : std::nullopt;
    if (session && session->pool_id == context.pool.id()) {
      auto live = tickets_.IsLive(*session);
      auto user = s_.directory.stores().users->GetUser(session->pool_id, session->username_key);
      // A global sign-out after the browser signed in ends its session too.
      const int64_t signed_in_ms = session->expires_ms - kSessionLifetimeMs;
      if (live.ok() && *live && user.ok() && user->has_value() && (*user)->enabled &&
          (*user)->tokens_valid_after_ms < signed_in_ms) {
        return CompleteAuthorization(call, context, session->username_key,
                                     identity::GetInt(session->body, "auth_time").value_or(0),
                                     false, false);
      }
    }
    if (request.prompt == "none") {
      return ErrorToClient(request.redirect_uri, request.state,
                           OAuthError("login_required", "The user is not signed in."));
    }
  }
  return Redirect(PageUrl(call, "/login", context), false);
}

http::Response OAuthEndpoints::StartFederation(const Call& call, const AuthorizeContext& context,
                                               const std::string& provider) const {
  if (s_.federation == nullptr) return ErrorPage(call, 400, "Federation is not available.");
  // The callback must come back to this browser: the state carries its CSRF token.
  auto [csrf_token, new_cookie] = csrf_.Prepare(call.request);
  std::string verifier = crypto::Base64UrlEncode(crypto::RandomBytes(32));
  std::string nonce = crypto::Base64UrlEncode(crypto::RandomBytes(16));
  json::object state{{"q", AuthorizeQuery(context.request)},
                     {"p", provider},
                     {"n", nonce},
                     {"v", verifier},
                     {"c", csrf_token},
                     {"e", s_.directory.clock().NowMs() + kFederationLifetimeMs}};
  std::string sealed = s_.directory.kek().Seal(json::serialize(state), kFederationAad);
  federation::AuthorizationRequest upstream;
  upstream.redirect_uri = call.site.base_url + "/oauth2/idpresponse";
  upstream.state = crypto::Base64UrlEncode(sealed);
  upstream.nonce = nonce;
  upstream.code_challenge = crypto::Base64UrlEncode(crypto::Sha256(verifier));
  auto url = s_.federation->StartUrl(context.pool.id(), provider, upstream);
  if (!url.ok()) {
    return ErrorToClient(context.request.redirect_uri, context.request.state,
                         OAuthError("invalid_request", "The identity provider is not available."));
  }
  http::Response r = Redirect(*url, false);
  if (!new_cookie.empty()) SetCookie(r, call.site, kCsrfCookie, new_cookie, 24 * 3600);
  return r;
}

http::Response OAuthEndpoints::IdpResponse(const Call& call) const {
  if (s_.federation == nullptr) return ErrorPage(call, 400, "Federation is not available.");
  auto decoded = crypto::Base64UrlDecode(call.query.Get("state").value_or(""));
  auto opened = decoded ? s_.directory.kek().Open(*decoded, kFederationAad)
                        : Result<std::string>(Error::InvalidParameter("bad state"));
  if (!opened.ok()) return ErrorPage(call, 400, "The sign-in could not be completed. Please start again.");
  boost::system::error_code ec;
  json::value parsed = json::parse(*opened, ec);
  if (ec || !parsed.is_object()) return ErrorPage(call, 400, "The sign-in could not be completed.");
  const json::object& state = parsed.as_object();
  if (identity::GetInt(state, "e").value_or(0) <= s_.directory.clock().NowMs() ||
      !csrf_.Check(call.request, identity::GetString(state, "c").value_or(""))) {
    return ErrorPage(call, 400, "This sign-in has expired or was started in another browser. Please start again.");
  }
  // The authorization this sign-in belongs to, checked again as it is now.
  auto original = Form::Parse(identity::GetString(state, "q").value_or(""));
  if (!original.ok()) return ErrorPage(call, 400, "The sign-in could not be completed.");
  const Call inner{call.request, call.site, *original};
  auto checked = Recheck(inner);
  if (auto* r = std::get_if<http::Response>(&checked)) return std::move(*r);
  const AuthorizeContext& context = std::get<AuthorizeContext>(checked);
  if (auto error = call.query.Get("error")) {
    return ErrorToClient(context.request.redirect_uri, context.request.state,
                         OAuthError("access_denied", "The identity provider refused the sign-in."));
  }
  federation::CodeExchange exchange;
  exchange.code = std::string(call.query.Get("code").value_or(""));
  exchange.redirect_uri = call.site.base_url + "/oauth2/idpresponse";
  exchange.code_verifier = identity::GetString(state, "v").value_or("");
  exchange.nonce = identity::GetString(state, "n").value_or("");
  if (exchange.code.empty()) return ErrorPage(call, 400, "The identity provider sent no code.");
  auto user = s_.federation->Complete(
      context.pool.id(), identity::GetString(state, "p").value_or(""), exchange,
      context.client.id());
  if (!user.ok() && user.error().type == "UserLambdaValidationException") {
    // As Cognito: the trigger's refusal goes back to the client.
    return ErrorToClient(context.request.redirect_uri, context.request.state,
                         OAuthError("invalid_request", user.error().message));
  }
  if (!user.ok()) {
    http::Response r = ErrorPage(call, user.error().http_status >= 500 ? 502 : 400,
                                 "Signing in with the identity provider failed.");
    r.log_error = user.error().type;
    return r;
  }
  return CompleteAuthorization(inner, context, user->username_key,
                               s_.directory.clock().NowSeconds(), false, true);
}

http::Response OAuthEndpoints::CompleteAuthorization(const Call& call,
                                                     const AuthorizeContext& context,
                                                     const std::string& username_key,
                                                     int64_t auth_time_s, bool after_post,
                                                     bool new_session) const {
  const AuthorizeRequest& request = context.request;
  Ticket code;
  code.kind = "code";
  code.pool_id = context.pool.id();
  code.username_key = username_key;
  code.body = json::object{{"client_id", context.client.id()},
                           {"redirect_uri", request.redirect_uri},
                           {"scope", request.Scope()},
                           {"nonce", request.nonce},
                           {"code_challenge", request.code_challenge},
                           {"origin_jti", crypto::RandomUuid()},
                           {"auth_time", auth_time_s}};
  auto sealed_code = tickets_.Issue(std::move(code), kCodeLifetimeMs);
  if (!sealed_code.ok()) return ErrorPage(call, 500, "The service is unavailable.");
  std::string location = AppendQuery(request.redirect_uri, "code", *sealed_code);
  if (!request.state.empty()) location = AppendQuery(std::move(location), "state", request.state);
  http::Response r = Redirect(std::move(location), after_post);
  if (new_session) {
    Ticket session;
    session.kind = "session";
    session.pool_id = context.pool.id();
    session.username_key = username_key;
    session.body = json::object{{"auth_time", auth_time_s}};
    auto sealed_session = tickets_.Issue(std::move(session), kSessionLifetimeMs);
    if (!sealed_session.ok()) return ErrorPage(call, 500, "The service is unavailable.");
    SetCookie(r, call.site, kSessionCookie, *sealed_session, kSessionLifetimeMs / 1000);
  }
  if (CookieValue(call.request, kFlowCookie)) SetCookie(r, call.site, kFlowCookie, "", 0);
  r.log_action = "authorized";
  return r;
}

}  // namespace cognate::oauth
