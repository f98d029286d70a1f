#pragma once
// Password hashes made by other systems, for users brought over with `cognate users import`:
// verified at sign-in, after which the sign-in re-hashes the password with the server's
// Argon2id parameters (PasswordHasher::NeedsRehash is true for all of them).
//
//   bcrypt   $2a$ / $2b$ / $2y$, cost 4..16                  (libxcrypt)
//   scrypt   $7$ (the crypt(3) form), N up to 2^20, r <= 32   (libxcrypt)
//   PBKDF2   pbkdf2_sha256$<iterations>$<salt>$<base64>       (Django; also pbkdf2_sha1)
//            $pbkdf2-sha256$<iterations>$<ab64 salt>$<ab64>   (passlib; also -sha512, -sha1)
//            iterations 1,000..5,000,000
//   Argon2   $argon2id$ / $argon2i$, memory <= 256 MiB, passes <= 16 (libsodium; PasswordHasher)
//
// The bounds keep one sign-in's work in line with the server's own hashes: a hash outside them
// is refused on import, and one found in the store anyway never verifies.

#include <string_view>

namespace cognate::auth {

// Whether `encoded` is one of the forms above, within its bounds.
bool IsAcceptedPasswordHash(std::string_view encoded);

// Verifies `password` against a bcrypt, scrypt or PBKDF2 hash (constant-time comparison). False
// for anything else, including Argon2 (PasswordHasher verifies those).
bool VerifyImportedHash(std::string_view encoded, std::string_view password);

}  // namespace cognate::auth
