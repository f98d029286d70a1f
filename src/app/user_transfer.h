#pragma once
// `cognate users export` and `cognate users import`: a pool's users as JSON lines, password
// hashes included, for moving users between Cognate servers or in from other systems (which
// Cognito's CSV import cannot do: its users must reset their passwords).
//
// One user per line:
//   {"Username": "...", "Sub": "<uuid>", "UserStatus": "CONFIRMED", "Enabled": true,
//    "Attributes": {"email": "...", "email_verified": "true", ...},
//    "PasswordHash": "$argon2id$...", "UserCreateDate": <epoch ms>}
// Import accepts PasswordHash in the forms of auth/imported_hashes.h (Argon2id, bcrypt, scrypt,
// PBKDF2); a user signs in with the same password and the hash is upgraded to the server's
// Argon2id parameters then. Without a hash the user is RESET_REQUIRED (as Cognito's import);
// MFA settings and linked identities are not carried. Attributes are checked against the pool's
// schema as AdminCreateUser checks them; a line that fails is reported and skipped, an existing
// username, sub or alias is skipped. Users go in batches of 500 per transaction.

#include "app/config.h"

namespace cognate::app {

// Exit status 0 on success.
int ExportUsers(const ParsedArgs& args);
// Exit status 0 when every line was imported or skipped as existing, 1 when one failed.
int ImportUsers(const ParsedArgs& args);

}  // namespace cognate::app
