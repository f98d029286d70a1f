// GroupService: the group actions. Membership actions are in group_membership.cc.

#include "identity/group_service.h"

#include <boost/json/array.hpp>
#include <limits>
#include <optional>
#include <utility>

#include "identity/group_shapes.h"
#include "identity/json_fields.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

// Quota checks page through a listing in chunks of this size.
constexpr int kCountChunk = 1000;

// Precedence as the request gives it. The front door already refuses values outside a Java int
// (0..2^31-1); this guards direct callers.
Result<std::optional<int64_t>> ReadPrecedence(const json::object& request) {
  std::optional<int64_t> precedence = GetInt(request, "Precedence");
  if (precedence && (*precedence < 0 || *precedence > std::numeric_limits<int32_t>::max())) {
    return Error::InvalidParameter(
        "1 validation error detected: Value '" + std::to_string(*precedence) +
        "' at 'precedence' failed to satisfy constraint: Member must have value between 0 and " +
        std::to_string(std::numeric_limits<int32_t>::max()));
  }
  return precedence;
}

// The store words a vanished group its own way; callers see Cognito's words.
Status AsGroupNotFound(Status status) {
  if (!status.ok() && status.error().Is("ResourceNotFoundException")) return GroupNotFound();
  return status;
}

}  // namespace

GroupService::GroupService(UserDirectory& directory) : directory_(directory) {}

Result<PoolContext> GroupService::LoadPool(const json::object& request) const {
  return directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
}

Result<store::GroupRecord> GroupService::LoadGroup(const std::string& pool_id,
                                                   const json::object& request) const {
  auto found = groups().GetGroup(pool_id, GetString(request, "GroupName").value_or(""));
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return GroupNotFound();
  return std::move(**found);
}

Status GroupService::CheckPoolGroupQuota(const std::string& pool_id) const {
  int64_t count = 0;
  std::string after;
  do {
    auto page = groups().ListGroups(pool_id, after, kCountChunk);
    if (!page.ok()) return std::move(page).error();
    count += static_cast<int64_t>(page->items.size());
    after = std::move(page->next_after);
  } while (!after.empty() && count < kMaxGroupsPerPool);
  if (count >= kMaxGroupsPerPool) {
    return Error::LimitExceeded("The user pool has reached its limit of " +
                                std::to_string(kMaxGroupsPerPool) + " groups.");
  }
  return OkStatus();
}

Result<json::object> GroupService::CreateGroup(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  auto precedence = ReadPrecedence(request);
  if (!precedence.ok()) return std::move(precedence).error();
  std::string name = GetString(request, "GroupName").value_or("");
  // An existing name is reported before a full pool (the store checks it again on insert).
  auto existing = groups().GetGroup(pool->id(), name);
  if (!existing.ok()) return std::move(existing).error();
  if (existing->has_value()) {
    return Error::Make("GroupExistsException",
                       "A group with the name " + name + " already exists.");
  }
  COGNATE_RETURN_IF_ERROR(CheckPoolGroupQuota(pool->id()));

  int64_t now_ms = directory_.clock().NowMs();
  store::GroupRecord group{pool->id(),
                           std::move(name),
                           GetString(request, "Description").value_or(""),
                           GetString(request, "RoleArn").value_or(""),
                           *precedence,
                           now_ms,
                           now_ms};
  COGNATE_RETURN_IF_ERROR(groups().CreateGroup(group));
  return json::object{{"Group", GroupType(group)}};
}

Result<json::object> GroupService::GetGroup(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  auto group = LoadGroup(pool->id(), request);
  if (!group.ok()) return std::move(group).error();
  return json::object{{"Group", GroupType(*group)}};
}

// Members the request leaves out keep their values. The API reference once said they were
// "set to the default value", but that sentence was dropped and the current reference says the
// action "updates any of the properties" given (its example omits RoleArn and gets the old one
// back). A Description of "" clears the description; Precedence cannot be unset.
// Not version-checked: two concurrent updates of one group may lose one of them.
Result<json::object> GroupService::UpdateGroup(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  auto precedence = ReadPrecedence(request);
  if (!precedence.ok()) return std::move(precedence).error();
  auto group = LoadGroup(pool->id(), request);
  if (!group.ok()) return std::move(group).error();
  if (std::optional<std::string> v = GetString(request, "Description")) group->description = *v;
  if (std::optional<std::string> v = GetString(request, "RoleArn")) group->role_arn = *v;
  if (*precedence) group->precedence = *precedence;
  group->modified_ms = directory_.clock().NowMs();
  COGNATE_RETURN_IF_ERROR(AsGroupNotFound(groups().UpdateGroup(*group)));
  return json::object{{"Group", GroupType(*group)}};
}

Result<json::object> GroupService::DeleteGroup(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  std::string name = GetString(request, "GroupName").value_or("");
  COGNATE_RETURN_IF_ERROR(AsGroupNotFound(groups().DeleteGroup(pool->id(), name)));
  return json::object();
}

Result<json::object> GroupService::ListGroups(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  auto after = ResumeAfter(GroupListing::kGroups, request);
  if (!after.ok()) return std::move(after).error();
  auto page = groups().ListGroups(pool->id(), *after, GroupPageSize(GetInt(request, "Limit")));
  if (!page.ok()) return std::move(page).error();
  json::array items;
  for (const store::GroupRecord& group : page->items) items.push_back(GroupType(group));
  json::object out{{"Groups", std::move(items)}};
  if (!page->next_after.empty())
    out["NextToken"] = EncodeGroupPageToken(GroupListing::kGroups, page->next_after);
  return out;
}

}  // namespace cognate::identity
