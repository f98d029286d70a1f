// SECRET_BLOCK sealing and the fake verifier of unknown users.

#include "auth/srp_secret_block.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <optional>
#include <utility>

#include "auth/challenge_session.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "identity/json_fields.h"
#include "identity/password_setter.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

constexpr std::string_view kAad = "srp-secret-block";

}  // namespace

std::string SealSecretBlock(const crypto::KeyEncryptionKey& kek, const SrpSecretBlock& block) {
  json::object fields{{"pool", block.pool_id}, {"client", block.client_id},
                      {"username_key", block.username_key}, {"a", block.a_hex},
                      {"b", block.b_hex}, {"nonce", block.nonce},
                      {"exp", block.exp_s}, {"fake", block.fake}};
  if (!block.custom.empty()) fields["custom"] = block.custom;
  return crypto::Base64Encode(kek.Seal(json::serialize(fields), kAad));
}

Result<SrpSecretBlock> OpenSecretBlock(const crypto::KeyEncryptionKey& kek,
                                       std::string_view block_b64) {
  std::optional<std::string> sealed = crypto::Base64Decode(block_b64);
  if (!sealed) return InvalidSession();
  auto plain = kek.Open(*sealed, kAad);
  if (!plain.ok()) return InvalidSession();
  auto fields = identity::ParseStoredObject(*plain);
  if (!fields.ok()) return InvalidSession();
  SrpSecretBlock block;
  block.pool_id = identity::GetString(*fields, "pool").value_or("");
  block.client_id = identity::GetString(*fields, "client").value_or("");
  block.username_key = identity::GetString(*fields, "username_key").value_or("");
  block.a_hex = identity::GetString(*fields, "a").value_or("");
  block.b_hex = identity::GetString(*fields, "b").value_or("");
  block.nonce = identity::GetString(*fields, "nonce").value_or("");
  block.exp_s = identity::GetInt(*fields, "exp").value_or(0);
  block.fake = identity::GetBool(*fields, "fake").value_or(false);
  block.custom = identity::GetString(*fields, "custom").value_or("");
  return block;
}

std::string NoncePurpose(std::string_view nonce) { return "srp:" + std::string(nonce); }

std::string NonceHash(std::string_view nonce) {
  return crypto::HexEncode(crypto::Sha256(nonce));
}

srp::SrpVerifier FakeVerifier(const crypto::KeyEncryptionKey& kek, std::string_view pool_id,
                              std::string_view name) {
  const std::string key = kek.Derive("srp-fake-verifier");
  const std::string subject = std::string(pool_id) + "\n" + std::string(name);
  std::string salt = crypto::HexEncode(crypto::HmacSha256(key, "salt\n" + subject).substr(0, 16));
  std::string password = crypto::HexEncode(crypto::HmacSha256(key, "password\n" + subject));
  auto v = srp::MakeVerifierWithSalt(salt, identity::SrpPoolName(pool_id), name, password);
  return v.ok() ? std::move(*v) : srp::SrpVerifier{};  // the salt is hex: always ok
}

}  // namespace cognate::auth
