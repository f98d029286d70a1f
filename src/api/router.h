#pragma once
// Routes every HTTP request: CORS preflight, /health, the per-pool well-known documents, and
// the Cognito JSON API (POST on any path, as clients differ in the path they post to). Adds the
// CORS headers browser SDKs need to every response.

#include <functional>

#include "api/cognito/dispatcher.h"
#include "api/wellknown/wellknown.h"
#include "http/message.h"

namespace cognate::api {

class Router {
 public:
  Router(const CognitoDispatcher& cognito, const WellKnown& well_known);

  // Serves one request; Cognito actions may complete later on a worker thread.
  void Serve(http::Request request, std::function<void(http::Response)> respond) const;
  // Serves one request synchronously (every action inline).
  http::Response Handle(const http::Request& request) const;

 private:
  const CognitoDispatcher& cognito_;
  const WellKnown& well_known_;
};

}  // namespace cognate::api
