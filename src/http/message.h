#pragma once
// Transport-neutral HTTP messages: net/ converts Beast messages to and from these, so protocol
// code (api/) never depends on Beast and can be tested without sockets.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cognate::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive ASCII comparison, as HTTP header names need.
bool IEquals(std::string_view a, std::string_view b);

struct Request {
  std::string method;       // "GET", "POST", ...
  std::string target;       // The raw request-target: path and query, as received.
  Headers headers;          // Names as received; repeated headers appear repeatedly.
  std::string body;
  std::string remote_addr;  // Peer IP, for logs.
  std::string request_id;   // Assigned by the server; echoed as x-amzn-RequestId.

  // The first header named `name` (case-insensitive), or "" when absent.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  std::string_view Path() const;   // target up to '?'
  std::string_view Query() const;  // after '?', or ""
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // Filled in by handlers for the request log line (never a secret).
  std::string log_action;
  std::string log_error;

  void Set(std::string name, std::string value);
};

}  // namespace cognate::http
