#include "api/cognito/pool_actions.h"

namespace cognate::api {

void RegisterPoolActions(CognitoDispatcher& d, identity::PoolService& pools) {
  using Method = Result<boost::json::object> (identity::PoolService::*)(const boost::json::object&);
  struct Binding {
    const char* name;
    Method method;
    Execution execution;  // Writes wait on fsync (and CreateUserPool on RSA key generation).
  };
  const Binding actions[] = {
      {"CreateUserPool", &identity::PoolService::CreateUserPool, Execution::kWorker},
      {"DescribeUserPool", &identity::PoolService::DescribeUserPool, Execution::kInline},
      {"UpdateUserPool", &identity::PoolService::UpdateUserPool, Execution::kWorker},
      {"DeleteUserPool", &identity::PoolService::DeleteUserPool, Execution::kWorker},
      {"ListUserPools", &identity::PoolService::ListUserPools, Execution::kInline},
      {"AddCustomAttributes", &identity::PoolService::AddCustomAttributes, Execution::kWorker},
      {"CreateUserPoolClient", &identity::PoolService::CreateUserPoolClient, Execution::kWorker},
      {"DescribeUserPoolClient", &identity::PoolService::DescribeUserPoolClient,
       Execution::kInline},
      {"UpdateUserPoolClient", &identity::PoolService::UpdateUserPoolClient, Execution::kWorker},
      {"DeleteUserPoolClient", &identity::PoolService::DeleteUserPoolClient, Execution::kWorker},
      {"ListUserPoolClients", &identity::PoolService::ListUserPoolClients, Execution::kInline},
  };
  for (const auto& a : actions) {
    d.Register(
        a.name,
        [&pools, method = a.method](const boost::json::object& body, const CallContext&) {
          return (pools.*method)(body);
        },
        a.execution);
  }
}

}  // namespace cognate::api
