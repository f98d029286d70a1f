#pragma once
// Password storage: Argon2id (libsodium crypto_pwhash) in the self-describing encoded form
// ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"), so parameters can be raised later and old hashes
// still verify (NeedsRehash tells the caller when to re-hash on the next successful sign-in).
//
// Contract:
// - Hash() never fails for a reachable password; when libsodium cannot get the memory it asks
//   for it throws std::bad_alloc, like any allocation would.
// - Verify() is false for a wrong password and for anything that is not an encoded hash
//   (including ""), so a user without a password can never sign in with one. Hashes imported
//   from other systems (bcrypt, scrypt, PBKDF2: auth/imported_hashes.h) verify too, and
//   NeedsRehash() is true for them.
// - VerifyDummy() costs the same as a Verify() with this hasher's parameters, for requests about
//   users that do not exist: timing must not reveal whether a username exists.
// - Thread-safe: every member is const and libsodium's hashing is reentrant.
// Params below libsodium's Argon2id minimums (1 pass, 8 KiB) are raised to them.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cognate::auth {

class PasswordHasher {
 public:
  // Defaults follow OWASP's Argon2id baseline (19 MiB, 2 passes, 1 lane): ~45 ms per hash.
  struct Params {
    uint64_t ops_limit = 2;
    size_t mem_limit = 19 * 1024 * 1024;
  };

  explicit PasswordHasher(Params params);

  std::string Hash(std::string_view password) const;
  bool Verify(std::string_view encoded, std::string_view password) const;
  // True when `encoded` was made with other parameters (or is not an Argon2id hash at all).
  bool NeedsRehash(std::string_view encoded) const;
  void VerifyDummy(std::string_view password) const;
  const std::string& DummyHashForTest() const { return dummy_hash_; }

  const Params& params() const { return params_; }

 private:
  Params params_;
  std::string dummy_hash_;  // Hash of a random password, made at construction.
};

}  // namespace cognate::auth
