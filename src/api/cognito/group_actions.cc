#include "api/cognito/group_actions.h"

namespace cognate::api {

void RegisterGroupActions(CognitoDispatcher& d, identity::GroupService& groups) {
  using Method =
      Result<boost::json::object> (identity::GroupService::*)(const boost::json::object&);
  using G = identity::GroupService;
  struct Binding {
    const char* name;
    Method method;
    Execution execution;  // Writes wait on fsync, so they run on the worker pool.
  };
  const Binding actions[] = {
      {"CreateGroup", &G::CreateGroup, Execution::kWorker},
      {"GetGroup", &G::GetGroup, Execution::kInline},
      {"UpdateGroup", &G::UpdateGroup, Execution::kWorker},
      {"DeleteGroup", &G::DeleteGroup, Execution::kWorker},
      {"ListGroups", &G::ListGroups, Execution::kInline},
      {"AdminAddUserToGroup", &G::AdminAddUserToGroup, Execution::kWorker},
      {"AdminRemoveUserFromGroup", &G::AdminRemoveUserFromGroup, Execution::kWorker},
      {"AdminListGroupsForUser", &G::AdminListGroupsForUser, Execution::kInline},
      {"ListUsersInGroup", &G::ListUsersInGroup, Execution::kInline},
  };
  for (const auto& a : actions) {
    d.Register(
        a.name,
        [&groups, method = a.method](const boost::json::object& body, const CallContext&) {
          return (groups.*method)(body);
        },
        a.execution);
  }
}

}  // namespace cognate::api
