#pragma once
// The browser side of the hosted pages: cookies, CSRF tokens, the security headers of every HTML
// page, and redirects.
//
// CSRF: a random value in the HttpOnly cookie "cognate_csrf" (set on the first page); every form
// carries HMAC-SHA256(key, cookie value) and a POST is accepted only when that matches the
// cookie it arrives with (constant-time). A page of another site can neither read the cookie
// nor compute the token, and SameSite=Lax keeps the cookie off its cross-site POSTs anyway.

#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"
#include "oauth/site.h"

namespace cognate::oauth {

inline constexpr const char* kCsrfCookie = "cognate_csrf";
inline constexpr const char* kSessionCookie = "cognate_session";
inline constexpr const char* kFlowCookie = "cognate_flow";

// The value of cookie `name` in the request's Cookie headers, if any.
std::optional<std::string> CookieValue(const http::Request& request, std::string_view name);

// Appends a Set-Cookie for the site: HttpOnly, SameSite=Lax, Path=<base_path or />, Secure when
// the site allows it, Max-Age `max_age_s` (0 deletes the cookie).
void SetCookie(http::Response& response, const Site& site, std::string_view name,
               std::string_view value, int64_t max_age_s);

// An HTML page with the hosted pages' headers: CSP allowing only the nonce's <style>, data:
// images and forms posting to this site (and to `form_target_origin` when not empty, as a
// successful POST redirects there), frame-ancestors 'none' and X-Frame-Options DENY, nosniff,
// no referrer, no caching.
http::Response HtmlPage(int status, std::string body, std::string_view style_nonce,
                        std::string_view form_target_origin = "");

// 302 (after a GET) or 303 (after a POST) to `location`, uncached.
http::Response Redirect(std::string location, bool after_post);

// "scheme://host[:port]" of an absolute http(s) URL, "" otherwise (custom schemes have no
// origin a CSP can name).
std::string OriginOf(std::string_view url);

// Appends "name=value" (percent-encoded) to a URL, with '?' or '&' as needed.
std::string AppendQuery(std::string url, std::string_view name, std::string_view value);

// Percent-encodes for a query component (unreserved characters kept).
std::string UrlEncode(std::string_view text);

class CsrfGuard {
 public:
  explicit CsrfGuard(std::string key) : key_(std::move(key)) {}

  // The token for this browser's CSRF cookie; when the request has none, makes a cookie and
  // sets it on `response`.
  std::string TokenFor(const http::Request& request, const Site& site,
                       http::Response& response) const;
  // Same, when the response is not built yet: returns {token, cookie value to set or ""}.
  std::pair<std::string, std::string> Prepare(const http::Request& request) const;
  // Whether the posted token matches the request's cookie.
  bool Check(const http::Request& request, std::string_view posted_token) const;

 private:
  std::string TokenOf(std::string_view cookie) const;
  std::string key_;
};

}  // namespace cognate::oauth
