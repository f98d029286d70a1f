#include "oauth/site.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "common/ascii.h"
#include "identity/domains.h"
#include "store/records.h"

namespace cognate::oauth {
namespace {

constexpr std::array<std::string_view, 15> kEndpointPaths = {
    "/oauth2/authorize", "/oauth2/token",   "/oauth2/userInfo",       "/oauth2/revoke",
    "/oauth2/idpresponse", "/login",        "/logout",                "/signup",
    "/confirm",          "/forgotPassword", "/confirmForgotPassword", "/challenge",
    "/resendCode",       "/error",          "/oauth2/userinfo"};
constexpr std::size_t kMaxPoolId = 55;
constexpr std::size_t kMaxHost = 253;

// "/<pool id>/<endpoint>" split into the pool id and the endpoint, or {"", ""}.
std::pair<std::string_view, std::string_view> SplitPoolPath(std::string_view path) {
  if (path.size() < 2 || path[0] != '/') return {};
  std::size_t slash = path.find('/', 1);
  if (slash == std::string_view::npos || slash - 1 > kMaxPoolId) return {};
  std::string_view rest = path.substr(slash);
  if (!IsEndpointPath(rest)) return {};
  return {path.substr(1, slash - 1), rest};
}

bool IsPoolIdShape(std::string_view id) {
  std::size_t underscore = id.find('_');
  return underscore != std::string_view::npos && underscore > 0 && underscore + 1 < id.size() &&
         std::all_of(id.begin(), id.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '_' || c == '-';
         });
}

}  // namespace

bool IsEndpointPath(std::string_view path) {
  return std::find(kEndpointPaths.begin(), kEndpointPaths.end(), path) != kEndpointPaths.end();
}

SiteResolver::SiteResolver(store::PoolDocumentStore& documents, std::string public_url,
                           std::string base_domain)
    : documents_(documents),
      public_url_(std::move(public_url)),
      base_domain_(AsciiLower(base_domain)) {}

std::string SiteResolver::HostOf(const http::Request& request) {
  std::string_view host = request.Header("Host");
  if (host.size() > kMaxHost + 6) return {};
  if (!host.empty() && host[0] == '[') return {};  // IPv6 literals are never domains
  host = host.substr(0, host.find(':'));
  return AsciiLower(host);
}

bool SiteResolver::IsDomainHost(std::string_view host) const {
  // Any host but the public URL's own may be a pool domain.
  return !host.empty() && public_url_.find("://" + std::string(host)) == std::string::npos;
}

bool SiteResolver::Claims(const http::Request& request) const {
  std::string_view path = request.Path();
  if (!SplitPoolPath(path).first.empty()) return true;
  return IsEndpointPath(path) && IsDomainHost(HostOf(request));
}

Result<std::optional<Site>> SiteResolver::Resolve(const http::Request& request) const {
  const bool https = public_url_.starts_with("https://");
  Site site;
  std::string_view path = request.Path();
  auto [pool_id, endpoint] = SplitPoolPath(path);
  if (!pool_id.empty()) {
    if (!IsPoolIdShape(pool_id)) return std::optional<Site>();
    auto domains = identity::DomainsOfPool(documents_, std::string(pool_id));
    if (!domains.ok()) return std::move(domains).error();
    if (domains->prefix.empty() && domains->custom.empty()) return std::optional<Site>();
    site.pool_id = std::string(pool_id);
    site.base_path = "/" + site.pool_id;
    site.base_url = public_url_ + site.base_path;
    site.endpoint = std::string(endpoint);
  } else {
    if (!IsEndpointPath(path)) return std::optional<Site>();
    std::string host = HostOf(request);
    std::string name = host;
    const std::string suffix = "." + base_domain_;
    if (host.size() > suffix.size() && host.ends_with(suffix)) {
      name = host.substr(0, host.size() - suffix.size());
    }
    auto pool = identity::PoolOfDomain(documents_, name);
    if (!pool.ok()) return std::move(pool).error();
    if (!pool->has_value()) return std::optional<Site>();
    site.pool_id = **pool;
    std::string_view authority = request.Header("Host");
    site.base_url = std::string(https ? "https://" : "http://") + std::string(authority);
    site.endpoint = std::string(path);
  }
  // Secure cookies need https (browsers make an exception for loopback, other clients don't).
  site.secure_cookies = site.base_url.starts_with("https://");
  return std::optional<Site>(std::move(site));
}

}  // namespace cognate::oauth
