#include "api/router.h"

#include <algorithm>

#include "crypto/hash.h"
#include "metrics/server_metrics.h"

namespace cognate::api {
namespace {

constexpr const char* kDefaultAllowHeaders =
    "content-type, x-amz-target, x-amz-user-agent, x-amz-date, x-amz-security-token, "
    "x-amz-content-sha256, authorization, cache-control, amz-sdk-invocation-id, amz-sdk-request";
constexpr const char* kExposeHeaders =
    "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date";
constexpr std::size_t kMaxEchoedHeaders = 2048;

// Header lists are echoed back only when they are plain tokens, so nothing odd is reflected.
bool IsHeaderList(std::string_view v) {
  return !v.empty() && v.size() <= kMaxEchoedHeaders &&
         std::all_of(v.begin(), v.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                  c == ',' || c == ' ';
         });
}

http::Response Preflight(const http::Request& request) {
  http::Response r;
  r.status = 204;
  r.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  std::string_view asked = request.Header("Access-Control-Request-Headers");
  r.Set("Access-Control-Allow-Headers",
        IsHeaderList(asked) ? std::string(asked) : std::string(kDefaultAllowHeaders));
  r.Set("Access-Control-Max-Age", "86400");
  r.log_action = "preflight";
  return r;
}

http::Response Plain(int status, std::string type, std::string message) {
  http::Response r;
  r.status = status;
  r.Set("Content-Type", "application/json");
  r.body = "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}";
  r.log_error = std::move(type);
  return r;
}

// No cookie ever authenticates these endpoints, so any origin may call them.
void AddCorsHeaders(http::Response& response) {
  response.Set("Access-Control-Allow-Origin", "*");
  response.Set("Access-Control-Expose-Headers", kExposeHeaders);
}

}  // namespace

http::Response Router::Metrics(const http::Request& request) const {
  if (!metrics_token_.empty()) {
    std::string_view given = request.Header("Authorization");
    const bool bearer = given.size() > 7 && given.substr(0, 7) == "Bearer ";
    if (!bearer || !crypto::ConstantTimeEquals(given.substr(7), metrics_token_)) {
      http::Response r = Plain(401, "NotAuthorizedException", "A bearer token is required.");
      r.Set("WWW-Authenticate", "Bearer realm=\"metrics\"");
      r.log_action = "metrics";
      return r;
    }
  }
  http::Response r;
  r.status = 200;
  r.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  r.Set("Cache-Control", "no-store");
  r.body = metrics::ServerRegistry().Render();
  r.log_action = "metrics";
  return r;
}

Router::Router(const CognitoDispatcher& cognito, const WellKnown& well_known)
    : cognito_(cognito), well_known_(well_known) {}

http::Response Router::Handle(const http::Request& request) const {
  http::Response response;
  if (request.method == "OPTIONS") {
    response = Preflight(request);
  } else if (request.method == "POST") {
    response = cognito_.Handle(request);
  } else if (request.method == "GET" || request.method == "HEAD") {
    if (request.Path() == "/health") {
      response = Plain(200, "", "");
      response.body = "{\"status\":\"ok\"}";
      response.log_error.clear();
      response.log_action = "health";
    } else if (request.Path() == "/metrics") {
      response = Metrics(request);
    } else if (auto r = well_known_.Handle(request)) {
      response = std::move(*r);
    } else {
      response = Plain(404, "NotFoundException", "Not found.");
    }
  } else {
    response = Plain(405, "MethodNotAllowedException", "Method not allowed.");
  }
  AddCorsHeaders(response);
  return response;
}

std::size_t Router::BodyLimit(std::string_view method, std::string_view target) const {
  std::size_t limit = 0;
  for (const Endpoints* endpoints : endpoints_)
    limit = std::max(limit, endpoints->BodyLimit(method, target));
  return limit;
}

void Router::Serve(http::Request request, std::function<void(http::Response)> respond) const {
  if (request.method != "OPTIONS") {
    for (const Endpoints* endpoints : endpoints_) {
      if (endpoints->Claims(request))
        return endpoints->Serve(std::move(request), std::move(respond));
    }
  }
  if (request.method != "POST") return respond(Handle(request));
  cognito_.HandleAsync(std::move(request), [respond = std::move(respond)](http::Response r) {
    AddCorsHeaders(r);
    respond(std::move(r));
  });
}

}  // namespace cognate::api
