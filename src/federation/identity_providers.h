#pragma once
// The identity providers of a user pool: CreateIdentityProvider, DescribeIdentityProvider,
// UpdateIdentityProvider, DeleteIdentityProvider, ListIdentityProviders and
// GetIdentityProviderByIdentifier with Cognito's rules, and the lookups sign-in needs.
//
// Each action takes the request JSON object (already checked against the service model) and
// returns the response object as Cognito shapes it, or an Error with Cognito's type:
//   - ProviderDetails per type (provider_details.h); OIDC endpoints the request leaves out come
//     from the issuer's discovery document, fetched during the call (so Create and Update
//     block on the network: run them on the worker pool).
//   - ProviderName: 1..32 characters (the model), unique per pool (DuplicateProviderException),
//     "Cognito" reserved, social providers named as their type.
//   - AttributeMapping: keys are attributes of the pool's schema or "username" (never sub or
//     identities); "username" defaults to the type's user id claim and is always shown.
//   - IdpIdentifiers: at most 50 (the model), unique in the pool across providers.
//   - At most kMaxProvidersPerPool providers (LimitExceededException).
//   - An unknown provider or identifier: ResourceNotFoundException.
// client_secret and private_key are sealed at rest and returned by Describe, as Cognito does.
//
// Thread-safe: no mutable state. Name uniqueness is the store's; identifier uniqueness and the
// quota are checked before the write, so racing writers can overshoot them.

#include <boost/json/object.hpp>
#include <string>

#include "common/result.h"
#include "federation/http_client.h"
#include "federation/identity_provider.h"
#include "identity/user_directory.h"

namespace cognate::federation {

inline constexpr int kMaxProvidersPerPool = 300;

class IdentityProviderService {
 public:
  // `http` fetches discovery documents; both must outlive the service.
  IdentityProviderService(identity::UserDirectory& directory, HttpClient& http);

  Result<boost::json::object> CreateIdentityProvider(const boost::json::object& request);
  Result<boost::json::object> DescribeIdentityProvider(const boost::json::object& request);
  Result<boost::json::object> UpdateIdentityProvider(const boost::json::object& request);
  Result<boost::json::object> DeleteIdentityProvider(const boost::json::object& request);
  Result<boost::json::object> ListIdentityProviders(const boost::json::object& request);
  Result<boost::json::object> GetIdentityProviderByIdentifier(const boost::json::object& request);

  // The provider `name` of `pool_id` (secrets opened). ResourceNotFoundException when absent.
  Result<IdentityProvider> Load(const std::string& pool_id, const std::string& name) const;
  // The provider holding IdpIdentifier `identifier`. ResourceNotFoundException when none.
  Result<IdentityProvider> FindByIdentifier(const std::string& pool_id,
                                            const std::string& identifier) const;

 private:
  // Every provider of the pool, in name order (at most kMaxProvidersPerPool + 1 are read).
  Result<std::vector<IdentityProvider>> LoadAll(const std::string& pool_id) const;
  // Sets the checked AttributeMapping and IdpIdentifiers of the request on `provider`, when
  // the request has them; identifiers must be free in the pool's other providers.
  Status ApplyMappingAndIdentifiers(const identity::PoolContext& pool,
                                    const boost::json::object& request,
                                    IdentityProvider& provider) const;
  // ProviderDetails of the request, checked and completed (provider_details.h).
  Status ApplyDetails(const boost::json::object& request, IdentityProvider& provider) const;

  identity::UserDirectory& directory_;
  HttpClient& http_;
};

}  // namespace cognate::federation
