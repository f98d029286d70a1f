#pragma once
// Federation with upstream identity providers, assembled: the identity provider actions, the
// upstream relying party and federated users, plus the two calls the OAuth endpoints need.
//
//   /oauth2/authorize?identity_provider=<name> (or idp_identifier=<id>, see ProviderName):
//       auto url = federation.StartUrl(pool_id, name, {redirect_uri, state, nonce, challenge});
//       -> 302 to *url.
//   <public_url>/<poolId>/oauth2/idpresponse?code=..&state=..:
//       auto user = federation.Complete(pool_id, name, {code, redirect_uri, verifier, nonce});
//       -> issue Cognate's code/tokens for *user (a store::UserRecord, enabled).
//
// Complete blocks on the upstream token, JWKS and userinfo endpoints: run it on the worker
// pool. Thread-safe. The directory must outlive this object.

#include <memory>
#include <string>

#include "common/result.h"
#include "federation/federated_users.h"
#include "federation/http_client.h"
#include "federation/identity_providers.h"
#include "federation/jwks.h"
#include "federation/upstream_oidc.h"
#include "identity/user_directory.h"
#include "store/user_records.h"

namespace cognate::federation {

class Federation {
 public:
  // `http` defaults to libcurl (http and https, 3 s to connect, 10 s per exchange, 256 KiB).
  explicit Federation(identity::UserDirectory& directory,
                      std::unique_ptr<HttpClient> http = NewCurlHttpClient());

  // The URL to send the browser to for provider `provider_name` of `pool_id`.
  // ResourceNotFoundException when the pool has no such provider.
  Result<std::string> StartUrl(const std::string& pool_id, const std::string& provider_name,
                               const AuthorizationRequest& request) const;

  // Redeems the callback's code, verifies the upstream tokens and returns the pool user to sign
  // in (federated_users.h) for the app client `client_id`: NotAuthorizedException when the
  // provider or its tokens fail a check or the user is disabled; ResourceNotFoundException when
  // the provider is gone; UserLambdaValidationException when PreSignUp refuses a new user.
  Result<store::UserRecord> Complete(const std::string& pool_id, const std::string& provider_name,
                                     const CodeExchange& exchange,
                                     const std::string& client_id = "");

  // The name of the provider with IdpIdentifier `identifier` (/oauth2/authorize's
  // idp_identifier). ResourceNotFoundException when none.
  Result<std::string> ProviderName(const std::string& pool_id, const std::string& identifier) const;

  IdentityProviderService& providers() { return providers_; }
  FederatedUsers& users() { return users_; }

 private:
  std::unique_ptr<HttpClient> http_;
  JwksCache jwks_;
  IdentityProviderService providers_;
  UpstreamOidc upstream_;
  FederatedUsers users_;
};

}  // namespace cognate::federation
