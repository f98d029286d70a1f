#include "federation/id_token.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "federation/oidc_discovery.h"

namespace cognate::federation {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxIdTokenBytes = 16 * 1024;

Error Refused(const std::string& why) {
  return Error::NotAuthorized("The identity provider's ID token is not valid: " + why + ".");
}

std::optional<json::object> DecodeObject(std::string_view segment) {
  auto bytes = crypto::Base64UrlDecode(segment);
  if (!bytes) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(*bytes, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

std::string StringClaim(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<int64_t> NumericDate(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() < (uint64_t{1} << 62)) return int64_t(v->get_uint64());
  if (v->is_double() && v->get_double() > -1e15 && v->get_double() < 1e15)
    return static_cast<int64_t>(v->get_double());
  return std::nullopt;
}

bool AudienceHas(const json::value* aud, std::string_view client_id) {
  if (aud == nullptr) return false;
  if (aud->is_string()) return aud->get_string() == client_id;
  if (!aud->is_array()) return false;
  for (const json::value& a : aud->get_array())
    if (a.is_string() && a.get_string() == client_id) return true;
  return false;
}

Status CheckClaims(const json::object& claims, const IdTokenExpectations& expected) {
  if (WithoutTrailingSlash(StringClaim(claims, "iss")) != WithoutTrailingSlash(expected.issuer))
    return Refused("wrong issuer");
  if (!AudienceHas(claims.if_contains("aud"), expected.client_id))
    return Refused("wrong audience");
  if (claims.contains("azp") && StringClaim(claims, "azp") != expected.client_id)
    return Refused("wrong authorized party");
  const int64_t now = expected.now_seconds;
  std::optional<int64_t> exp = NumericDate(claims, "exp");
  if (!exp) return Refused("no expiry");
  if (*exp + kClockSkewSeconds <= now) return Refused("expired");
  std::optional<int64_t> iat = NumericDate(claims, "iat");
  if (!iat) return Refused("no issue time");
  if (*iat - kClockSkewSeconds > now) return Refused("issued in the future");
  if (std::optional<int64_t> nbf = NumericDate(claims, "nbf"); nbf && *nbf - kClockSkewSeconds > now)
    return Refused("not valid yet");
  const json::value* nonce = claims.if_contains("nonce");
  if (expected.nonce.empty() || nonce == nullptr || !nonce->is_string() ||
      !crypto::ConstantTimeEquals(nonce->get_string(), expected.nonce))
    return Refused("wrong nonce");
  if (StringClaim(claims, "sub").empty()) return Refused("no subject");
  return OkStatus();
}

}  // namespace

Result<json::object> VerifyIdToken(std::string_view token, const IdTokenExpectations& expected,
                                   const KeyLookup& keys) {
  if (token.empty() || token.size() > kMaxIdTokenBytes) return Refused("bad size");
  const std::size_t dot1 = token.find('.');
  const std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return Refused("not a compact JWS");
  std::optional<json::object> header = DecodeObject(token.substr(0, dot1));
  std::optional<json::object> claims = DecodeObject(token.substr(dot1 + 1, dot2 - dot1 - 1));
  std::optional<std::string> signature = crypto::Base64UrlDecode(token.substr(dot2 + 1));
  if (!header || !claims || !signature || signature->empty()) return Refused("malformed");
  const std::string alg = StringClaim(*header, "alg");
  if (alg != "RS256" && alg != "ES256") return Refused("unsupported algorithm");
  if (header->contains("crit")) return Refused("critical header");
  const json::value* kid_value = header->if_contains("kid");
  if (kid_value != nullptr && !kid_value->is_string()) return Refused("malformed kid");
  const std::string kid = StringClaim(*header, "kid");

  auto candidates = keys(kid);
  if (!candidates.ok()) return std::move(candidates).error();
  const std::string_view signing_input = token.substr(0, dot2);
  bool known = false, verified = false;
  for (const auto& key : *candidates) {
    if (key->alg() != alg) continue;
    known = true;
    if (key->Verify(signing_input, *signature)) {
      verified = true;
      break;
    }
  }
  if (!known) return Refused("unknown signing key");
  if (!verified) return Refused("bad signature");
  COGNATE_RETURN_IF_ERROR(CheckClaims(*claims, expected));
  return std::move(*claims);
}

}  // namespace cognate::federation
