#include "identity/secret_hash.h"

#include <sodium.h>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cognate::identity {

std::string ComputeSecretHash(std::string_view username, std::string_view client_id,
                              std::string_view client_secret) {
  std::string message;
  message.reserve(username.size() + client_id.size());
  message.append(username).append(client_id);
  return crypto::Base64Encode(crypto::HmacSha256(client_secret, message));
}

Status CheckSecretHash(std::string_view client_id, std::string_view client_secret,
                       std::string_view username, const std::optional<std::string>& provided) {
  if (client_secret.empty()) return OkStatus();
  if (!provided || provided->empty()) {
    return Error::NotAuthorized("Client " + std::string(client_id) +
                                " is configured for secret but secret was not received");
  }
  std::string expected = ComputeSecretHash(username, client_id, client_secret);
  const bool match = crypto::ConstantTimeEquals(expected, *provided);
  sodium_memzero(expected.data(), expected.size());  // Valid for this username until rotation.
  if (!match) {
    return Error::NotAuthorized("Unable to verify secret hash for client " +
                                std::string(client_id));
  }
  return OkStatus();
}

}  // namespace cognate::identity
