#pragma once
// A minimal HTTP/1.1 server on 127.0.0.1 for unit tests of outgoing HTTP: one thread, one
// connection at a time, Content-Length bodies only, every answer closes the connection. A
// handler scripts each answer (status, body, delay); requests are recorded. Header-only so it
// stays out of cognate_core.

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace cognate::triggers::testing {

class LocalHttpServer {
 public:
  struct Request {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers;  // Names lowercased.
    std::string body;
  };
  struct Reply {
    int status = 200;
    std::string body;
    int delay_ms = 0;  // Before answering (timeout tests); cut short when the server stops.
  };
  using Handler = std::function<Reply(const Request&)>;

  explicit LocalHttpServer(Handler handler) : handler_(std::move(handler)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("LocalHttpServer: cannot listen");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  ~LocalHttpServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }

  int port() const { return port_; }
  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<Request> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

  // A loopback port with nothing listening (bound, then released).
  static int ClosedPort() {
    LocalHttpServer probe([](const Request&) { return Reply{}; });
    return probe.port();
  }

 private:
  void Loop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      int conn = ::accept(fd_, nullptr, nullptr);
      if (conn < 0) continue;
      timeval tv{2, 0};
      ::setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
      Serve(conn);
      ::close(conn);
    }
  }

  void Serve(int conn) {
    std::string data;
    char buf[4096];
    size_t header_end;
    while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = ::recv(conn, buf, sizeof(buf), 0);
      if (n <= 0) return;
      data.append(buf, static_cast<size_t>(n));
    }
    Request req = ParseHead(data.substr(0, header_end));
    size_t length = req.headers.count("content-length")
                        ? std::stoul(req.headers["content-length"]) : 0;
    req.body = data.substr(header_end + 4);
    while (req.body.size() < length) {
      ssize_t n = ::recv(conn, buf, sizeof(buf), 0);
      if (n <= 0) return;
      req.body.append(buf, static_cast<size_t>(n));
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(req);
    }
    Reply reply = handler_(req);
    for (int waited = 0; waited < reply.delay_ms && !stop_; waited += 10)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " X\r\nContent-Length: " +
                      std::to_string(reply.body.size()) +
                      "\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" +
                      reply.body;
    (void)::send(conn, out.data(), out.size(), MSG_NOSIGNAL);
  }

  static Request ParseHead(const std::string& head) {
    Request req;
    size_t line_end = head.find("\r\n");
    std::string first = head.substr(0, line_end);
    size_t sp1 = first.find(' ');
    size_t sp2 = first.find(' ', sp1 + 1);
    req.method = first.substr(0, sp1);
    req.path = first.substr(sp1 + 1, sp2 - sp1 - 1);
    while (line_end != std::string::npos) {
      size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      std::string line = head.substr(start, line_end == std::string::npos ? std::string::npos
                                                                          : line_end - start);
      size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      size_t value = line.find_first_not_of(' ', colon + 1);
      req.headers[name] = value == std::string::npos ? "" : line.substr(value);
    }
    return req;
  }

  Handler handler_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<Request> requests_;
};

}  // namespace cognate::triggers::testing
