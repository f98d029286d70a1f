#pragma once
// SECRET_HASH of app clients that have a secret (cognito-wire.md §5):
//   base64(HMAC-SHA256(key = client_secret, message = username + client_id))
// `username` is whatever the caller put in that request (username or alias), byte for byte.

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cognate::identity {

// Standard base64 with padding (44 characters).
std::string ComputeSecretHash(std::string_view username, std::string_view client_id,
                              std::string_view client_secret);

// OK when the client has no secret (`client_secret` empty; a SecretHash sent anyway is ignored,
// as on Cognito) or when `provided` matches, compared in constant time. Otherwise
// NotAuthorizedException: "Client <id> is configured for secret but secret was not received"
// (absent or empty) or "Unable to verify secret hash for client <id>".
Status CheckSecretHash(std::string_view client_id, std::string_view client_secret,
                       std::string_view username, const std::optional<std::string>& provided);

}  // namespace cognate::identity
