#pragma once
// Routes every HTTP request: CORS preflight, /health, the per-pool well-known documents, and
// the Cognito JSON API (POST on any path, as clients differ in the path they post to). Adds the
// CORS headers browser SDKs need to every response.

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "api/cognito/dispatcher.h"
#include "api/wellknown/wellknown.h"
#include "http/message.h"

namespace cognate::api {

// Endpoints the router hands requests to before its own: the OAuth 2.0 endpoints and hosted
// pages of pool domains (oauth/oauth_endpoints.h).
class Endpoints {
 public:
  virtual ~Endpoints() = default;
  // Cheap: whether these endpoints take the request.
  virtual bool Claims(const http::Request& request) const = 0;
  // Serves a claimed request; `respond` runs exactly once, on any thread.
  virtual void Serve(http::Request request, std::function<void(http::Response)> respond) const = 0;
  // The body size these endpoints accept for a request, decided from its head alone before the
  // body is read (uploads); 0: the server's default.
  virtual std::size_t BodyLimit(std::string_view method, std::string_view target) const {
    return 0;
  }
};

class Router {
 public:
  Router(const CognitoDispatcher& cognito, const WellKnown& well_known);
  // Requests `endpoints` claims go there, the first that claims one taking it (add before
  // serving; they must outlive the router).
  void add_endpoints(const Endpoints* endpoints) { endpoints_.push_back(endpoints); }
  // The largest body any endpoints accept for this request head; 0: the server's default.
  std::size_t BodyLimit(std::string_view method, std::string_view target) const;
  // GET /metrics (Prometheus text) then needs "Authorization: Bearer <token>"; empty: open.
  void set_metrics_token(std::string token) { metrics_token_ = std::move(token); }

  // Serves one request; Cognito actions may complete later on a worker thread.
  void Serve(http::Request request, std::function<void(http::Response)> respond) const;
  // Serves one request synchronously (every action inline).
  http::Response Handle(const http::Request& request) const;

 private:
  const CognitoDispatcher& cognito_;
  const WellKnown& well_known_;
  std::vector<const Endpoints*> endpoints_;
  std::string metrics_token_;

  http::Response Metrics(const http::Request& request) const;
};

}  // namespace cognate::api
