#include "federation/http_client.h"

#include <curl/curl.h>

#include <utility>

namespace cognate::federation {
namespace {

Error Unavailable(const std::string& url, const std::string& reason) {
  return Error::Make(kUpstreamUnavailable, delivery::RedactedUrl(url) + ": " + reason, 502);
}

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(CurlHttpClientOptions options) : options_(std::move(options)) {}

  Result<HttpResponse> Send(const HttpRequest& request) override {
    if (!delivery::IsUrlWithScheme(request.url, {"http", "https"}))
      return Unavailable(request.url, "not an http(s) URL");
    delivery::CurlHandle handle =
        delivery::NewCurlHandle("http,https", options_.timeouts, options_.ca_file);
    if (!handle) return Unavailable(request.url, "out of memory");
    delivery::CurlList headers;
    bool listed = true;
    for (const std::string& h : request.headers) listed = listed && delivery::Append(headers, h);
    if (!listed || !delivery::Append(headers, "Expect:"))
      return Unavailable(request.url, "out of memory");
    delivery::ResponseSink sink{{}, options_.max_response_bytes, false};
    CURL* h = handle.get();
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    if (request.method == "POST") {
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    } else {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_USERAGENT, "cognate/" COGNATE_VERSION);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &delivery::CollectResponse);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    const CURLcode rc = curl_easy_perform(h);
    if (sink.overflow) return Unavailable(request.url, "response too large");
    if (rc != CURLE_OK) return Unavailable(request.url, curl_easy_strerror(rc));
    HttpResponse response;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
    response.body = std::move(sink.body);
    return response;
  }

 private:
  CurlHttpClientOptions options_;
};

}  // namespace

std::unique_ptr<HttpClient> NewCurlHttpClient(CurlHttpClientOptions options) {
  return std::make_unique<CurlHttpClient>(std::move(options));
}

std::string FormEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace cognate::federation
