#include "oauth/web.h"

#include <boost/url/parse.hpp>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace cognate::oauth {
namespace {

constexpr std::size_t kCsrfBytes = 32;
constexpr std::size_t kMaxCookieValue = 4096;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> CookieValue(const http::Request& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (!http::IEquals(header, "Cookie")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      std::size_t semi = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos || Trim(pair.substr(0, eq)) != name) continue;
      std::string_view v = Trim(pair.substr(eq + 1));
      if (v.size() > kMaxCookieValue) return std::nullopt;
      return std::string(v);
    }
  }
  return std::nullopt;
}

void SetCookie(http::Response& response, const Site& site, std::string_view name,
               std::string_view value, int64_t max_age_s) {
  std::string cookie = std::string(name) + "=" + std::string(value) +
                       "; Path=" + (site.base_path.empty() ? "/" : site.base_path) +
                       "; Max-Age=" + std::to_string(max_age_s) + "; HttpOnly; SameSite=Lax";
  if (site.secure_cookies) cookie += "; Secure";
  response.headers.emplace_back("Set-Cookie", std::move(cookie));
}

http::Response HtmlPage(int status, std::string body, std::string_view style_nonce,
                        std::string_view form_target_origin) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  r.Set("Content-Type", "text/html; charset=utf-8");
  std::string form_action = "'self'";
  if (!form_target_origin.empty()) form_action += " " + std::string(form_target_origin);
  r.Set("Content-Security-Policy",
        "default-src 'none'; style-src 'nonce-" + std::string(style_nonce) +
            "'; img-src data:; form-action " + form_action +
            "; frame-ancestors 'none'; base-uri 'none'");
  r.Set("X-Frame-Options", "DENY");
  r.Set("X-Content-Type-Options", "nosniff");
  r.Set("Referrer-Policy", "no-referrer");
  r.Set("Cache-Control", "no-store");
  return r;
}

http::Response Redirect(std::string location, bool after_post) {
  http::Response r;
  r.status = after_post ? 303 : 302;
  r.Set("Location", std::move(location));
  r.Set("Cache-Control", "no-store");
  r.Set("Referrer-Policy", "no-referrer");
  return r;
}

std::string OriginOf(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || !parsed->has_authority()) return {};
  std::string scheme(parsed->scheme());
  if (scheme != "http" && scheme != "https") return {};
  return scheme + "://" + std::string(parsed->encoded_host_and_port());
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string AppendQuery(std::string url, std::string_view name, std::string_view value) {
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += UrlEncode(name);
  url += '=';
  url += UrlEncode(value);
  return url;
}

std::string CsrfGuard::TokenOf(std::string_view cookie) const {
  return crypto::Base64UrlEncode(crypto::HmacSha256(key_, "csrf|" + std::string(cookie)));
}

std::pair<std::string, std::string> CsrfGuard::Prepare(const http::Request& request) const {
  std::optional<std::string> cookie = CookieValue(request, kCsrfCookie);
  if (cookie && cookie->size() >= 32) return {TokenOf(*cookie), ""};
  std::string fresh = crypto::Base64UrlEncode(crypto::RandomBytes(kCsrfBytes));
  return {TokenOf(fresh), fresh};
}

std::string CsrfGuard::TokenFor(const http::Request& request, const Site& site,
                                http::Response& response) const {
  auto [token, cookie] = Prepare(request);
  if (!cookie.empty()) SetCookie(response, site, kCsrfCookie, cookie, 24 * 3600);
  return token;
}

bool CsrfGuard::Check(const http::Request& request, std::string_view posted_token) const {
  std::optional<std::string> cookie = CookieValue(request, kCsrfCookie);
  if (!cookie || cookie->size() < 32 || posted_token.empty()) return false;
  return crypto::ConstantTimeEquals(TokenOf(*cookie), posted_token);
}

}  // namespace cognate::oauth
