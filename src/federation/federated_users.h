#pragma once
// Pool users for upstream identities, and the admin actions that link or cut them:
//
// SignIn(provider, verified claims) is the user a federated sign-in ends as:
//   1. A user linked by AdminLinkProviderForUser to this identity (on Cognito_Subject, the
//      upstream user id, or on a mapped attribute's value) when one still exists.
//   2. Else the federated user "<ProviderName>_<user id>" (the user id is the claim
//      AttributeMapping["username"] names, sub by default), status EXTERNAL_PROVIDER, no
//      password, created at its first sign-in with the mapped attributes and the "identities"
//      attribute (identities_attribute.h); later sign-ins refresh the mapped attributes (an
//      immutable one that changes fails the sign-in, as on Cognito). Federated users hold no
//      alias or email/phone-username keys: their addresses come from the provider.
//   Before the federated user is created, the pool's PreSignUp trigger runs with
//   PreSignUp_ExternalProvider; a rejection creates nothing and fails the sign-in.
//   A disabled user cannot sign in (NotAuthorizedException "User is disabled."). Claims that do
//   not fit the pool's schema fail with InvalidParameterException.
//
// AdminLinkProviderForUser: DestinationUser is a pool user (ProviderName "Cognito" and the
// username, or a provider name and a federated user's id); SourceUser an upstream identity
// that has not signed in yet (else InvalidParameterException "Merging is not currently
// supported..."), named by ProviderAttributeName Cognito_Subject (social providers: only that)
// or, for OIDC providers, a pool attribute the provider maps. At most kMaxLinkedIdentities per
// user (LimitExceededException); a source identity links to one user (AliasExistsException).
//
// AdminDisableProviderForUser: for an upstream identity, removes its link (and its entry in the
// linked user's identities) or, when it is a federated user's own identity, disables that user;
// for ProviderName "Cognito" (Cognito_Subject = username), the native user loses its password
// sign-in. Refresh tokens of the affected user are revoked.
//
// Pre sign-up and post confirmation triggers for federated users are not run yet.
// Thread-safe; read-modify-writes retry on concurrent modification.

#include <boost/json/object.hpp>
#include <string>

#include "common/result.h"
#include "federation/identity_provider.h"
#include "federation/identity_providers.h"
#include "federation/provider_links.h"
#include "identity/user_directory.h"
#include "store/user_records.h"

namespace cognate::federation {

inline constexpr std::string_view kExternalProviderStatus = "EXTERNAL_PROVIDER";
inline constexpr std::size_t kMaxLinkedIdentities = 5;

class FederatedUsers {
 public:
  FederatedUsers(identity::UserDirectory& directory, IdentityProviderService& providers);

  // `client_id`: the app client signing in (the trigger's callerContext).
  Result<store::UserRecord> SignIn(const IdentityProvider& provider,
                                   const boost::json::object& claims,
                                   const std::string& client_id = "");

  Result<boost::json::object> AdminLinkProviderForUser(const boost::json::object& request);
  Result<boost::json::object> AdminDisableProviderForUser(const boost::json::object& request);

 private:
  // The still-valid user a link of this identity points to, if any.
  Result<std::optional<store::UserRecord>> LinkedUser(const identity::PoolContext& pool,
                                                      const IdentityProvider& provider,
                                                      const std::string& user_id,
                                                      const boost::json::object& mapped) const;
  // Creates or refreshes the federated user "<provider>_<user_id>".
  Result<store::UserRecord> UpsertFederatedUser(const identity::PoolContext& pool,
                                                const IdentityProvider& provider,
                                                const std::string& user_id,
                                                const boost::json::object& mapped,
                                                const std::string& client_id) const;
  // The DestinationUser of AdminLinkProviderForUser.
  Result<store::UserRecord> Destination(const identity::PoolContext& pool,
                                        const boost::json::object& user) const;
  // Applies `change` to the attributes of the user `username_key` (retried on conflict);
  // keeps the user's keys. UserNotFoundException when it is gone.
  Status ChangeUser(const identity::PoolContext& pool, const std::string& username_key,
                    const std::function<Status(store::UserRecord&, boost::json::object&)>& change)
      const;

  identity::UserDirectory& directory_;
  IdentityProviderService& providers_;
  ProviderLinks links_;
};

}  // namespace cognate::federation
