#pragma once
// Resource servers: the custom OAuth scopes of a user pool. Cognito's rules and shapes for
// CreateResourceServer, DescribeResourceServer, UpdateResourceServer, DeleteResourceServer and
// ListResourceServers.
//
// Each resource server is one PoolDocumentRecord of kind kResourceServer named by its Identifier;
// its body is the ResourceServerType the actions return ({UserPoolId, Identifier, Name,
// Scopes[{ScopeName, ScopeDescription}]}, Scopes always present). Identifiers compare exactly and
// are unique per pool; scope names are unique per server. A client refers to a scope as
// "<Identifier>/<ScopeName>" (CustomScopesOf). Deleting a server leaves the clients that name its
// scopes as they are (as Cognito does); those scopes simply stop being grantable.
//
// Errors: ResourceNotFoundException for an unknown pool or server, InvalidParameterException for
// a taken identifier, duplicate scope names or a bad NextToken, LimitExceededException past 25
// servers per pool. Thread-safe: no mutable state. The per-pool quota is checked before the
// insert, so racing creators can overshoot it by a few.

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "identity/user_directory.h"
#include "store/stores.h"

namespace cognate::identity {

inline constexpr int kMaxResourceServersPerPool = 25;
inline constexpr int kMaxScopesPerResourceServer = 100;

class ResourceServerService {
 public:
  explicit ResourceServerService(UserDirectory& directory);

  Result<boost::json::object> CreateResourceServer(const boost::json::object& request);
  Result<boost::json::object> DescribeResourceServer(const boost::json::object& request);
  Result<boost::json::object> UpdateResourceServer(const boost::json::object& request);
  Result<boost::json::object> DeleteResourceServer(const boost::json::object& request);
  Result<boost::json::object> ListResourceServers(const boost::json::object& request);

 private:
  // The stored document the request's UserPoolId and Identifier name.
  Result<store::PoolDocumentRecord> LoadServer(const boost::json::object& request) const;
  Status CheckQuota(const std::string& pool_id) const;

  store::PoolDocumentStore& documents() const { return *directory_.stores().documents; }

  UserDirectory& directory_;
};

// Every "<Identifier>/<ScopeName>" of the pool's resource servers, in identifier order.
Result<std::vector<std::string>> CustomScopesOf(store::PoolDocumentStore& documents,
                                                const std::string& pool_id);

}  // namespace cognate::identity
