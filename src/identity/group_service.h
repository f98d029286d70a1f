#pragma once
// User pool groups: Cognito's rules and output shapes for CreateGroup, GetGroup, UpdateGroup,
// DeleteGroup, ListGroups, AdminAddUserToGroup, AdminRemoveUserFromGroup,
// AdminListGroupsForUser and ListUsersInGroup.
//
// Each method takes the action's request JSON object (already checked against the service
// model's types and constraints by api/) and returns the action's response JSON object as
// Cognito shapes it (GroupType: unset Description/RoleArn/Precedence omitted, dates as epoch
// seconds), or an Error with Cognito's type and message. Users are named as in every admin
// action: username, email/phone used as username, verified alias or sub (UserDirectory::Require).
//
// Group names compare exactly (case-sensitive). Listings are ordered by group name (groups) or by
// the pool's username key (members); NextToken is opaque, bound to the kind of listing that made
// it, and a token this server did not make is InvalidParameterException.
//
// Thread-safe: holds no mutable state. The quotas (10,000 groups per pool, 100 groups per user)
// are checked before the write, not inside the store's transaction, so racing writers can
// overshoot them by a few.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "common/result.h"
#include "identity/user_directory.h"
#include "store/user_stores.h"

namespace cognate::identity {

inline constexpr int64_t kMaxGroupsPerPool = 10'000;
inline constexpr int64_t kMaxGroupsPerUser = 100;

class GroupService {
 public:
  explicit GroupService(UserDirectory& directory);

  Result<boost::json::object> CreateGroup(const boost::json::object& request);
  Result<boost::json::object> GetGroup(const boost::json::object& request);
  Result<boost::json::object> UpdateGroup(const boost::json::object& request);
  Result<boost::json::object> DeleteGroup(const boost::json::object& request);
  Result<boost::json::object> ListGroups(const boost::json::object& request);

  Result<boost::json::object> AdminAddUserToGroup(const boost::json::object& request);
  Result<boost::json::object> AdminRemoveUserFromGroup(const boost::json::object& request);
  Result<boost::json::object> AdminListGroupsForUser(const boost::json::object& request);
  Result<boost::json::object> ListUsersInGroup(const boost::json::object& request);

 private:
  // The pool the request names (ResourceNotFoundException "User pool <id> does not exist.").
  Result<PoolContext> LoadPool(const boost::json::object& request) const;
  // The group the request's GroupName names (ResourceNotFoundException "Group not found.").
  Result<store::GroupRecord> LoadGroup(const std::string& pool_id,
                                       const boost::json::object& request) const;
  // LimitExceededException when the pool already holds kMaxGroupsPerPool groups.
  Status CheckPoolGroupQuota(const std::string& pool_id) const;
  // Whether the user already belongs to `group`; LimitExceededException when it does not and
  // already belongs to kMaxGroupsPerUser groups.
  Result<bool> CheckUserGroupQuota(const std::string& pool_id, const std::string& username_key,
                                   const std::string& group) const;

  store::GroupStore& groups() const { return *directory_.stores().groups; }

  UserDirectory& directory_;
};

}  // namespace cognate::identity
