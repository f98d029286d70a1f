#pragma once
// Output shapes, errors and page tokens shared by the group actions (group_service.h).

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "store/user_records.h"

namespace cognate::identity {

// GroupType: GroupName, UserPoolId, Description and RoleArn (when not empty), Precedence (when
// set), LastModifiedDate, CreationDate.
boost::json::object GroupType(const store::GroupRecord& group);

// ResourceNotFoundException "Group not found.", as Cognito words it.
Error GroupNotFound();

// The listings a NextToken can continue. A token only continues the kind that made it.
enum class GroupListing { kGroups, kGroupsForUser, kUsersInGroup };

// The opaque NextToken for a store page's `next_after`.
std::string EncodeGroupPageToken(GroupListing listing, std::string_view next_after);
// The `after` to resume from: "" when the request has no NextToken, InvalidParameterException
// when it has one this server did not make for this listing.
Result<std::string> ResumeAfter(GroupListing listing, const boost::json::object& request);

// The page size of a group listing: Limit 1..60; 60 when absent or 0.
int GroupPageSize(std::optional<int64_t> limit);

}  // namespace cognate::identity
