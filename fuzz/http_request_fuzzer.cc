// Raw bytes from a client: Beast's request parser with the server's limits (16 KiB of headers,
// 1 MiB of body), the request the server builds from it, and the Cognito front door behind it
// (SigV4, JSON parsing, model validation).

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>

#include "front_door.h"

namespace bhttp = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;
  auto& msg = parser.get();
  cognate::http::Request request;
  request.method = std::string(msg.method_string());
  request.target = std::string(msg.target());
  for (const auto& f : msg) request.headers.emplace_back(f.name_string(), f.value());
  request.body = std::move(msg.body());
  request.remote_addr = "127.0.0.1";
  (void)request.Path();
  (void)request.Query();
  if (request.method == "POST") {
    cognate::http::Response response = cognate::fuzz::TheFrontDoor().dispatcher->Handle(request);
    if (response.status < 200 || response.status > 599) __builtin_trap();
  }
  return 0;
}
