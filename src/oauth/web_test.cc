// Cookies, CSRF tokens, security headers and URL helpers of the hosted pages.

#include "oauth/web.h"

#include <gtest/gtest.h>

namespace cognate::oauth {
namespace {

http::Request WithCookies(std::vector<std::string> cookies) {
  http::Request r;
  for (auto& c : cookies) r.headers.emplace_back("Cookie", std::move(c));
  return r;
}

TEST(CookieValueTest, FindsTheNamedCookieAcrossHeaders) {
  http::Request r = WithCookies({"a=1; cognate_csrf=xyz", "cognate_session = s1 "});
  EXPECT_EQ(CookieValue(r, "cognate_csrf"), "xyz");
  EXPECT_EQ(CookieValue(r, "cognate_session"), "s1");
  EXPECT_EQ(CookieValue(r, "a"), "1");
  EXPECT_FALSE(CookieValue(r, "cognate").has_value());
  EXPECT_FALSE(CookieValue(r, "xyz").has_value());
  EXPECT_FALSE(CookieValue(WithCookies({"big=" + std::string(5000, 'x')}), "big").has_value());
}

TEST(SetCookieTest, LocksCookiesDownToTheSite) {
  Site site;
  site.base_path = "/us-east-1_abc";
  site.secure_cookies = false;
  http::Response r;
  SetCookie(r, site, "n", "v", 60);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].second, "n=v; Path=/us-east-1_abc; Max-Age=60; HttpOnly; SameSite=Lax");
  site.base_path = "";
  site.secure_cookies = true;
  SetCookie(r, site, "n", "", 0);
  EXPECT_EQ(r.headers[1].second, "n=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
}

TEST(CsrfGuardTest, AcceptsOnlyTheTokenOfThisBrowsersCookie) {
  CsrfGuard guard(std::string(32, 'k'));
  http::Request fresh;
  auto [token, cookie] = guard.Prepare(fresh);
  ASSERT_FALSE(cookie.empty());
  http::Request post = WithCookies({"cognate_csrf=" + cookie});
  EXPECT_TRUE(guard.Check(post, token));
  EXPECT_EQ(guard.Prepare(post).first, token);  // stable for the cookie
  EXPECT_TRUE(guard.Prepare(post).second.empty());
  EXPECT_FALSE(guard.Check(post, ""));
  EXPECT_FALSE(guard.Check(post, token + "x"));
  EXPECT_FALSE(guard.Check(post, cookie));  // the cookie itself is not the token
  EXPECT_FALSE(guard.Check(fresh, token));  // no cookie
  auto [other_token, other_cookie] = guard.Prepare(fresh);
  EXPECT_FALSE(guard.Check(post, other_token));
  CsrfGuard other_key(std::string(32, 'z'));
  EXPECT_FALSE(other_key.Check(post, token));
  EXPECT_FALSE(guard.Check(WithCookies({"cognate_csrf=short"}), guard.Prepare(
      WithCookies({"cognate_csrf=short"})).first));
}

TEST(HtmlPageTest, ForbidsFramingScriptsAndCaching) {
  http::Response r = HtmlPage(200, "<p>x</p>", "N0nce", "https://app.example");
  auto header = [&](std::string_view name) {
    for (auto& [k, v] : r.headers)
      if (http::IEquals(k, name)) return v;
    return std::string();
  };
  EXPECT_EQ(header("Content-Security-Policy"),
            "default-src 'none'; style-src 'nonce-N0nce'; img-src data:; form-action 'self' "
            "https://app.example; frame-ancestors 'none'; base-uri 'none'");
  EXPECT_EQ(header("X-Frame-Options"), "DENY");
  EXPECT_EQ(header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header("Cache-Control"), "no-store");
  EXPECT_EQ(header("Content-Type"), "text/html; charset=utf-8");
}

TEST(UrlHelpersTest, OriginsAndQueries) {
  EXPECT_EQ(OriginOf("https://app.example:8443/cb?x=1"), "https://app.example:8443");
  EXPECT_EQ(OriginOf("http://localhost:3000/callback"), "http://localhost:3000");
  EXPECT_EQ(OriginOf("myapp://callback"), "");
  EXPECT_EQ(OriginOf("not a url"), "");
  EXPECT_EQ(AppendQuery("https://a/cb", "code", "a b&c"), "https://a/cb?code=a%20b%26c");
  EXPECT_EQ(AppendQuery("https://a/cb?x=1", "state", "s"), "https://a/cb?x=1&state=s");
  EXPECT_EQ(Redirect("/login", true).status, 303);
  EXPECT_EQ(Redirect("/login", false).status, 302);
}

}  // namespace
}  // namespace cognate::oauth
