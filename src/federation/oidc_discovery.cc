#include "federation/oidc_discovery.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace cognate::federation {
namespace json = boost::json;
namespace {

Error DiscoveryFailed(std::string_view issuer, const std::string& why) {
  return Error::InvalidParameter("Unable to contact well-known endpoint of oidc_issuer " +
                                 std::string(issuer) + ": " + why);
}

std::string StringMember(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

std::string_view WithoutTrailingSlash(std::string_view url) {
  if (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return url;
}

Result<DiscoveryDocument> Discover(HttpClient& http, std::string_view issuer) {
  if (!delivery::IsUrlWithScheme(issuer, {"http", "https"}))
    return Error::InvalidParameter("oidc_issuer must be an http or https URL.");
  HttpRequest request;
  request.url = std::string(WithoutTrailingSlash(issuer)) + "/.well-known/openid-configuration";
  request.headers = {"Accept: application/json"};
  auto response = http.Send(request);
  if (!response.ok()) return DiscoveryFailed(issuer, response.error().message);
  if (response->status != 200)
    return DiscoveryFailed(issuer, "HTTP status " + std::to_string(response->status));
  boost::system::error_code ec;
  json::value parsed = json::parse(response->body, ec);
  if (ec || !parsed.is_object()) return DiscoveryFailed(issuer, "the document is not JSON");
  const json::object& doc = parsed.get_object();
  DiscoveryDocument out;
  out.issuer = StringMember(doc, "issuer");
  out.authorization_endpoint = StringMember(doc, "authorization_endpoint");
  out.token_endpoint = StringMember(doc, "token_endpoint");
  out.userinfo_endpoint = StringMember(doc, "userinfo_endpoint");
  out.jwks_uri = StringMember(doc, "jwks_uri");
  if (WithoutTrailingSlash(out.issuer) != WithoutTrailingSlash(issuer))
    return DiscoveryFailed(issuer, "the document names another issuer");
  for (const std::string* url : {&out.authorization_endpoint, &out.token_endpoint, &out.jwks_uri})
    if (!delivery::IsUrlWithScheme(*url, {"http", "https"}))
      return DiscoveryFailed(issuer, "the document lacks an http(s) endpoint it must have");
  if (!out.userinfo_endpoint.empty() &&
      !delivery::IsUrlWithScheme(out.userinfo_endpoint, {"http", "https"}))
    out.userinfo_endpoint.clear();
  if (const json::value* methods = doc.if_contains("token_endpoint_auth_methods_supported");
      methods != nullptr && methods->is_array()) {
    for (const json::value& m : methods->get_array())
      if (m.is_string() && out.token_auth_methods.size() < 32)
        out.token_auth_methods.emplace_back(m.get_string());
  }
  return out;
}

}  // namespace cognate::federation
