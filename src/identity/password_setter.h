#pragma once
// The one place that turns a new password into what is stored for it (cognito-wire.md §4.4):
// the Argon2id hash (password flows) and the SRP verifier (USER_SRP_AUTH), the latter sealed
// with the KEK as {"salt","verifier"} under aad "srp-verifier:<pool id>:<username key>".
// Every path that sets a password (sign-up, admin create/set, reset, change, the
// NEW_PASSWORD_REQUIRED answer, the hash upgrade) goes through here, so the two never diverge,
// and the replaced hash joins the user's password history (password_history.h).
// The work is slow (Argon2id): compute it before a RetryOnConflict loop and apply it inside.

#include <string>
#include <string_view>

#include "auth/password_hasher.h"
#include "auth/srp/srp_verifier.h"
#include "common/result.h"
#include "crypto/kek.h"
#include "store/user_records.h"

namespace cognate::identity {

struct PasswordSecrets {
  std::string password_hash;
  std::string srp_verifier_sealed;
  // A new password: writes both into `user` and moves its current hash to the front of its
  // password history (other fields untouched).
  void ApplyTo(store::UserRecord& user) const;
  // The same password hashed again (parameters upgraded): writes both, history untouched, so
  // one password never takes two places in it.
  void ApplyRehashTo(store::UserRecord& user) const;
};

// The pool name the SRP clients hash: the pool id after '_' ("us-east-1_Abc" -> "Abc").
std::string SrpPoolName(std::string_view pool_id);

// The secrets for `password` of `user` (its pool_id, username and username_key are used).
PasswordSecrets MakePasswordSecrets(const auth::PasswordHasher& hasher,
                                    const crypto::KeyEncryptionKey& kek,
                                    const store::UserRecord& user, std::string_view password);

// MakePasswordSecrets(...).ApplyTo(user).
void SetPassword(const auth::PasswordHasher& hasher, const crypto::KeyEncryptionKey& kek,
                 store::UserRecord& user, std::string_view password);

// The SRP verifier sealed for `user`, computed without the Argon2id hash.
std::string SealSrpVerifier(const crypto::KeyEncryptionKey& kek, const store::UserRecord& user,
                            std::string_view password);

// The user's verifier; InternalErrorException when it is missing or does not open.
Result<auth::srp::SrpVerifier> OpenSrpVerifier(const crypto::KeyEncryptionKey& kek,
                                               const store::UserRecord& user);

}  // namespace cognate::identity
