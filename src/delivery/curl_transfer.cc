#include "delivery/curl_transfer.h"

#include <curl/curl.h>

#include <boost/url/parse.hpp>
#include <mutex>

#include "delivery/sender.h"

namespace cognate::delivery {
namespace {

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

size_t CollectResponse(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<ResponseSink*>(user);
  const size_t n = size * count;
  if (sink->body.size() + n > sink->limit) {
    sink->overflow = true;
    return 0;  // Aborts the transfer (CURLE_WRITE_ERROR).
  }
  sink->body.append(data, n);
  return n;
}

void CurlDeleter::operator()(CURL* handle) const { curl_easy_cleanup(handle); }
void SlistDeleter::operator()(curl_slist* list) const { curl_slist_free_all(list); }

bool Append(CurlList& list, const std::string& item) {
  curl_slist* head = curl_slist_append(list.get(), item.c_str());
  if (!head) return false;
  (void)list.release();  // `head` is the same list, now one item longer.
  list.reset(head);
  return true;
}

CurlHandle NewCurlHandle(const char* protocols, const TransferTimeouts& timeouts,
                         const std::string& ca_file) {
  InitCurlOnce();
  CurlHandle handle(curl_easy_init());
  if (!handle) return handle;
  CURL* h = handle.get();
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeouts.connect_ms));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeouts.total_ms));
  if (!ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, ca_file.c_str());
  return handle;
}

std::string RedactedUrl(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return "<invalid URL>";
  std::string out = std::string(parsed->scheme()) + "://" + std::string(parsed->encoded_host());
  if (parsed->has_port()) out += ":" + std::string(parsed->port());
  return out;
}

bool IsUrlWithScheme(std::string_view url, const std::vector<std::string_view>& schemes) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || parsed->encoded_host().empty()) return false;
  for (std::string_view s : schemes)
    if (parsed->scheme() == s) return true;
  return false;
}

Result<HttpReply> HttpPost(const std::string& url, const std::vector<std::string>& headers,
                           std::string_view body, const HttpPostOptions& options) {
  CurlHandle handle = NewCurlHandle("http,https", options.timeouts, options.ca_file);
  if (!handle) return DeliveryFailure("HTTP POST " + RedactedUrl(url) + ": out of memory");
  CurlList list;
  bool listed = true;
  for (const std::string& header : headers) listed = listed && Append(list, header);
  // "Expect:" turns off curl's 100-continue round trip for bodies over 1 KiB.
  if (!listed || !Append(list, "Expect:"))
    return DeliveryFailure("HTTP POST " + RedactedUrl(url) + ": out of memory");
  ResponseSink sink{{}, options.max_response_bytes, false};
  CURL* h = handle.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(h, CURLOPT_USERAGENT, "cognate/" COGNATE_VERSION);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &CollectResponse);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  const CURLcode rc = curl_easy_perform(h);
  HttpReply reply;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply.status);
  // An over-long body aborts the transfer after the status line arrived: still a reply.
  if (rc != CURLE_OK && !(sink.overflow && reply.status != 0))
    return DeliveryFailure("HTTP POST " + RedactedUrl(url) + ": " + curl_easy_strerror(rc));
  reply.body = std::move(sink.body);
  reply.truncated = sink.overflow;
  return reply;
}

}  // namespace cognate::delivery
