#pragma once
// AWS Signature Version 4 verification for the Cognito JSON API (header-based signatures).
// Checks the Authorization header's form, the credential scope (<yyyymmdd>/<region>/<service>/
// aws4_request, date matching X-Amz-Date), the clock skew, and the signature over the canonical
// request rebuilt from what was received. Errors use AWS's front-door types:
//   MissingAuthenticationTokenException  no Authorization header
//   IncompleteSignatureException         malformed Authorization / missing X-Amz-Date or host
//   InvalidSignatureException            wrong signature, wrong scope, or "Signature expired: ..."
//   UnrecognizedClientException          unknown access key id
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

}  // namespace cognate::api
