#include "api/cognito/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <ctime>
#include <utility>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cognate::api {
namespace {

using sigv4_internal::AllUnreserved;
using sigv4_internal::AppendTrimmed;
using sigv4_internal::kWhitespace;
using sigv4_internal::Split;
using sigv4_internal::Trim;

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kTerminator = "aws4_request";

Error Incomplete(std::string message) {
  return Error::Make("IncompleteSignatureException", std::move(message));
}
Error Invalid(std::string message) {
  return Error::Make("InvalidSignatureException", std::move(message));
}


// ---- Time.

// The value of an all-digit field, or -1.
int Num(std::string_view s) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && s[0] != '-' && ec == std::errc() && end == s.data() + s.size() ? v : -1;
}

std::optional<int64_t> ToEpoch(int y, int mo, int d, int h, int mi, int s) {
  using namespace std::chrono;
  if (y < 0 || mo < 1 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
    return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return int64_t{sys_days{ymd}.time_since_epoch().count()} * 86400 + h * 3600 + mi * 60 + s;
}

// ISO 8601 basic format, yyyymmddTHHMMSSZ, as X-Amz-Date carries it.
std::optional<int64_t> ParseBasic(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  return ToEpoch(Num(s.substr(0, 4)), Num(s.substr(4, 2)), Num(s.substr(6, 2)), Num(s.substr(9, 2)),
                 Num(s.substr(11, 2)), Num(s.substr(13, 2)));
}

// RFC 1123 ("Fri, 17 May 2024 09:30:15 GMT"; botocore writes "-0000"), for the Date header.
std::optional<int64_t> ParseHttpDate(std::string_view s) {
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  if (size_t comma = s.find(','); comma != std::string_view::npos) s = s.substr(comma + 1);
  std::vector<std::string_view> f;  // day, month, year, hh:mm:ss, zone
  Split(Trim(s), ' ', [&](std::string_view p) {
    if (!p.empty()) f.push_back(p);
  });
  if (f.size() != 5 || f[1].size() != 3 || f[3].size() != 8 || f[3][2] != ':' || f[3][5] != ':' ||
      (f[4] != "GMT" && f[4] != "UTC" && f[4] != "+0000" && f[4] != "-0000"))
    return std::nullopt;
  size_t month = kMonths.find(f[1]);
  if (month == std::string_view::npos || month % 3 != 0) return std::nullopt;
  return ToEpoch(Num(f[2]), static_cast<int>(month / 3) + 1, Num(f[0]), Num(f[3].substr(0, 2)),
                 Num(f[3].substr(3, 2)), Num(f[3].substr(6, 2)));
}

std::string FormatBasic(int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  char buf[32] = "";
  if (gmtime_r(&t, &tm) != nullptr) std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string DurationText(int64_t seconds) {
  return seconds % 60 == 0 ? std::to_string(seconds / 60) + " min."
                           : std::to_string(seconds) + " sec.";
}

size_t CountHeader(const http::Request& request, std::string_view name) {
  return std::count_if(request.headers.begin(), request.headers.end(),
                       [&](const auto& h) { return http::IEquals(h.first, name); });
}

// The request time: X-Amz-Date, else the Date header.
Result<int64_t> RequestTime(const http::Request& request) {
  for (std::string_view name : {"x-amz-date", "date"}) {
    size_t count = CountHeader(request, name);
    if (count == 0) continue;
    std::string_view value = Trim(request.Header(name));
    std::optional<int64_t> t = ParseBasic(value);
    if (!t && name == "date") t = ParseHttpDate(value);
    if (count > 1 || !t)
      return Incomplete(
          "Date must be in ISO-8601 'basic format' (yyyymmddTHHMMSSZ) in a single "
          "'X-Amz-Date' header.");
    return *t;
  }
  return Incomplete(
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
}

// ---- Authorization header.

struct Authorization {
  std::string access_key_id, date, region, service, terminator;
  std::vector<std::string> signed_headers;  // Lower case, sorted, unique.
  std::string signature;                    // 64 lower-case hex digits.
};

Result<Authorization> ParseAuthorization(std::string_view header) {
  header = Trim(header);
  size_t space = header.find_first_of(kWhitespace);
  if (header.substr(0, space) != kAlgorithm)
    return Incomplete("Authorization header requires the 'AWS4-HMAC-SHA256' algorithm.");
  std::optional<std::string_view> credential, signed_headers, signature;
  bool well_formed = true;
  Split(space == std::string_view::npos ? "" : header.substr(space), ',', [&](std::string_view p) {
    p = Trim(p);
    size_t eq = p.find('=');
    std::string_view key = p.substr(0, eq);
    auto* slot = key == "Credential"      ? &credential
                 : key == "SignedHeaders" ? &signed_headers
                 : key == "Signature"     ? &signature
                                          : nullptr;
    well_formed = well_formed && eq != std::string_view::npos && slot && !slot->has_value();
    if (well_formed) *slot = p.substr(eq + 1);
  });
  if (!well_formed || !credential || !signed_headers || !signature)
    return Incomplete(
        "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters, "
        "each once, separated by commas.");
  Authorization auth;
  std::vector<std::string_view> scope;
  Split(*credential, '/', [&](std::string_view p) { scope.push_back(p); });
  // The key id is echoed to the lookup and the caller's logs: keep it short and plain.
  if (scope.size() != 5 || scope[0].empty() || scope[0].size() > 128 || !AllUnreserved(scope[0]) ||
      scope[1].size() != 8 || Num(scope[1]) < 0 || scope[2].empty() || scope[3].empty())
    return Incomplete(
        "Credential must be <access key id>/<yyyymmdd>/<region>/<service>/"
        "aws4_request.");
  auth.access_key_id = scope[0];
  auth.date = scope[1];
  auth.region = scope[2];
  auth.service = scope[3];
  auth.terminator = scope[4];

  bool names_ok = true;
  Split(*signed_headers, ';', [&](std::string_view name) {
    names_ok = names_ok && !name.empty() && AllUnreserved(name);
    std::string lower(name);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auth.signed_headers.push_back(std::move(lower));
  });
  if (!names_ok) return Incomplete("SignedHeaders must be header names separated by ';'.");
  std::sort(auth.signed_headers.begin(), auth.signed_headers.end());
  auto last = std::unique(auth.signed_headers.begin(), auth.signed_headers.end());
  auth.signed_headers.erase(last, auth.signed_headers.end());

  auth.signature = *signature;
  for (char& c : auth.signature) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (auth.signature.size() != 64 || !std::all_of(auth.signature.begin(), auth.signature.end(),
                                                  [](unsigned char c) { return std::isxdigit(c) != 0; }))
    return Incomplete("Signature must be 64 hexadecimal characters.");
  return auth;
}

// ---- Canonical request.

Result<std::string> CanonicalRequest(const http::Request& request, const Authorization& auth) {
  std::string out = request.method + "\n" + sigv4_internal::CanonicalUri(request.Path()) + "\n" +
                    sigv4_internal::CanonicalQuery(request.Query()) + "\n";
  for (const std::string& name : auth.signed_headers) {
    out += name + ":";
    bool found = false;
    for (const auto& [key, value] : request.headers) {
      if (!http::IEquals(key, name)) continue;
      if (found) out += ',';  // Repeated headers join in the order received.
      AppendTrimmed(out, value);
      found = true;
    }
    if (!found) return Incomplete("Signed header '" + name + "' is missing from the request.");
    out += '\n';
  }
  std::string body_hash = crypto::HexEncode(crypto::Sha256(request.body));
  // A client may send the payload hash it signed; it must be this body's, or the body is unsigned.
  for (const auto& [key, value] : request.headers) {
    if (http::IEquals(key, "x-amz-content-sha256") && !http::IEquals(Trim(value), body_hash))
      return Invalid(
          "The provided 'x-amz-content-sha256' header does not match what was "
          "computed.");
  }
  out += "\n";
  for (size_t i = 0; i < auth.signed_headers.size(); ++i)
    out += (i ? ";" : "") + auth.signed_headers[i];
  return out + "\n" + body_hash;
}

}  // namespace


Result<SigV4Identity> VerifySigV4(const http::Request& request, const SecretLookup& lookup,
                                  int64_t now_epoch_seconds, const SigV4Options& options) {
  size_t auth_headers = CountHeader(request, "authorization");
  if (auth_headers == 0)
    return Error::Make("MissingAuthenticationTokenException", "Missing Authentication Token");
  if (auth_headers > 1) return Incomplete("Only one Authorization header is allowed.");
  Result<Authorization> parsed = ParseAuthorization(request.Header("authorization"));
  if (!parsed.ok()) return std::move(parsed).error();
  const Authorization& auth = *parsed;
  if (!std::binary_search(auth.signed_headers.begin(), auth.signed_headers.end(), "host"))
    return Incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");

  Result<int64_t> time = RequestTime(request);
  if (!time.ok()) return std::move(time).error();
  const std::string amz_date = FormatBasic(*time);
  if (auth.date != amz_date.substr(0, 8))
    return Invalid(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
        "date from HTTP: '" +
        auth.date + "' != '" + amz_date.substr(0, 8) + "', from '" + amz_date + "'.");
  if (auth.service != options.service)
    return Invalid("Credential should be scoped to correct service: '" + options.service + "'.");
  if (!AllUnreserved(auth.region)) return Invalid("Credential should be scoped to a valid region.");
  if (auth.terminator != kTerminator)
    return Invalid("Credential should be scoped with a valid terminator: 'aws4_request'.");
  const int64_t skew = options.max_skew_seconds;
  if (now_epoch_seconds - *time > skew)
    return Invalid("Signature expired: " + amz_date + " is now earlier than " +
                   FormatBasic(now_epoch_seconds - skew) + " (" + FormatBasic(now_epoch_seconds) +
                   " - " + DurationText(skew) + ")");
  if (*time - now_epoch_seconds > skew)
    return Invalid("Signature not yet current: " + amz_date + " is still later than " +
                   FormatBasic(now_epoch_seconds + skew) + " (" + FormatBasic(now_epoch_seconds) +
                   " + " + DurationText(skew) + ")");

  Result<std::string> canonical = CanonicalRequest(request, auth);
  if (!canonical.ok()) return std::move(canonical).error();

  std::optional<std::string> secret = lookup ? lookup(auth.access_key_id) : std::nullopt;
  if (!secret)
    return Error::Make("UnrecognizedClientException",
                       "The security token included in the request is invalid.");
  const std::string scope =
      auth.date + "/" + auth.region + "/" + auth.service + "/" + std::string(kTerminator);
  const std::string string_to_sign = std::string(kAlgorithm) + "\n" + amz_date + "\n" + scope +
                                     "\n" + crypto::HexEncode(crypto::Sha256(*canonical));
  std::string key = "AWS4" + *secret;
  OPENSSL_cleanse(secret->data(), secret->size());
  for (std::string_view part : {std::string_view(auth.date), std::string_view(auth.region),
                                std::string_view(auth.service), kTerminator}) {
    std::string next = crypto::HmacSha256(key, part);
    OPENSSL_cleanse(key.data(), key.size());
    key = std::move(next);
  }
  const std::string expected = crypto::HexEncode(crypto::HmacSha256(key, string_to_sign));
  OPENSSL_cleanse(key.data(), key.size());
  if (!crypto::ConstantTimeEquals(expected, auth.signature))
    return Invalid(
        "The request signature we calculated does not match the signature you provided. Check "
        "your AWS Secret Access Key and signing method. Consult the service documentation for "
        "details.");
  return SigV4Identity{auth.access_key_id, auth.region};
}

}  // namespace cognate::api
