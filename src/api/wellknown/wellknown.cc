#include "api/wellknown/wellknown.h"

#include <boost/json.hpp>

namespace cognate::api {
namespace {

constexpr std::string_view kJwksSuffix = "/.well-known/jwks.json";
constexpr std::string_view kDiscoverySuffix = "/.well-known/openid-configuration";
constexpr std::size_t kMaxPoolId = 55;
// Keys rotate rarely and verifiers refetch on an unknown kid, so a short public cache is safe.
constexpr const char* kCacheControl = "public, max-age=300";

http::Response Json(int status, const boost::json::object& body) {
  http::Response r;
  r.status = status;
  r.Set("Content-Type", "application/json");
  r.body = boost::json::serialize(body);
  return r;
}

http::Response NotFound(const std::string& message) {
  auto r = Json(404, {{"__type", "ResourceNotFoundException"}, {"message", message}});
  r.log_error = "ResourceNotFoundException";
  return r;
}

// The pool id from "/{poolId}<suffix>", or "" when the path has another shape.
std::string PoolIdFrom(std::string_view path, std::string_view suffix) {
  if (!path.ends_with(suffix) || path.size() < suffix.size() + 2 || path[0] != '/') return {};
  std::string_view id = path.substr(1, path.size() - suffix.size() - 1);
  if (id.size() > kMaxPoolId || id.find('/') != std::string_view::npos) return {};
  return std::string(id);
}

}  // namespace

WellKnown::WellKnown(store::PoolStore& pools, store::KeyStore& keys, std::string public_url)
    : pools_(pools), keys_(keys), public_url_(std::move(public_url)) {}

std::optional<http::Response> WellKnown::Handle(const http::Request& request) const {
  std::string_view path = request.Path();
  if (auto id = PoolIdFrom(path, kJwksSuffix); !id.empty()) return Jwks(id);
  if (auto id = PoolIdFrom(path, kDiscoverySuffix); !id.empty()) return Discovery(id);
  return std::nullopt;
}

http::Response WellKnown::Jwks(const std::string& pool_id) const {
  auto keys = keys_.ListKeys(pool_id);
  if (!keys.ok()) return Json(500, {{"message", "Internal server error."}});
  if (keys->empty()) return NotFound("User pool " + pool_id + " does not exist.");
  boost::json::array out;
  for (const auto& k : *keys) {
    boost::system::error_code ec;
    auto jwk = boost::json::parse(k.public_jwk_json, ec);
    if (ec || !jwk.is_object()) continue;
    auto& o = jwk.as_object();
    o["alg"] = k.alg;
    o["kid"] = k.kid;
    o["use"] = "sig";
    out.push_back(std::move(jwk));
  }
  auto r = Json(200, {{"keys", std::move(out)}});
  r.Set("Cache-Control", kCacheControl);
  r.log_action = "jwks";
  return r;
}

http::Response WellKnown::Discovery(const std::string& pool_id) const {
  auto pool = pools_.GetPool(pool_id);
  if (!pool.ok()) return Json(500, {{"message", "Internal server error."}});
  if (!pool->has_value()) return NotFound("User pool " + pool_id + " does not exist.");
  const std::string issuer = Issuer(pool_id);
  // The OAuth 2.0 endpoints under the issuer's path (oauth/site.h); they answer once the pool
  // has a domain.
  boost::json::object doc{
      {"issuer", issuer},
      {"jwks_uri", issuer + std::string(kJwksSuffix)},
      {"authorization_endpoint", issuer + "/oauth2/authorize"},
      {"token_endpoint", issuer + "/oauth2/token"},
      {"userinfo_endpoint", issuer + "/oauth2/userInfo"},
      {"revocation_endpoint", issuer + "/oauth2/revoke"},
      {"end_session_endpoint", issuer + "/logout"},
      {"response_types_supported", boost::json::array{"code"}},
      {"response_modes_supported", boost::json::array{"query"}},
      {"grant_types_supported",
       boost::json::array{"authorization_code", "refresh_token", "client_credentials"}},
      {"subject_types_supported", boost::json::array{"public"}},
      {"id_token_signing_alg_values_supported", boost::json::array{"RS256"}},
      {"scopes_supported",
       boost::json::array{"openid", "email", "phone", "profile"}},
      {"token_endpoint_auth_methods_supported",
       boost::json::array{"client_secret_basic", "client_secret_post"}},
      {"revocation_endpoint_auth_methods_supported",
       boost::json::array{"client_secret_basic", "client_secret_post"}},
      {"code_challenge_methods_supported", boost::json::array{"S256"}},
      {"prompt_values_supported", boost::json::array{"login", "none"}},
      {"claims_parameter_supported", false},
      {"request_parameter_supported", false},
      {"request_uri_parameter_supported", false},
      {"claims_supported",
       boost::json::array{"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "token_use",
                          "cognito:username", "cognito:groups", "identities", "email",
                          "email_verified", "phone_number", "phone_number_verified", "name",
                          "given_name", "family_name", "middle_name", "nickname",
                          "preferred_username", "profile", "picture", "website", "gender",
                          "birthdate", "zoneinfo", "locale", "address", "updated_at"}},
  };
  auto r = Json(200, doc);
  r.Set("Cache-Control", kCacheControl);
  r.log_action = "openid-configuration";
  return r;
}

}  // namespace cognate::api
