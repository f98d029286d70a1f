#include "auth/password_hasher.h"

#include <sodium.h>

#include <algorithm>
#include <new>
#include <stdexcept>

#include "auth/imported_hashes.h"
#include "crypto/random.h"

namespace cognate::auth {
namespace {

PasswordHasher::Params Clamp(PasswordHasher::Params p) {
  p.ops_limit = std::max<uint64_t>(p.ops_limit, crypto_pwhash_argon2id_OPSLIMIT_MIN);
  p.mem_limit = std::max<size_t>(p.mem_limit, crypto_pwhash_argon2id_MEMLIMIT_MIN);
  return p;
}

// libsodium reads encoded hashes as NUL-terminated strings of less than crypto_pwhash_STRBYTES.
bool CopyEncoded(std::string_view encoded, char (&out)[crypto_pwhash_STRBYTES]) {
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES ||
      encoded.find('\0') != std::string_view::npos) {
    return false;
  }
  std::copy(encoded.begin(), encoded.end(), out);
  out[encoded.size()] = '\0';
  return true;
}

}  // namespace

PasswordHasher::PasswordHasher(Params params) : params_(Clamp(params)) {
  // sodium_init picks the fastest Argon2 implementation for this CPU; it is idempotent.
  if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
  std::string random_password = crypto::RandomBytes(32);
  dummy_hash_ = Hash(random_password);
  sodium_memzero(random_password.data(), random_password.size());
}

std::string PasswordHasher::Hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params_.ops_limit,
                            params_.mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::bad_alloc();  // The only failure left once the parameters are in range.
  }
  return std::string(out);
}

bool PasswordHasher::Verify(std::string_view encoded, std::string_view password) const {
  // Imported users may still carry another system's hash until their first sign-in.
  if (!encoded.starts_with("$argon2")) return VerifyImportedHash(encoded, password);
  char str[crypto_pwhash_STRBYTES];
  if (!CopyEncoded(encoded, str)) return false;
  return crypto_pwhash_str_verify(str, password.data(), password.size()) == 0;
}

bool PasswordHasher::NeedsRehash(std::string_view encoded) const {
  char str[crypto_pwhash_STRBYTES];
  if (!CopyEncoded(encoded, str)) return true;
  // The Argon2id-specific check: the generic one would accept an Argon2i hash with equal costs.
  return crypto_pwhash_argon2id_str_needs_rehash(str, params_.ops_limit, params_.mem_limit) != 0;
}

void PasswordHasher::VerifyDummy(std::string_view password) const {
  // The result is meaningless (the dummy password is random); only the time spent matters.
  [[maybe_unused]] const bool ignored = Verify(dummy_hash_, password);
}

}  // namespace cognate::auth
