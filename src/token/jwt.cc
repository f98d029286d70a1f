#include "token/jwt.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>
#include <optional>

#include "crypto/encoding.h"

namespace cognate::token {
namespace {

namespace json = boost::json;

Error Invalid(std::string why) { return Error::NotAuthorized(std::move(why)); }

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// Decodes one segment; only the canonical unpadded encoding is accepted, so a token has exactly
// one spelling (unused low bits in the last character must be zero).
std::optional<std::string> DecodeSegment(std::string_view segment) {
  if (segment.empty()) return std::nullopt;
  for (char c : segment) {
    if (!IsBase64UrlChar(c)) return std::nullopt;
  }
  auto bytes = crypto::Base64UrlDecode(segment);
  if (!bytes || crypto::Base64UrlEncode(*bytes) != segment) return std::nullopt;
  return bytes;
}

std::optional<json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

}  // namespace

std::string SignJwt(const RsaKey& key, const std::string& kid, const json::object& claims) {
  // Cognito's header member order, byte for byte; json::object keeps insertion order.
  const json::object header{{"kid", kid}, {"alg", "RS256"}};
  std::string out = crypto::Base64UrlEncode(json::serialize(header));
  out += '.';
  out += crypto::Base64UrlEncode(json::serialize(claims));
  const std::string signature = key.SignRs256(out);
  out += '.';
  out += crypto::Base64UrlEncode(signature);
  return out;
}

Result<Jwt> ParseJwt(std::string_view token) {
  if (token.size() > kMaxJwtBytes) return Invalid("JWT too long.");
  const std::size_t dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return Invalid("JWT is not three segments.");
  const std::size_t dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return Invalid("JWT is not three segments.");
  }
  auto header_json = DecodeSegment(token.substr(0, dot1));
  auto payload_json = DecodeSegment(token.substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = DecodeSegment(token.substr(dot2 + 1));
  if (!header_json || !payload_json || !signature) return Invalid("JWT segment is not base64url.");

  auto header = ParseObject(*header_json);
  if (!header) return Invalid("JWT header is not a JSON object.");
  const json::value* alg = header->if_contains("alg");
  // Only RS256: "none", HMAC (key confusion) and everything else are refused up front.
  if (alg == nullptr || !alg->is_string() || alg->as_string() != "RS256") {
    return Invalid("JWT algorithm is not RS256.");
  }
  const json::value* kid = header->if_contains("kid");
  if (kid == nullptr || !kid->is_string() || kid->as_string().empty()) {
    return Invalid("JWT header has no kid.");
  }
  // RFC 7515 4.1.11: a recipient must reject critical extensions it does not understand.
  if (header->contains("crit")) return Invalid("JWT header has unsupported crit.");

  auto claims = ParseObject(*payload_json);
  if (!claims) return Invalid("JWT payload is not a JSON object.");

  Jwt jwt;
  jwt.kid = std::string(kid->as_string());
  jwt.header = std::move(*header);
  jwt.claims = std::move(*claims);
  jwt.signing_input = std::string(token.substr(0, dot2));
  jwt.signature = std::move(*signature);
  return jwt;
}

}  // namespace cognate::token
