#pragma once
// AWS Signature Version 4 verification for the Cognito JSON API (header-based signatures).
// Checks the Authorization header's form, the credential scope (<yyyymmdd>/<region>/<service>/
// aws4_request, date matching X-Amz-Date), the clock skew, and the signature over the canonical
// request rebuilt from what was received. Errors use AWS's front-door types (all HTTP 400):
//   MissingAuthenticationTokenException  no Authorization header
//   IncompleteSignatureException         malformed Authorization / missing X-Amz-Date or host /
//                                        a signed header absent from the request
//   InvalidSignatureException            wrong signature, wrong scope (date, service,
//                                        terminator), x-amz-content-sha256 not the body's hash,
//                                        or "Signature expired: ..." / "not yet current: ..."
//   UnrecognizedClientException          unknown access key id
// Any region is accepted; the signature is checked with the region named in the scope. The
// request time is X-Amz-Date (ISO 8601 basic) or else Date (basic or RFC 1123, as botocore sends
// it). The payload is always signed: an x-amz-content-sha256 header must equal the body's hash.
// Thread-safe (pure function of its arguments).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "http/message.h"

namespace cognate::api {

struct SigV4Identity {
  std::string access_key_id;
  std::string region;  // From the credential scope.
};

// Returns the plaintext secret for an access key id, or std::nullopt when unknown.
using SecretLookup = std::function<std::optional<std::string>(std::string_view access_key_id)>;

struct SigV4Options {
  std::string service = "cognito-idp";
  int64_t max_skew_seconds = 300;
};

Result<SigV4Identity> VerifySigV4(const http::Request& request, const SecretLookup& lookup,
                                  int64_t now_epoch_seconds, const SigV4Options& options = {});

// Pieces of the canonical request (sigv4_canonical.cc), shared with sigv4.cc and tests.
namespace sigv4_internal {

inline constexpr std::string_view kWhitespace = " \t\r\n\v\f";
std::string_view Trim(std::string_view s);  // Strips kWhitespace at both ends.
// True when every byte is an RFC 3986 unreserved character.
bool AllUnreserved(std::string_view s);
// Appends a header value trimmed, with inner whitespace runs collapsed to one space.
void AppendTrimmed(std::string& out, std::string_view value);

// Calls `fn` on each piece of `s` between separators (empty pieces included).
template <class Fn>
void Split(std::string_view s, char sep, Fn fn) {
  for (size_t start = 0;;) {
    size_t end = s.find(sep, start);
    fn(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return;
    start = end + 1;
  }
}

// The received path with dot segments and repeated slashes removed, then every byte other than
// RFC 3986 unreserved characters and '/' percent-encoded. The path is not decoded first: SDKs
// sign the already-encoded path encoded once more ("/a%20b" signs as "/a%2520b").
std::string CanonicalUri(std::string_view path);

// Each name and value percent-decoded then re-encoded, pairs sorted by name then value; a
// parameter without '=' gets an empty value.
std::string CanonicalQuery(std::string_view query);

}  // namespace sigv4_internal
}  // namespace cognate::api
