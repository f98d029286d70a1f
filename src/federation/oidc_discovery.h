#pragma once
// OpenID Connect Discovery 1.0: what CreateIdentityProvider and UpdateIdentityProvider read from
// <oidc_issuer>/.well-known/openid-configuration to fill in the endpoints the request leaves
// out, as Cognito does.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "federation/http_client.h"

namespace cognate::federation {

struct DiscoveryDocument {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string userinfo_endpoint;  // May be empty: userinfo is optional in OIDC.
  std::string jwks_uri;
  // token_endpoint_auth_methods_supported; empty when the document does not say (the spec's
  // default is then client_secret_basic).
  std::vector<std::string> token_auth_methods;
};

// Fetches and checks the issuer's discovery document: HTTP 200, a JSON object, "issuer" equal to
// `issuer` (a trailing slash aside), http(s) endpoints. Any failure is InvalidParameterException
// naming the issuer and what went wrong (never a response body).
Result<DiscoveryDocument> Discover(HttpClient& http, std::string_view issuer);

// `url` without one trailing "/": issuers compare this way ("https://a/" == "https://a").
std::string_view WithoutTrailingSlash(std::string_view url);

}  // namespace cognate::federation
