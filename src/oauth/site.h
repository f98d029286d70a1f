#pragma once
// Where a pool's OAuth 2.0 endpoints and hosted pages are served (a "site"), and which pool a
// request is for. Two forms, both needing the pool to have a domain (CreateUserPoolDomain), as
// on Cognito:
// - by host: "Host: <prefix>.<base domain>" (default base "auth.localhost", which browsers
//   resolve to loopback) or a custom domain, with the endpoints at the root: /oauth2/authorize;
// - by path, needing no DNS: <public URL>/<pool id>/oauth2/authorize — the issuer's own path,
//   which the discovery document advertises.
//
// Thread-safe: no mutable state.

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "http/message.h"
#include "store/stores.h"

namespace cognate::oauth {

struct Site {
  std::string pool_id;
  std::string base_url;   // absolute, no trailing slash: "http://app.auth.localhost:9229"
  std::string base_path;  // "" (by host) or "/<pool id>" (by path): prefix of every page path
  std::string endpoint;   // the path after base_path: "/oauth2/authorize", "/login", ...
  bool secure_cookies = true;  // https sites
};

class SiteResolver {
 public:
  // `public_url` has no trailing slash; `base_domain` like "auth.localhost".
  SiteResolver(store::PoolDocumentStore& documents, std::string public_url,
               std::string base_domain);

  // Cheap, no store access: whether the request's path is an OAuth endpoint or hosted page in
  // either form (so the router hands it over).
  bool Claims(const http::Request& request) const;
  // The site, or std::nullopt when no pool with a domain is addressed.
  Result<std::optional<Site>> Resolve(const http::Request& request) const;

  const std::string& public_url() const { return public_url_; }

 private:
  // The host the request names, lowercased, without the port.
  static std::string HostOf(const http::Request& request);
  bool IsDomainHost(std::string_view host) const;

  store::PoolDocumentStore& documents_;
  std::string public_url_;
  std::string base_domain_;
};

// Whether `path` is one of the endpoint paths ("/oauth2/token", "/login", ...).
bool IsEndpointPath(std::string_view path);

}  // namespace cognate::oauth
