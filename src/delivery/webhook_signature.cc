#include "delivery/webhook_signature.h"

#include <charconv>
#include <cstdlib>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cognate::delivery {
namespace {

std::string Mac(std::string_view secret, int64_t unix_seconds, std::string_view body) {
  std::string signed_text = std::to_string(unix_seconds);
  signed_text.push_back('.');
  signed_text.append(body);
  return crypto::HexEncode(crypto::HmacSha256(secret, signed_text));
}

}  // namespace

std::string SignWebhook(std::string_view secret, int64_t unix_seconds, std::string_view body) {
  return "t=" + std::to_string(unix_seconds) + ",v1=" + Mac(secret, unix_seconds, body);
}

bool VerifyWebhookSignature(std::string_view secret, std::string_view header, std::string_view body,
                            int64_t now_seconds, int64_t tolerance_seconds) {
  if (header.size() > 4096) return false;
  bool has_time = false;
  int64_t t = 0;
  std::string_view candidates[8];
  size_t n = 0;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (item.starts_with("t=")) {
      auto [p, ec] = std::from_chars(item.data() + 2, item.data() + item.size(), t);
      if (ec != std::errc() || p != item.data() + item.size() || has_time) return false;
      has_time = true;
    } else if (item.starts_with("v1=") && n < std::size(candidates)) {
      candidates[n++] = item.substr(3);
    }
  }
  if (!has_time || n == 0 || std::llabs(now_seconds - t) > tolerance_seconds) return false;
  const std::string expected = Mac(secret, t, body);
  bool match = false;
  for (size_t i = 0; i < n; ++i) match |= crypto::ConstantTimeEquals(candidates[i], expected);
  return match;
}

}  // namespace cognate::delivery
