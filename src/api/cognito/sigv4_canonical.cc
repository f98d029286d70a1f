// The canonical-request pieces of SigV4: URI and query encoding, header value trimming.
#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "api/cognito/sigv4.h"

namespace cognate::api::sigv4_internal {


std::string_view Trim(std::string_view s) {
  size_t first = s.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kWhitespace) - first + 1);
}

// ---- URI encoding (RFC 3986 unreserved characters kept, upper-case escapes).

namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

void AppendEncoded(std::string& out, std::string_view s) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (IsUnreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 0xf];
    }
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Malformed escapes stay literal, so they re-encode as "%25..." the same way on every retry.
std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

bool AllUnreserved(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return IsUnreserved(c); });
}

// Header values are trimmed and inner whitespace runs collapse to one space (the spec's Trimall).
void AppendTrimmed(std::string& out, std::string_view value) {
  bool space = false;
  for (char c : Trim(value)) {
    if (kWhitespace.find(c) != std::string_view::npos) {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
}

std::string CanonicalUri(std::string_view path) {
  // Dot segments resolve and empty segments (repeated slashes) drop, as AWS normalises paths.
  std::vector<std::string_view> segments;
  Split(path, '/', [&](std::string_view s) {
    if (s == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!s.empty() && s != ".") {
      segments.push_back(s);
    }
  });
  std::string out = "/";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out += '/';
    AppendEncoded(out, segments[i]);
  }
  if (!segments.empty() && path.back() == '/') out += '/';
  return out;
}

std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  Split(query, '&', [&](std::string_view p) {
    if (p.empty()) return;
    size_t eq = p.find('=');
    std::string name, value;
    AppendEncoded(name, PercentDecode(p.substr(0, eq)));
    if (eq != std::string_view::npos) AppendEncoded(value, PercentDecode(p.substr(eq + 1)));
    params.emplace_back(std::move(name), std::move(value));
  });
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) out += (out.empty() ? "" : "&") + name + "=" + value;
  return out;
}

}  // namespace cognate::api::sigv4_internal
