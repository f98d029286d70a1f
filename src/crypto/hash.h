#pragma once
// Digests and MACs over OpenSSL 3, returning raw bytes, and constant-time comparison.

#include <openssl/types.h>

#include <string>
#include <string_view>

namespace cognate::crypto {

// SHA-256 fetched from the default provider once; passing it (rather than EVP_sha256()) to
// OpenSSL saves a provider lookup by name on every call.
const EVP_MD* FetchedSha256();

std::string Sha256(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);
// True when a == b; time depends only on the lengths, never on the contents.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace cognate::crypto
