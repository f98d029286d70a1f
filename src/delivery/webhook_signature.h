#pragma once
// Signatures on Cognate's outgoing webhooks (custom sender events now, Lambda-trigger webhooks
// later), so a receiver can tell that a request came from this server and is fresh.
//
//   X-Cognate-Signature: t=<unix seconds>,v1=<lowercase hex HMAC-SHA256(secret, "<t>.<body>")>
//
// The key is the shared secret's bytes as given (DATA/webhook-secret or --webhook-secret-file,
// trailing newline removed); the MAC covers the timestamp and the exact body bytes sent.
// Receivers recompute v1, compare in constant time and refuse timestamps too far from their
// clock (replays).

#include <cstdint>
#include <string>
#include <string_view>

namespace cognate::delivery {

inline constexpr char kSignatureHeader[] = "X-Cognate-Signature";

// The header value for `body` sent at `unix_seconds`.
std::string SignWebhook(std::string_view secret, int64_t unix_seconds, std::string_view body);

// True when `header` is a well-formed signature of `body` under `secret` whose timestamp is
// within `tolerance_seconds` of `now_seconds`. Unknown "k=v" members are ignored and several
// v1 values may be given (secret rotation): one matching v1 suffices.
bool VerifyWebhookSignature(std::string_view secret, std::string_view header, std::string_view body,
                            int64_t now_seconds, int64_t tolerance_seconds = 300);

}  // namespace cognate::delivery
