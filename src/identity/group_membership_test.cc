// GroupService membership actions: AdminAddUserToGroup, AdminRemoveUserFromGroup,
// AdminListGroupsForUser and ListUsersInGroup.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "identity/group_service.h"
#include "identity/testing/group_fixture.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

class GroupMembershipTest : public fakes::GroupServiceFixture {
 protected:
  GroupMembershipTest() : pool_(NewPool({{"AliasAttributes", json::array{"email"}}})) {}

  std::vector<std::string> GroupsOf(const std::string& username) {
    return ListAll({{"UserPoolId", pool_}, {"Username", username}}, "Groups", "GroupName",
                   [&](const json::object& r) { return service_.AdminListGroupsForUser(r); });
  }
  std::vector<std::string> MembersOf(const std::string& group) {
    return ListAll({{"UserPoolId", pool_}, {"GroupName", group}}, "Users", "Username",
                   [&](const json::object& r) { return service_.ListUsersInGroup(r); });
  }
  json::object Request(const std::string& username, const std::string& group) {
    return {{"UserPoolId", pool_}, {"Username", username}, {"GroupName", group}};
  }

  std::string pool_;
};

using Strings = std::vector<std::string>;

TEST_F(GroupMembershipTest, AddPutsTheUserInTheGroupOnce) {
  AddUser(pool_, "alice");
  CreateGroup(pool_, "admins");
  CreateGroup(pool_, "staff");
  EXPECT_EQ(Ok(service_.AdminAddUserToGroup(Request("alice", "admins"))), json::object());
  AddToGroup(pool_, "alice", "admins");  // again: no change, no error
  AddToGroup(pool_, "alice", "staff");
  EXPECT_EQ(GroupsOf("alice"), (Strings{"admins", "staff"}));
  EXPECT_EQ(MembersOf("admins"), Strings{"alice"});
}

TEST_F(GroupMembershipTest, UsersAreNamedByUsernameAliasOrSub) {
  AddUser(pool_, "bob", "bob@example.com");
  CreateGroup(pool_, "a");
  CreateGroup(pool_, "b");
  AddToGroup(pool_, "bob@example.com", "a");
  AddToGroup(pool_, "sub-bob", "b");
  EXPECT_EQ(GroupsOf("bob"), (Strings{"a", "b"}));
  EXPECT_EQ(GroupsOf("sub-bob"), (Strings{"a", "b"}));
}

TEST_F(GroupMembershipTest, UnknownUserGroupOrPool) {
  AddUser(pool_, "alice");
  CreateGroup(pool_, "admins");
  for (auto call : {&GroupService::AdminAddUserToGroup, &GroupService::AdminRemoveUserFromGroup,
                    &GroupService::AdminListGroupsForUser}) {
    Error e = Fails((service_.*call)(Request("nobody", "admins")));
    EXPECT_EQ(e.type, "UserNotFoundException");
    EXPECT_EQ(e.message, "User does not exist.");
    json::object other_pool = Request("alice", "admins");
    other_pool["UserPoolId"] = "eu-west-1_nope";
    e = Fails((service_.*call)(other_pool));
    EXPECT_EQ(e.type, "ResourceNotFoundException");
    EXPECT_EQ(e.message, "User pool eu-west-1_nope does not exist.");
  }
  for (auto call : {&GroupService::AdminAddUserToGroup, &GroupService::AdminRemoveUserFromGroup}) {
    Error e = Fails((service_.*call)(Request("alice", "ghost")));
    EXPECT_EQ(e.type, "ResourceNotFoundException");
    EXPECT_EQ(e.message, "Group not found.");
  }
  EXPECT_TRUE(GroupsOf("alice").empty());
}

TEST_F(GroupMembershipTest, RemoveTakesTheUserOutAndSucceedsWhenNotAMember) {
  AddUser(pool_, "alice");
  AddUser(pool_, "bob");
  CreateGroup(pool_, "admins");
  AddToGroup(pool_, "alice", "admins");
  AddToGroup(pool_, "bob", "admins");
  EXPECT_EQ(Ok(service_.AdminRemoveUserFromGroup(Request("alice", "admins"))), json::object());
  EXPECT_EQ(MembersOf("admins"), Strings{"bob"});
  EXPECT_EQ(Ok(service_.AdminRemoveUserFromGroup(Request("alice", "admins"))), json::object());
  EXPECT_TRUE(GroupsOf("alice").empty());
}

TEST_F(GroupMembershipTest, DeletingAGroupRemovesItsMemberships) {
  AddUser(pool_, "alice");
  CreateGroup(pool_, "admins");
  CreateGroup(pool_, "staff");
  AddToGroup(pool_, "alice", "admins");
  AddToGroup(pool_, "alice", "staff");
  Ok(service_.DeleteGroup({{"UserPoolId", pool_}, {"GroupName", "admins"}}));
  EXPECT_EQ(GroupsOf("alice"), Strings{"staff"});
  CreateGroup(pool_, "admins");  // a new group of the same name starts empty
  EXPECT_TRUE(MembersOf("admins").empty());
}

