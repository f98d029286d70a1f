#include "api/cognito/pool_actions.h"

namespace cognate::api {

void RegisterPoolActions(CognitoDispatcher& d, identity::PoolService& pools) {
  using Method = Result<boost::json::object> (identity::PoolService::*)(const boost::json::object&);
  const std::pair<const char*, Method> actions[] = {
      {"CreateUserPool", &identity::PoolService::CreateUserPool},
      {"DescribeUserPool", &identity::PoolService::DescribeUserPool},
      {"UpdateUserPool", &identity::PoolService::UpdateUserPool},
      {"DeleteUserPool", &identity::PoolService::DeleteUserPool},
      {"ListUserPools", &identity::PoolService::ListUserPools},
      {"AddCustomAttributes", &identity::PoolService::AddCustomAttributes},
      {"CreateUserPoolClient", &identity::PoolService::CreateUserPoolClient},
      {"DescribeUserPoolClient", &identity::PoolService::DescribeUserPoolClient},
      {"UpdateUserPoolClient", &identity::PoolService::UpdateUserPoolClient},
      {"DeleteUserPoolClient", &identity::PoolService::DeleteUserPoolClient},
      {"ListUserPoolClients", &identity::PoolService::ListUserPoolClients},
  };
  for (const auto& [name, method] : actions) {
    d.Register(name, [&pools, method](const boost::json::object& body, const CallContext&) {
      return (pools.*method)(body);
    });
  }
}

}  // namespace cognate::api
