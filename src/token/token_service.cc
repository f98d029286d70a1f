#include "token/token_service.h"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <utility>

#include "crypto/random.h"
#include "token/jwt.h"

namespace cognate::token {
namespace {

namespace json = boost::json;

// UserPoolIdType: [\w-]+_[0-9a-zA-Z]+, at most 55 characters.
constexpr std::size_t kMaxPoolIdLength = 55;

Error InvalidAccessToken() { return Error::NotAuthorized("Invalid Access Token"); }

bool IsWordChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}
bool IsAlnum(char c) { return IsWordChar(c) && c != '_'; }

// The suffix after the last '_' must be alphanumeric: an earlier '_' would leave a '_' in it.
bool IsPoolId(std::string_view id) {
  const std::size_t underscore = id.rfind('_');
  if (id.size() > kMaxPoolIdLength || underscore == std::string_view::npos || underscore == 0 ||
      underscore + 1 == id.size()) {
    return false;
  }
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i < underscore ? !(IsWordChar(c) || c == '-') : (i > underscore && !IsAlnum(c))) {
      return false;
    }
  }
  return true;
}

std::optional<std::string> StringClaim(const json::object& claims, std::string_view name) {
  const json::value* v = claims.if_contains(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

// Integral JSON numbers only; a double "exp" is not something we issue.
std::optional<int64_t> IntClaim(const json::object& claims, std::string_view name) {
  const json::value* v = claims.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= uint64_t{std::numeric_limits<int64_t>::max()}) {
    return static_cast<int64_t>(v->as_uint64());
  }
  return std::nullopt;
}

json::array ToArray(const std::vector<std::string>& items) {
  json::array out;
  for (const std::string& s : items) out.emplace_back(s);
  return out;
}

// Claims the service sets (or deliberately leaves out); user attributes never override them.
bool IsReservedClaim(const json::object& claims, std::string_view name) {
  return claims.contains(name) || name == "exp" || name == "iat" || name == "jti" ||
         name == "nbf" || name == "origin_jti" || name == "event_id" ||
         name.starts_with("cognito:");
}

void AddTimes(json::object& claims, int64_t iat, int64_t validity_s, const std::string& jti) {
  claims["exp"] = iat + validity_s;
  claims["iat"] = iat;
  if (!jti.empty()) claims["jti"] = jti;
}

void ApplyOverrides(json::object& claims, std::string_view token_use,
                    const ClaimOverrides& overrides) {
  for (const auto& kv : overrides.add) {
    if (!IsProtectedClaim(token_use, kv.key())) claims[kv.key()] = kv.value();
  }
  for (const std::string& name : overrides.suppress) {
    if (!IsProtectedClaim(token_use, name)) claims.erase(name);
  }
}

}  // namespace

bool IsProtectedClaim(std::string_view token_use, std::string_view name) {
  static constexpr std::string_view kBoth[] = {
      "acr", "amr", "aud", "at_hash", "auth_time",  "azp", "exp",       "iat",     "identities",
      "iss", "jti", "nbf", "nonce",   "origin_jti", "sub", "token_use", "event_id"};
  static constexpr std::string_view kAccess[] = {"client_id", "scope", "username", "version",
                                                 "device_key"};
  if (name.starts_with("cognito:")) return true;
  for (std::string_view claim : kBoth)
    if (claim == name) return true;
  if (token_use != "access") return false;
  for (std::string_view claim : kAccess)
    if (claim == name) return true;
  return false;
}

TokenService::TokenService(Keyring& keyring, const Clock& clock, std::string public_url)
    : keyring_(keyring), clock_(clock), public_url_(std::move(public_url)) {}

std::string TokenService::Issuer(std::string_view pool_id) const {
  std::string iss = public_url_;
  iss += '/';
  iss += pool_id;
  return iss;
}