TEST_F(GroupMembershipTest, UserQuotaIsOneHundredGroups) {
  AddUser(pool_, "alice");
  for (int i = 0; i < kMaxGroupsPerUser; ++i) {
    std::string name = "g" + std::to_string(100 + i);
    PutGroup(pool_, name);
    ASSERT_TRUE(stores_.groups->AddMember(pool_, name, "alice").ok());
  }
  CreateGroup(pool_, "one-more");
  Error e = Fails(service_.AdminAddUserToGroup(Request("alice", "one-more")));
  EXPECT_EQ(e.type, "LimitExceededException");
  AddToGroup(pool_, "alice", "g150");  // already a member: still fine
  Ok(service_.AdminRemoveUserFromGroup(Request("alice", "g150")));
  AddToGroup(pool_, "alice", "one-more");
  EXPECT_EQ(GroupsOf("alice").size(), 100u);
}

TEST_F(GroupMembershipTest, AdminListGroupsForUserPagesOverEveryGroupOnce) {
  AddUser(pool_, "alice");
  AddUser(pool_, "bob");
  Strings expected;
  for (int i = 0; i < 130; ++i) {
    expected.push_back("group-" + std::to_string(i));
    CreateGroup(pool_, expected.back(), {{"Description", "d"}});
    if (i % 2 == 0) AddToGroup(pool_, "bob", expected.back());
  }
  // Alice's quota is 100: her 130 memberships are made straight in the store.
  for (const std::string& name : expected)
    ASSERT_TRUE(stores_.groups->AddMember(pool_, name, "alice").ok());
  std::sort(expected.begin(), expected.end());
  int pages = 0;
  EXPECT_EQ(ListAll({{"UserPoolId", pool_}, {"Username", "alice"}, {"Limit", 13}}, "Groups",
                    "GroupName",
                    [&](const json::object& r) { return service_.AdminListGroupsForUser(r); },
                    &pages),
            expected);
  EXPECT_EQ(pages, 10);
  EXPECT_EQ(GroupsOf("alice"), expected);
  EXPECT_EQ(GroupsOf("bob").size(), 65u);

  json::object first = Ok(service_.AdminListGroupsForUser(
      {{"UserPoolId", pool_}, {"Username", "alice"}, {"Limit", 1}}));
  EXPECT_EQ(first["Groups"].as_array()[0].as_object()["Description"], "d");
  EXPECT_EQ(first["Groups"].as_array()[0].as_object()["UserPoolId"], json::value(pool_));
  Error e = Fails(service_.AdminListGroupsForUser(
      {{"UserPoolId", pool_}, {"Username", "alice"}, {"NextToken", "not-a-token"}}));
  EXPECT_EQ(e.type, "InvalidParameterException");
}

TEST_F(GroupMembershipTest, ListUsersInGroupPagesOverEveryMemberOnce) {
  CreateGroup(pool_, "crowd");
  CreateGroup(pool_, "empty");
  Strings expected;
  for (int i = 0; i < 130; ++i) {
    expected.push_back("user-" + std::to_string(i));
    AddUser(pool_, expected.back());
    AddToGroup(pool_, expected.back(), "crowd");
  }
  std::sort(expected.begin(), expected.end());
  int pages = 0;
  auto list = [&](const json::object& r) { return service_.ListUsersInGroup(r); };
  EXPECT_EQ(ListAll({{"UserPoolId", pool_}, {"GroupName", "crowd"}}, "Users", "Username", list,
                    &pages),
            expected);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(ListAll({{"UserPoolId", pool_}, {"GroupName", "crowd"}, {"Limit", 60}}, "Users",
                    "Username", list, &pages),
            expected);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(Ok(service_.ListUsersInGroup({{"UserPoolId", pool_}, {"GroupName", "empty"}})),
            (json::object{{"Users", json::array()}}));

  json::object first = Ok(service_.ListUsersInGroup(
      {{"UserPoolId", pool_}, {"GroupName", "crowd"}, {"Limit", 1}}));
  auto user = directory_.Require(*directory_.LoadPool(pool_), expected[0]);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(first["Users"].as_array()[0], *UserDirectory::UserType(*user));
  EXPECT_EQ(first["Users"].as_array()[0].as_object()["UserStatus"], "CONFIRMED");
}

TEST_F(GroupMembershipTest, DeletedUsersLeaveTheirGroups) {
  AddUser(pool_, "alice");
  CreateGroup(pool_, "admins");
  AddToGroup(pool_, "alice", "admins");
  ASSERT_TRUE(stores_.users->DeleteUser(pool_, "alice").ok());
  EXPECT_TRUE(MembersOf("admins").empty());
}

}  // namespace
}  // namespace cognate::identity
