#include "identity/signing_keys.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <exception>

namespace cognate::identity {

namespace json = boost::json;

token::RsaKey GenerateSigningKey() { return token::RsaKey::Generate(2048); }

Result<std::vector<store::SigningKeyRecord>> NewPoolSigningKeys(const std::string& pool_id,
                                                                int64_t now_ms,
                                                                const crypto::KeyEncryptionKey& kek,
                                                                const KeyFactory& factory) {
  std::vector<store::SigningKeyRecord> records;
  for (const char* use : {"id", "access"}) {
    try {
      token::RsaKey key = factory();
      store::SigningKeyRecord record;
      record.pool_id = pool_id;
      record.kid = key.Kid();
      record.use = use;
      record.alg = "RS256";
      record.public_jwk_json =
          json::serialize(json::object{{"kty", "RSA"}, {"n", key.JwkN()}, {"e", key.JwkE()}});
      record.private_key_sealed = kek.Seal(key.PrivatePem(), "signing-key:" + record.kid);
      record.created_ms = now_ms;
      record.active = true;
      records.push_back(std::move(record));
    } catch (const std::exception&) {
      // Key generation reports OpenSSL failures by throwing; keep them off the request path.
      return Error::Internal("Could not create the user pool's signing keys.");
    }
  }
  return records;
}

}  // namespace cognate::identity
