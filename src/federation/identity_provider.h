#pragma once
// An identity provider of a user pool as Cognate keeps it: a PoolDocumentRecord of kind
// kIdentityProvider named by ProviderName, whose body holds the IdentityProviderType members
// with the secret details (client_secret, private_key) sealed under the KEK, bound to the pool,
// the provider name and the key, plus what sign-in needs and Describe does not show (the JWKS
// URI of social OIDC providers, the token endpoint's client authentication).

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/kek.h"
#include "store/records.h"

namespace cognate::federation {

struct IdentityProvider {
  std::string pool_id;
  std::string name;                       // ProviderName
  std::string type;                       // ProviderType
  boost::json::object details;            // ProviderDetails, secrets in plaintext
  boost::json::object attribute_mapping;  // pool attribute (or "username") -> upstream claim
  std::vector<std::string> idp_identifiers;
  std::string jwks_uri;                   // "" when the type has no id_token
  std::string token_auth_method;          // client_secret_basic | client_secret_post
  int64_t created_ms = 0;
  int64_t modified_ms = 0;
  int64_t version = 0;

  // A ProviderDetails value, "" when absent.
  std::string Detail(std::string_view key) const;
  // The upstream claim that names the user: AttributeMapping["username"], else the type's
  // default (provider_details.h).
  std::string UsernameClaim() const;
};

// The document to store (secrets sealed). Throws nothing.
store::PoolDocumentRecord ToDocument(const IdentityProvider& provider,
                                     const crypto::KeyEncryptionKey& kek);
// The provider a stored document holds (secrets opened); InternalErrorException when the body
// is malformed or a secret does not open.
Result<IdentityProvider> FromDocument(const store::PoolDocumentRecord& document,
                                      const crypto::KeyEncryptionKey& kek);

// IdentityProviderType as Describe/Create/Update/GetIdentityProviderByIdentifier return it.
boost::json::object IdentityProviderType(const IdentityProvider& provider);
// ProviderDescription as ListIdentityProviders returns it.
boost::json::object ProviderDescription(const IdentityProvider& provider);

}  // namespace cognate::federation
