#include "federation/federation.h"

#include <utility>

namespace cognate::federation {

Federation::Federation(identity::UserDirectory& directory, std::unique_ptr<HttpClient> http)
    : http_(std::move(http)),
      jwks_(*http_, directory.clock()),
      providers_(directory, *http_),
      upstream_(*http_, jwks_, directory.clock()),
      users_(directory, providers_) {}

Result<std::string> Federation::StartUrl(const std::string& pool_id,
                                         const std::string& provider_name,
                                         const AuthorizationRequest& request) const {
  auto provider = providers_.Load(pool_id, provider_name);
  if (!provider.ok()) return std::move(provider).error();
  return AuthorizationUrl(*provider, request);
}

Result<store::UserRecord> Federation::Complete(const std::string& pool_id,
                                               const std::string& provider_name,
                                               const CodeExchange& exchange,
                                               const std::string& client_id) {
  auto provider = providers_.Load(pool_id, provider_name);
  if (!provider.ok()) return std::move(provider).error();
  auto claims = upstream_.CompleteSignIn(*provider, exchange);
  if (!claims.ok()) return std::move(claims).error();
  return users_.SignIn(*provider, *claims, client_id);
}

Result<std::string> Federation::ProviderName(const std::string& pool_id,
                                             const std::string& identifier) const {
  auto provider = providers_.FindByIdentifier(pool_id, identifier);
  if (!provider.ok()) return std::move(provider).error();
  return std::move(provider->name);
}

}  // namespace cognate::federation
