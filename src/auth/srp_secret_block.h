#pragma once
// The SECRET_BLOCK of the PASSWORD_VERIFIER challenge (cognito-wire.md §4.4): the server's SRP
// state, sealed with the KEK (aad "srp-secret-block") and base64-encoded, so the server keeps
// nothing but the nonce that makes the block single use (CodeStore, purpose "srp:<nonce>").
// Clients treat it as opaque bytes and sign them, so it is verified exactly as sent.
// Also the fake verifier of unknown users: stable for one name, so repeated challenges for a
// user that does not exist look like those of one that does.

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/srp/srp_verifier.h"
#include "common/result.h"
#include "crypto/kek.h"

namespace cognate::auth {

struct SrpSecretBlock {
  std::string pool_id;
  std::string client_id;
  std::string username_key;  // For a fake challenge: the name as given.
  std::string a_hex;         // SRP_A as the client sent it.
  std::string b_hex;         // The server's private exponent. Secret.
  std::string nonce;
  int64_t exp_s = 0;         // Epoch seconds after which the block is refused.
  bool fake = false;         // Issued for an unknown user: the answer always fails.
  std::string custom{};      // CUSTOM_AUTH started with SRP_A: the challenge history so far
                             // (custom_auth.cc); empty in USER_SRP_AUTH.
};

// base64 of the sealed block.
std::string SealSecretBlock(const crypto::KeyEncryptionKey& kek, const SrpSecretBlock& block);

// NotAuthorizedException "Invalid session for the user." when the text is not a block we
// sealed (altered, another key, not base64). Expiry is the caller's check.
Result<SrpSecretBlock> OpenSecretBlock(const crypto::KeyEncryptionKey& kek,
                                       std::string_view block_b64);

// The CodeStore purpose of a block's nonce, and the hash stored for it.
std::string NoncePurpose(std::string_view nonce);
std::string NonceHash(std::string_view nonce);

// A deterministic salt and verifier for a name that has no real one (HMAC of a KEK-derived key
// over pool and name): nobody knows a password for it.
srp::SrpVerifier FakeVerifier(const crypto::KeyEncryptionKey& kek, std::string_view pool_id,
                              std::string_view name);

}  // namespace cognate::auth
