#pragma once
// The libcurl plumbing shared by the network senders (SMTP, webhooks) and, later, trigger
// webhooks: process-wide initialisation, an owning easy handle with Cognate's defaults, and a
// bounded HTTP POST.
//
// Every transfer has a connect and a total deadline, refuses protocols other than the ones it
// names, never follows redirects and never uses signals (safe on worker threads).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

typedef void CURL;  // NOLINT: libcurl's own spelling, so <curl/curl.h> stays out of headers.
struct curl_slist;

namespace cognate::delivery {

struct TransferTimeouts {
  int64_t connect_ms = 5'000;
  int64_t total_ms = 15'000;
};

struct CurlDeleter {
  void operator()(CURL* handle) const;
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* list) const;
};
using CurlList = std::unique_ptr<curl_slist, SlistDeleter>;
// Appends a copy of `item`; false when libcurl cannot allocate (the list is unchanged).
bool Append(CurlList& list, const std::string& item);

// A new easy handle (libcurl initialised on first use) limited to `protocols` ("http,https",
// "smtp,smtps"), with `timeouts`, `ca_file` as the trust store when not empty, no signals, no
// redirects. Null only when libcurl cannot allocate.
CurlHandle NewCurlHandle(const char* protocols, const TransferTimeouts& timeouts,
                         const std::string& ca_file);

// "scheme://host:port" of `url`, without user info, path or query (which may hold secrets),
// for error messages and logs. "<invalid URL>" when it does not parse.
std::string RedactedUrl(std::string_view url);

// True when `url` parses as an absolute URL whose scheme is one of `schemes` and has a host.
bool IsUrlWithScheme(std::string_view url, const std::vector<std::string_view>& schemes);

// A response body collected up to `limit` bytes: set CURLOPT_WRITEFUNCTION to CollectResponse
// and CURLOPT_WRITEDATA to the sink. A longer body aborts the transfer (CURLE_WRITE_ERROR) with
// `overflow` set.
struct ResponseSink {
  std::string body;
  size_t limit = 0;
  bool overflow = false;
};
size_t CollectResponse(char* data, size_t size, size_t count, void* user);

struct HttpReply {
  long status = 0;
  std::string body;        // At most HttpPostOptions::max_response_bytes.
  bool truncated = false;  // The body was longer; reading stopped there.
};

struct HttpPostOptions {
  TransferTimeouts timeouts;
  std::string ca_file;
  size_t max_response_bytes = 64 * 1024;
};

// POSTs `body` to `url` (http:// or https://) with `headers` ("Name: value"). Any HTTP status
// is a reply (a body over the limit is cut off and marked truncated);
// CodeDeliveryFailureException (detail: redacted URL and curl's reason) when there is none:
// connection, TLS or timeout.
Result<HttpReply> HttpPost(const std::string& url, const std::vector<std::string>& headers,
                           std::string_view body, const HttpPostOptions& options);

}  // namespace cognate::delivery
