#pragma once
// The RSA signing keys a user pool gets at creation: one for ID tokens and one for access tokens
// (Cognito signs them with different keys, so its JWKS lists two).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "crypto/kek.h"
#include "store/records.h"
#include "token/rsa_key.h"

namespace cognate::identity {

// Makes a fresh RSA key. Injected so tests can hand out pre-generated keys (2048-bit generation
// takes ~0.1 s). May throw on an OpenSSL failure; callers turn that into an error.
using KeyFactory = std::function<token::RsaKey()>;

// The production factory: a new 2048-bit key.
token::RsaKey GenerateSigningKey();

// Records for the "id" and "access" keys of `pool_id`: kid = RsaKey::Kid(), public JWK members
// {"kty","n","e"}, the PKCS#8 private key sealed under `kek` with aad "signing-key:<kid>".
Result<std::vector<store::SigningKeyRecord>> NewPoolSigningKeys(const std::string& pool_id,
                                                                int64_t now_ms,
                                                                const crypto::KeyEncryptionKey& kek,
                                                                const KeyFactory& factory);

}  // namespace cognate::identity
