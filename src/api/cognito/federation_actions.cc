#include "api/cognito/federation_actions.h"

#include <functional>

namespace cognate::api {

void RegisterFederationActions(CognitoDispatcher& d, federation::Federation& federation) {
  using Handler = std::function<Result<boost::json::object>(const boost::json::object&)>;
  auto& providers = federation.providers();
  auto& users = federation.users();
  using P = federation::IdentityProviderService;
  using U = federation::FederatedUsers;
  struct Binding {
    const char* name;
    Handler handler;
    Execution execution;  // Writes wait on fsync and Create/Update on discovery: worker pool.
  };
  const Binding actions[] = {
      {"CreateIdentityProvider", std::bind_front(&P::CreateIdentityProvider, &providers),
       Execution::kWorker},
      {"DescribeIdentityProvider", std::bind_front(&P::DescribeIdentityProvider, &providers),
       Execution::kInline},
      {"UpdateIdentityProvider", std::bind_front(&P::UpdateIdentityProvider, &providers),
       Execution::kWorker},
      {"DeleteIdentityProvider", std::bind_front(&P::DeleteIdentityProvider, &providers),
       Execution::kWorker},
      {"ListIdentityProviders", std::bind_front(&P::ListIdentityProviders, &providers),
       Execution::kInline},
      {"GetIdentityProviderByIdentifier",
       std::bind_front(&P::GetIdentityProviderByIdentifier, &providers), Execution::kInline},
      {"AdminLinkProviderForUser", std::bind_front(&U::AdminLinkProviderForUser, &users),
       Execution::kWorker},
      {"AdminDisableProviderForUser", std::bind_front(&U::AdminDisableProviderForUser, &users),
       Execution::kWorker},
  };
  for (const auto& a : actions) {
    d.Register(
        a.name,
        [handler = a.handler](const boost::json::object& body, const CallContext&) {
          return handler(body);
        },
        a.execution);
  }
}

}  // namespace cognate::api
