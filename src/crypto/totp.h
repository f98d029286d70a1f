#pragma once
// TOTP (RFC 6238) as authenticator apps compute it for Cognito's software tokens: HMAC-SHA1,
// 30-second steps from the Unix epoch, 6 digits. Secrets travel as RFC 4648 base32 without
// padding (what AssociateSoftwareToken returns and otpauth:// URIs carry).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cognate::crypto {

inline constexpr int64_t kTotpStepSeconds = 30;
inline constexpr std::size_t kTotpSecretBytes = 20;  // 160 bits, RFC 4226's recommendation

std::string Base32Encode(std::string_view bytes);  // A-Z2-7, no padding
// Case-insensitive; padding and spaces are ignored. std::nullopt on other characters.
std::optional<std::string> Base32Decode(std::string_view text);

// The time step that `unix_seconds` falls in.
int64_t TotpStep(int64_t unix_seconds);

// The `digits`-digit code of `secret` (raw bytes) for `step`, zero-padded.
std::string TotpCode(std::string_view secret, int64_t step, int digits = 6);

// The step whose code is `code`, looking at the current step and one step either side (clock
// drift), and only at steps after `after_step` (so an accepted code cannot be used again).
// Comparison is constant-time. std::nullopt when no step matches.
std::optional<int64_t> MatchTotp(std::string_view secret, std::string_view code,
                                 int64_t unix_seconds, int64_t after_step);

}  // namespace cognate::crypto
