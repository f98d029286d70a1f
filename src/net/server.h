#pragma once
// The HTTP/1.1 server: accepts connections (plain TCP or TLS), reads requests with limits and
// deadlines, hands each to a Handler and writes its response. No protocol logic lives here.
//
// Limits: header bytes, body bytes, a deadline for reading one request once it has started,
// an idle deadline between keep-alive requests, and a cap on open connections.
// Shutdown(): stop accepting, close idle connections, let in-flight requests finish (bounded by
// `drain_timeout`), then Run() returns.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "http/message.h"

namespace cognate::net {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 9330;  // 0 picks a free port; see Server::port().
  int threads = 0;             // 0 = one per hardware thread.
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 1024 * 1024;
  std::chrono::seconds read_timeout{10};
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds drain_timeout{20};
  std::size_t max_connections = 4096;
  // Called once a request's head is read: a larger body limit for it (uploads), which also
  // gets `upload_timeout` to arrive; 0 keeps body_limit. Must be cheap and thread-safe.
  std::function<std::size_t(std::string_view method, std::string_view target)> body_limit_for;
  std::chrono::seconds upload_timeout{300};
  std::string tls_cert_file;  // PEM chain; TLS is on when both files are set.
  std::string tls_key_file;
};

// Completes a request. May be called from any thread, exactly once.
using Respond = std::function<void(http::Response)>;
// Handles one request; may answer synchronously or later (e.g. from a worker pool).
using Handler = std::function<void(http::Request, Respond)>;
// Called after each response is written, with the request, response and latency (for logging).
using AccessLog = std::function<void(const http::Request&, const http::Response&,
                                     std::chrono::microseconds)>;

class Server {
 public:
  // Binds the listening socket; throws std::runtime_error when it cannot (start-up).
  Server(ServerOptions options, Handler handler, AccessLog access_log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  unsigned short port() const;  // The bound port (useful with port 0).
  bool tls() const;
  // Serves until Shutdown() completes (or SIGINT/SIGTERM when handle_signals). Blocks.
  void Run(bool handle_signals = true);
  // Thread-safe; returns immediately.
  void Shutdown();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace cognate::net
