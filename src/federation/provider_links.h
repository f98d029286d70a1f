#pragma once
// Links made by AdminLinkProviderForUser: "an upstream identity whose <attribute> is <value> at
// provider <P> signs in as this pool user". Kept as pool documents of kind kIdentityLinkKind
// (deleted with the pool), one per (provider, attribute, value), so sign-in finds a link with
// one keyed read and the store makes a source identity link to one user only. The link names
// the user by username key and sub: a user deleted and re-created under the same name does not
// inherit it.
//
// The linked user's "identities" attribute (identities_attribute.h) mirrors its links for
// AdminGetUser and tokens, as on Cognito.

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "store/stores.h"

namespace cognate::federation {

inline constexpr const char* kIdentityLinkKind = "identity-link";
// The attribute name of a link on the upstream user id (sub, Facebook id, Amazon user_id).
inline constexpr const char* kCognitoSubject = "Cognito_Subject";

struct ProviderLink {
  std::string provider_name;
  std::string attribute_name;   // kCognitoSubject or a pool attribute the provider maps
  std::string attribute_value;
  std::string username_key;     // The user it signs in as...
  std::string user_sub;         // ...as long as that user still has this sub.
  int64_t created_ms = 0;
};

class ProviderLinks {
 public:
  explicit ProviderLinks(store::PoolDocumentStore& documents) : documents_(documents) {}

  Result<std::optional<ProviderLink>> Find(const std::string& pool_id,
                                           const std::string& provider_name,
                                           const std::string& attribute_name,
                                           const std::string& attribute_value) const;
  // False when the source identity is already linked (to anyone).
  Result<bool> Create(const std::string& pool_id, const ProviderLink& link) const;
  // False when there was no such link.
  Result<bool> Delete(const std::string& pool_id, const ProviderLink& link) const;

 private:
  store::PoolDocumentStore& documents_;
};

}  // namespace cognate::federation
