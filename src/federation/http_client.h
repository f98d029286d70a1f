#pragma once
// The outbound HTTP that federation needs (OIDC discovery, JWKS, token and userinfo endpoints),
// behind an interface so tests answer without a network.
//
// The curl implementation reuses delivery/curl_transfer.h: http and https only, connect and
// total deadlines, no redirects, no signals, and a response-size cap (a longer body is an
// error, never silently cut). Thread-safe: every Send uses its own easy handle.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "delivery/curl_transfer.h"

namespace cognate::federation {

struct HttpRequest {
  std::string method = "GET";         // "GET" or "POST"
  std::string url;                    // http:// or https://
  std::vector<std::string> headers;   // "Name: value"
  std::string body;                   // POST only
};

struct HttpResponse {
  long status = 0;
  std::string body;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Any HTTP status is a response. Errors (type "UpstreamUnavailable", message naming only
  // the scheme, host and port plus the reason): connection, TLS, timeout, a body over the cap.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

struct CurlHttpClientOptions {
  delivery::TransferTimeouts timeouts{3'000, 10'000};
  std::string ca_file;  // Empty: the system trust store.
  std::size_t max_response_bytes = 256 * 1024;
};

std::unique_ptr<HttpClient> NewCurlHttpClient(CurlHttpClientOptions options = {});

// The error type HttpClient uses for a failed exchange; callers rewrite it into the error
// their action answers with.
inline constexpr const char* kUpstreamUnavailable = "UpstreamUnavailable";

// application/x-www-form-urlencoded encoding of one name or value (RFC 6749 appendix B).
std::string FormEncode(std::string_view text);

}  // namespace cognate::federation
