#pragma once
// Where the request being served came from, for code far from the HTTP layer (alerts on failed
// sign-ins by address). The dispatcher sets it around each action on the thread that runs it;
// elsewhere CurrentRequestMeta() is null. Not for authorization decisions.

#include <string>

namespace cognate {

struct RequestMeta {
  std::string source_ip;
  std::string user_agent;
};

// The meta of the action running on this thread, or null.
const RequestMeta* CurrentRequestMeta();

// Makes `meta` current on this thread for the scope's lifetime.
class ScopedRequestMeta {
 public:
  explicit ScopedRequestMeta(const RequestMeta& meta);
  ~ScopedRequestMeta();
  ScopedRequestMeta(const ScopedRequestMeta&) = delete;
  ScopedRequestMeta& operator=(const ScopedRequestMeta&) = delete;

 private:
  const RequestMeta* previous_;
};

}  // namespace cognate
