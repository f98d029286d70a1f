// GroupService: the membership actions (which users belong to which groups).

#include <boost/json/array.hpp>
#include <utility>

#include "identity/group_service.h"
#include "identity/group_shapes.h"
#include "identity/json_fields.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

// Membership quota checks page through a user's groups in chunks of this size.
constexpr int kCountChunk = 100;

std::string Username(const json::object& request) {
  return GetString(request, "Username").value_or("");
}

}  // namespace

Result<bool> GroupService::CheckUserGroupQuota(const std::string& pool_id,
                                               const std::string& username_key,
                                               const std::string& group) const {
  int64_t count = 0;
  std::string after;
  do {
    auto page = groups().ListGroupsForUser(pool_id, username_key, after, kCountChunk);
    if (!page.ok()) return std::move(page).error();
    for (const store::GroupRecord& g : page->items)
      if (g.name == group) return true;  // Already a member: adding again changes nothing.
    count += static_cast<int64_t>(page->items.size());
    after = std::move(page->next_after);
  } while (!after.empty());
  if (count >= kMaxGroupsPerUser) {
    return Error::LimitExceeded("The user has reached its limit of " +
                                std::to_string(kMaxGroupsPerUser) + " groups.");
  }
  return false;
}

// Which of an unknown user and an unknown group Cognito reports first is not documented; the
// user is checked first (clients tell the two apart by __type either way).
Result<json::object> GroupService::AdminAddUserToGroup(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  auto user = directory_.Require(*pool, Username(request));
  if (!user.ok()) return std::move(user).error();
  auto group = LoadGroup(pool->id(), request);
  if (!group.ok()) return std::move(group).error();
  auto member = CheckUserGroupQuota(pool->id(), user->username_key, group->name);
  if (!member.ok()) return std::move(member).error();
  if (*member) return json::object();
  Status added = groups().AddMember(pool->id(), group->name, user->username_key);
  // The store reports a user deleted meanwhile as ResourceNotFoundException; callers see
  // UserNotFoundException, as if the user had been missing from the start.
  if (!added.ok() && added.error().Is("ResourceNotFoundException") &&
      added.error().message != GroupNotFound().message)
    return UserNotFound();
  COGNATE_RETURN_IF_ERROR(std::move(added));
  return json::object();
}

// Removing a user from a group it is not in succeeds, as in Cognito.
Result<json::object> GroupService::AdminRemoveUserFromGroup(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  auto user = directory_.Require(*pool, Username(request));
  if (!user.ok()) return std::move(user).error();
  auto group = LoadGroup(pool->id(), request);
  if (!group.ok()) return std::move(group).error();
  Status removed = groups().RemoveMember(pool->id(), group->name, user->username_key);
  // A membership that is not there (or vanished meanwhile) is the outcome asked for.
  if (!removed.ok() && !removed.error().Is("ResourceNotFoundException"))
    return std::move(removed).error();
  return json::object();
}

Result<json::object> GroupService::AdminListGroupsForUser(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  auto user = directory_.Require(*pool, Username(request));
  if (!user.ok()) return std::move(user).error();
  auto after = ResumeAfter(GroupListing::kGroupsForUser, request);
  if (!after.ok()) return std::move(after).error();
  auto page = groups().ListGroupsForUser(pool->id(), user->username_key, *after,
                                         GroupPageSize(GetInt(request, "Limit")));
  if (!page.ok()) return std::move(page).error();
  json::array items;
  for (const store::GroupRecord& group : page->items) items.push_back(GroupType(group));
  json::object out{{"Groups", std::move(items)}};
  if (!page->next_after.empty())
    out["NextToken"] = EncodeGroupPageToken(GroupListing::kGroupsForUser, page->next_after);
  return out;
}

Result<json::object> GroupService::ListUsersInGroup(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  auto group = LoadGroup(pool->id(), request);
  if (!group.ok()) return std::move(group).error();
  auto after = ResumeAfter(GroupListing::kUsersInGroup, request);
  if (!after.ok()) return std::move(after).error();
  auto page = groups().ListUsersInGroup(pool->id(), group->name, *after,
                                        GroupPageSize(GetInt(request, "Limit")));
  if (!page.ok()) return std::move(page).error();
  json::array users;
  for (const store::UserRecord& record : page->items) {
    auto user = UserDirectory::UserType(record);
    if (!user.ok()) return std::move(user).error();
    users.push_back(std::move(*user));
  }
  json::object out{{"Users", std::move(users)}};
  if (!page->next_after.empty())
    out["NextToken"] = EncodeGroupPageToken(GroupListing::kUsersInGroup, page->next_after);
  return out;
}

}  // namespace cognate::identity
