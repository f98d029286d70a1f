#include "api/cognito/oauth_config_actions.h"

#include <cstddef>
#include <memory>

#include "identity/domains.h"
#include "identity/resource_servers.h"

namespace cognate::api {

namespace {

template <class Service>
struct Binding {
  const char* name;
  Result<boost::json::object> (Service::*method)(const boost::json::object&);
  Execution execution;  // Writes wait on fsync, so they run on the worker pool.
};

// Registers the actions of one service; the bindings share ownership of it.
template <class Service, std::size_t N>
void Bind(CognitoDispatcher& d, std::shared_ptr<Service> service,
          const Binding<Service> (&actions)[N]) {
  for (const Binding<Service>& a : actions) {
    d.Register(
        a.name,
        [service, method = a.method](const boost::json::object& body, const CallContext&) {
          return ((*service).*method)(body);
        },
        a.execution);
  }
}

}  // namespace

void RegisterOAuthConfigActions(CognitoDispatcher& d, identity::UserDirectory& directory) {
  using R = identity::ResourceServerService;
  using D = identity::DomainService;
  const Binding<R> servers[] = {
      {"CreateResourceServer", &R::CreateResourceServer, Execution::kWorker},
      {"DescribeResourceServer", &R::DescribeResourceServer, Execution::kInline},
      {"UpdateResourceServer", &R::UpdateResourceServer, Execution::kWorker},
      {"DeleteResourceServer", &R::DeleteResourceServer, Execution::kWorker},
      {"ListResourceServers", &R::ListResourceServers, Execution::kInline},
  };
  Bind(d, std::make_shared<R>(directory), servers);
  const Binding<D> domains[] = {
      {"CreateUserPoolDomain", &D::CreateUserPoolDomain, Execution::kWorker},
      {"DescribeUserPoolDomain", &D::DescribeUserPoolDomain, Execution::kInline},
      {"UpdateUserPoolDomain", &D::UpdateUserPoolDomain, Execution::kWorker},
      {"DeleteUserPoolDomain", &D::DeleteUserPoolDomain, Execution::kWorker},
  };
  Bind(d, std::make_shared<D>(directory), domains);
}

}  // namespace cognate::api
