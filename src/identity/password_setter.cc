// The stored forms of a password: Argon2id hash and sealed SRP verifier.

#include "identity/password_setter.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "identity/json_fields.h"
#include "identity/password_history.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

std::string VerifierAad(const store::UserRecord& user) {
  return "srp-verifier:" + user.pool_id + ":" + user.username_key;
}

}  // namespace

void PasswordSecrets::ApplyTo(store::UserRecord& user) const {
  RememberCurrentPassword(user, password_hash);
  ApplyRehashTo(user);
}

void PasswordSecrets::ApplyRehashTo(store::UserRecord& user) const {
  user.password_hash = password_hash;
  user.srp_verifier_sealed = srp_verifier_sealed;
}

std::string SrpPoolName(std::string_view pool_id) {
  size_t sep = pool_id.find('_');
  return std::string(sep == std::string_view::npos ? pool_id : pool_id.substr(sep + 1));
}

std::string SealSrpVerifier(const crypto::KeyEncryptionKey& kek, const store::UserRecord& user,
                            std::string_view password) {
  auth::srp::SrpVerifier v =
      auth::srp::MakeVerifier(SrpPoolName(user.pool_id), user.username, password);
  json::object sealed{{"salt", v.salt_hex}, {"verifier", v.verifier_hex}};
  return kek.Seal(json::serialize(sealed), VerifierAad(user));
}

PasswordSecrets MakePasswordSecrets(const auth::PasswordHasher& hasher,
                                    const crypto::KeyEncryptionKey& kek,
                                    const store::UserRecord& user, std::string_view password) {
  return PasswordSecrets{hasher.Hash(password), SealSrpVerifier(kek, user, password)};
}

void SetPassword(const auth::PasswordHasher& hasher, const crypto::KeyEncryptionKey& kek,
                 store::UserRecord& user, std::string_view password) {
  MakePasswordSecrets(hasher, kek, user, password).ApplyTo(user);
}

Result<auth::srp::SrpVerifier> OpenSrpVerifier(const crypto::KeyEncryptionKey& kek,
                                               const store::UserRecord& user) {
  if (user.srp_verifier_sealed.empty()) return Error::Internal("The user has no SRP verifier.");
  auto plain = kek.Open(user.srp_verifier_sealed, VerifierAad(user));
  if (!plain.ok()) return std::move(plain).error();
  auto fields = ParseStoredObject(*plain);
  if (!fields.ok()) return std::move(fields).error();
  auth::srp::SrpVerifier v{GetString(*fields, "salt").value_or(""),
                           GetString(*fields, "verifier").value_or("")};
  if (v.salt_hex.empty() || v.verifier_hex.empty()) {
    return Error::Internal("The stored SRP verifier is malformed.");
  }
  return v;
}

}  // namespace cognate::identity
