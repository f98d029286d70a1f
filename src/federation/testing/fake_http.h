#pragma once
// An HttpClient for federation tests: answers from handlers keyed by "METHOD url" (the URL
// without its query, which handlers can read from the request) and records every request.
// Unknown URLs fail as an unreachable host would. Thread-safe.

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "federation/http_client.h"

namespace cognate::federation::testing {

class FakeHttp final : public HttpClient {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  void On(const std::string& method, const std::string& url, Handler handler) {
    std::lock_guard lock(mu_);
    handlers_[method + " " + url] = std::move(handler);
  }
  void OnJson(const std::string& method, const std::string& url, std::string body,
              long status = 200) {
    On(method, url, [body, status](const HttpRequest&) { return HttpResponse{status, body}; });
  }
  std::vector<HttpRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  int CountTo(const std::string& url) const {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const HttpRequest& r : requests_) n += r.url.substr(0, r.url.find('?')) == url;
    return n;
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    Handler handler;
    {
      std::lock_guard lock(mu_);
      requests_.push_back(request);
      auto it = handlers_.find(request.method + " " + request.url.substr(0, request.url.find('?')));
      if (it == handlers_.end())
        return Error::Make(kUpstreamUnavailable, request.url + ": Couldn't connect to server", 502);
      handler = it->second;
    }
    return handler(request);
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, Handler> handlers_;
  std::vector<HttpRequest> requests_;
};

// Forwards to a FakeHttp the test owns (Federation takes ownership of its client).
class ForwardingHttp final : public HttpClient {
 public:
  explicit ForwardingHttp(HttpClient& target) : target_(target) {}
  Result<HttpResponse> Send(const HttpRequest& request) override { return target_.Send(request); }

 private:
  HttpClient& target_;
};

}  // namespace cognate::federation::testing
