#include "identity/group_shapes.h"

#include <algorithm>

#include "crypto/encoding.h"
#include "identity/ids.h"
#include "identity/json_fields.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

// Tags tell the listings' tokens apart, so one listing's token is refused by another.
std::string_view Tag(GroupListing listing) {
  switch (listing) {
    case GroupListing::kGroups:
      return "groups:";
    case GroupListing::kGroupsForUser:
      return "user-groups:";
    case GroupListing::kUsersInGroup:
      return "members:";
  }
  return "";
}

}  // namespace

json::object GroupType(const store::GroupRecord& group) {
  json::object out{{"GroupName", group.name}, {"UserPoolId", group.pool_id}};
  if (!group.description.empty()) out["Description"] = group.description;
  if (!group.role_arn.empty()) out["RoleArn"] = group.role_arn;
  if (group.precedence) out["Precedence"] = *group.precedence;
  out["LastModifiedDate"] = EpochSeconds(group.modified_ms);
  out["CreationDate"] = EpochSeconds(group.created_ms);
  return out;
}

Error GroupNotFound() { return Error::NotFound("Group not found."); }

std::string EncodeGroupPageToken(GroupListing listing, std::string_view next_after) {
  std::string plain(Tag(listing));
  plain.append(next_after);
  return EncodePageToken(plain);
}

Result<std::string> ResumeAfter(GroupListing listing, const json::object& request) {
  std::optional<std::string> token = GetString(request, "NextToken");
  if (!token) return std::string();
  std::optional<std::string> plain = crypto::Base64UrlDecode(*token);
  std::string_view tag = Tag(listing);
  if (!plain || !plain->starts_with(tag) || plain->size() == tag.size())
    return Error::InvalidParameter("The pagination token is not valid.");
  return plain->substr(tag.size());
}

int GroupPageSize(std::optional<int64_t> limit) {
  // The model allows Limit 0; it is taken as "no preference" rather than an empty page.
  constexpr int64_t kMaxPage = 60;
  if (!limit || *limit <= 0) return static_cast<int>(kMaxPage);
  return static_cast<int>(std::min(*limit, kMaxPage));
}

}  // namespace cognate::identity
