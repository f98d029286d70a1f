#include "oauth/oauth_endpoints.h"

#include "common/request_meta.h"
#include "crypto/random.h"

namespace cognate::oauth {
namespace {

http::Response PlainText(int status, std::string text) {
  http::Response r;
  r.status = status;
  r.Set("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(text);
  return r;
}

http::Response MethodNotAllowed() { return PlainText(405, "Method not allowed."); }
http::Response NotFound() { return PlainText(404, "Not found."); }

// Endpoints called by scripts (single-page apps included) rather than navigated to.
bool IsApiEndpoint(std::string_view endpoint) {
  return endpoint == "/oauth2/token" || endpoint == "/oauth2/userInfo" ||
         endpoint == "/oauth2/userinfo" || endpoint == "/oauth2/revoke";
}

}  // namespace

OAuthEndpoints::OAuthEndpoints(const OAuthServices& services, std::string public_url,
                               std::string base_domain)
    : s_(services),
      sites_(*services.directory.stores().documents, std::move(public_url), std::move(base_domain)),
      tickets_(*services.directory.stores().codes, services.directory.kek(),
               services.directory.clock()),
      csrf_(services.directory.kek().Derive("hosted-pages-csrf")) {}

bool OAuthEndpoints::Claims(const http::Request& request) const { return sites_.Claims(request); }

void OAuthEndpoints::Serve(http::Request request,
                           std::function<void(http::Response)> respond) const {
  if (s_.workers == nullptr) return respond(Handle(request));
  auto shared = std::make_shared<http::Request>(std::move(request));
  auto done = std::make_shared<std::function<void(http::Response)>>(std::move(respond));
  if (!s_.workers->TrySubmit([this, shared, done] { (*done)(Handle(*shared)); })) {
    http::Response busy;
    busy.status = 503;
    busy.Set("Retry-After", "1");
    busy.body = "Too many requests.";
    (*done)(std::move(busy));
  }
}

http::Response OAuthEndpoints::Handle(const http::Request& request) const {
  const RequestMeta meta{request.remote_addr, std::string(request.Header("User-Agent"))};
  ScopedRequestMeta current(meta);  // hosted sign-ins are alerted on by address too
  auto site = sites_.Resolve(request);
  if (!site.ok()) return PlainText(500, "Internal error.");
  if (!site->has_value()) return NotFound();
  auto query = Form::Parse(request.Query());
  Form empty;
  const Call call{request, **site, query.ok() ? *query : empty};
  http::Response response;
  if (!query.ok()) {
    response = ErrorPage(call, 400, "The request's query string is malformed.");
  } else {
    response = Route(call);
  }
  response.log_action = "oauth " + (*site)->endpoint;
  if (IsApiEndpoint((*site)->endpoint)) response.Set("Access-Control-Allow-Origin", "*");
  return response;
}

http::Response OAuthEndpoints::Route(const Call& call) const {
  const std::string& e = call.site.endpoint;
  const std::string& m = call.request.method;
  const bool get = m == "GET" || m == "HEAD";
  const bool post = m == "POST";
  if (e == "/oauth2/authorize") return get ? Authorize(call) : MethodNotAllowed();
  if (e == "/oauth2/token") return post ? Token(call) : MethodNotAllowed();
  if (e == "/oauth2/userInfo" || e == "/oauth2/userinfo") {
    return get || post ? UserInfo(call) : MethodNotAllowed();
  }
  if (e == "/oauth2/revoke") return post ? Revoke(call) : MethodNotAllowed();
  if (e == "/oauth2/idpresponse") return get ? IdpResponse(call) : MethodNotAllowed();
  if (e == "/logout") return get ? Logout(call) : MethodNotAllowed();
  if (!get && !post) return MethodNotAllowed();
  if (e == "/login") return Login(call);
  if (e == "/challenge") return Challenge(call);
  if (e == "/signup") return SignUp(call);
  if (e == "/confirm") return Confirm(call);
  if (e == "/resendCode") return post ? ResendCode(call) : MethodNotAllowed();
  if (e == "/forgotPassword") return ForgotPassword(call);
  if (e == "/confirmForgotPassword") return ConfirmForgotPassword(call);
  return ErrorPage(call, 400, "Something went wrong.");  // /error: never echoes the query
}

}  // namespace cognate::oauth