Result<IssuedTokens> TokenService::Issue(const IssueRequest& r) {
  if (r.pool_id.empty() || r.client_id.empty() || r.sub.empty() || r.username.empty() ||
      r.id_validity_s <= 0 || r.access_validity_s <= 0) {
    return Error::InvalidParameter("Incomplete token request.");
  }
  auto id_key = keyring_.SigningKeyFor(r.pool_id, "id");
  if (!id_key.ok()) return std::move(id_key).error();
  auto access_key = keyring_.SigningKeyFor(r.pool_id, "access");
  if (!access_key.ok()) return std::move(access_key).error();

  const int64_t iat = clock_.NowSeconds();
  const std::string iss = Issuer(r.pool_id);
  const bool revocable = !r.origin_jti.empty();
  IssuedTokens out;
  out.expires_in = r.access_validity_s;
  if (revocable) out.access_jti = crypto::RandomUuid();

  json::object id;
  id["sub"] = r.sub;
  if (!r.groups.empty()) id["cognito:groups"] = ToArray(r.groups);
  if (!r.roles.empty()) {
    id["cognito:roles"] = ToArray(r.roles);
    if (!r.preferred_role.empty()) id["cognito:preferred_role"] = r.preferred_role;
  }
  id["iss"] = iss;
  id["cognito:username"] = r.username;
  if (revocable) id["origin_jti"] = r.origin_jti;
  id["aud"] = r.client_id;
  if (!r.nonce.empty()) id["nonce"] = r.nonce;
  if (!r.event_id.empty()) id["event_id"] = r.event_id;
  id["token_use"] = "id";
  id["auth_time"] = r.auth_time_s;
  for (const auto& attr : r.id_attributes) {
    if (!IsReservedClaim(id, attr.key())) id[attr.key()] = attr.value();
  }
  AddTimes(id, iat, r.id_validity_s, revocable ? crypto::RandomUuid() : std::string());
  ApplyOverrides(id, "id", r.id_overrides);

  json::object access;
  access["sub"] = r.sub;
  if (!r.groups.empty()) access["cognito:groups"] = ToArray(r.groups);
  access["iss"] = iss;
  access["client_id"] = r.client_id;
  if (revocable) access["origin_jti"] = r.origin_jti;
  if (!r.event_id.empty()) access["event_id"] = r.event_id;
  access["token_use"] = "access";
  access["scope"] = r.scope;
  access["auth_time"] = r.auth_time_s;
  AddTimes(access, iat, r.access_validity_s, out.access_jti);
  access["username"] = r.username;
  ApplyOverrides(access, "access", r.access_overrides);

  try {
    if (r.with_id_token) out.id_token = SignJwt(id_key->key, id_key->kid, id);
    out.access_token = SignJwt(access_key->key, access_key->kid, access);
  } catch (const std::exception&) {
    // RsaKey reports OpenSSL failures by throwing; keep them off the request path.
    return Error::Internal("Could not sign the tokens.");
  }
  return out;
}

Result<AccessTokenClaims> TokenService::VerifyAccessToken(std::string_view token) const {
  const std::string cache_key = VerifiedTokenCache::KeyOf(token);
  if (std::optional<CachedAccessToken> hit = verified_.Find(cache_key)) {
    const AccessTokenClaims& claims = *hit->claims;
    if (clock_.NowSeconds() >= claims.exp) return Error::NotAuthorized("Access Token has expired");
    // A key retired since (rotate-keys) no longer vouches for the tokens it signed.
    auto key = keyring_.VerificationKey(claims.pool_id, hit->kid);
    if (!key.ok()) return std::move(key).error();
    if (!key->has_value()) return InvalidAccessToken();
    return claims;
  }
  std::string kid;
  Result<AccessTokenClaims> claims = VerifyAccessTokenUncached(token, &kid);
  if (claims.ok()) {
    verified_.Insert(cache_key,
                     {std::move(kid), std::make_shared<const AccessTokenClaims>(*claims)},
                     clock_.NowSeconds());
  }
  return claims;
}

Result<AccessTokenClaims> TokenService::VerifyAccessTokenUncached(std::string_view token,
                                                                 std::string* kid) const {
  auto jwt = ParseJwt(token);
  if (!jwt.ok()) return InvalidAccessToken();
  const json::object& c = jwt->claims;

  // The pool comes from iss, so the issuer is checked by construction: a key of pool B can
  // only verify a token whose iss names pool B.
  const auto iss = StringClaim(c, "iss");
  const std::string prefix = public_url_ + "/";
  if (!iss || !iss->starts_with(prefix)) return InvalidAccessToken();
  const std::string pool_id = iss->substr(prefix.size());
  if (!IsPoolId(pool_id)) return InvalidAccessToken();

  auto key = keyring_.VerificationKey(pool_id, jwt->kid);
  if (!key.ok()) return std::move(key).error();
  if (!key->has_value() || !(*key)->VerifyRs256(jwt->signing_input, jwt->signature)) {
    return InvalidAccessToken();
  }

  if (StringClaim(c, "token_use") != "access") return InvalidAccessToken();
  const auto exp = IntClaim(c, "exp");
  if (!exp) return InvalidAccessToken();
  if (clock_.NowSeconds() >= *exp) return Error::NotAuthorized("Access Token has expired");

  AccessTokenClaims out;
  out.pool_id = pool_id;
  out.exp = *exp;
  auto sub = StringClaim(c, "sub");
  auto username = StringClaim(c, "username");
  auto client_id = StringClaim(c, "client_id");
  auto scope = StringClaim(c, "scope");
  auto iat = IntClaim(c, "iat");
  auto auth_time = IntClaim(c, "auth_time");
  if (!sub || sub->empty() || !username || username->empty() || !client_id || client_id->empty() ||
      !scope || !iat || !auth_time) {
    return InvalidAccessToken();
  }
  // jti and origin_jti are optional (revocation off), but not of another type when present.
  for (auto [name, field] :
       {std::pair{"jti", &out.jti}, std::pair{"origin_jti", &out.origin_jti}}) {
    if (!c.contains(name)) continue;
    auto value = StringClaim(c, name);
    if (!value || value->empty()) return InvalidAccessToken();
    *field = std::move(*value);
  }
  out.sub = std::move(*sub);
  out.username = std::move(*username);
  out.client_id = std::move(*client_id);
  out.scope = std::move(*scope);
  out.iat = *iat;
  out.auth_time = *auth_time;
  *kid = std::move(jwt->kid);
  return out;
}

}  // namespace cognate::token
