// GroupService: creating, reading, updating, deleting and listing groups. Membership actions are
// tested in group_membership_test.cc.

#include "identity/group_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "identity/testing/group_fixture.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

class GroupServiceTest : public fakes::GroupServiceFixture {
 protected:
  json::object Get(const std::string& pool_id, const std::string& name) {
    json::object out = Ok(service_.GetGroup({{"UserPoolId", pool_id}, {"GroupName", name}}));
    return out.contains("Group") ? out["Group"].as_object() : json::object();
  }
};

TEST_F(GroupServiceTest, CreateReturnsTheGroupAndGetReadsItBack) {
  std::string pool = NewPool();
  json::object group = CreateGroup(pool, "admins",
                                   {{"Description", "The admins"},
                                    {"RoleArn", "arn:aws:iam::123456789012:role/Admin"},
                                    {"Precedence", 3}});
  json::object expected{{"GroupName", "admins"},
                        {"UserPoolId", pool},
                        {"Description", "The admins"},
                        {"RoleArn", "arn:aws:iam::123456789012:role/Admin"},
                        {"Precedence", 3},
                        {"LastModifiedDate", 1700000000.123},
                        {"CreationDate", 1700000000.123}};
  EXPECT_EQ(group, expected);
  EXPECT_EQ(Get(pool, "admins"), expected);
}

TEST_F(GroupServiceTest, UnsetMembersAreLeftOut) {
  std::string pool = NewPool();
  json::object group = CreateGroup(pool, "plain");
  EXPECT_EQ(group, (json::object{{"GroupName", "plain"},
                                 {"UserPoolId", pool},
                                 {"LastModifiedDate", 1700000000.123},
                                 {"CreationDate", 1700000000.123}}));
}

TEST_F(GroupServiceTest, NamesAreUniquePerPoolAndCaseSensitive) {
  std::string pool = NewPool();
  std::string other = NewPool();
  CreateGroup(pool, "Admins");
  Error e = Fails(service_.CreateGroup({{"UserPoolId", pool}, {"GroupName", "Admins"}}));
  EXPECT_EQ(e.type, "GroupExistsException");
  EXPECT_EQ(e.message, "A group with the name Admins already exists.");
  CreateGroup(pool, "admins");
  CreateGroup(other, "Admins");
}

TEST_F(GroupServiceTest, UnknownPoolIsResourceNotFound) {
  json::object request{{"UserPoolId", "eu-west-1_nope"}, {"GroupName", "g"}};
  for (auto call : {&GroupService::CreateGroup, &GroupService::GetGroup,
                    &GroupService::UpdateGroup, &GroupService::DeleteGroup,
                    &GroupService::ListGroups, &GroupService::ListUsersInGroup}) {
    Error e = Fails((service_.*call)(request));
    EXPECT_EQ(e.type, "ResourceNotFoundException");
    EXPECT_EQ(e.message, "User pool eu-west-1_nope does not exist.");
  }
}

TEST_F(GroupServiceTest, UnknownGroupIsGroupNotFound) {
  std::string pool = NewPool();
  json::object request{{"UserPoolId", pool}, {"GroupName", "ghost"}};
  for (auto call : {&GroupService::GetGroup, &GroupService::UpdateGroup,
                    &GroupService::DeleteGroup, &GroupService::ListUsersInGroup}) {
    Error e = Fails((service_.*call)(request));
    EXPECT_EQ(e.type, "ResourceNotFoundException");
    EXPECT_EQ(e.message, "Group not found.");
  }
}

TEST_F(GroupServiceTest, PrecedenceRoundTripsAcrossItsRange) {
  std::string pool = NewPool();
  for (int64_t precedence : {int64_t{0}, int64_t{1}, int64_t{2147483647}}) {
    std::string name = "p" + std::to_string(precedence);
    EXPECT_EQ(CreateGroup(pool, name, {{"Precedence", precedence}})["Precedence"], precedence);
    EXPECT_EQ(Get(pool, name)["Precedence"], precedence);
  }
  for (int64_t bad : {int64_t{-1}, int64_t{2147483648}}) {
    Error e = Fails(service_.CreateGroup(
        {{"UserPoolId", pool}, {"GroupName", "bad"}, {"Precedence", bad}}));
    EXPECT_EQ(e.type, "InvalidParameterException");
    e = Fails(
        service_.UpdateGroup({{"UserPoolId", pool}, {"GroupName", "p0"}, {"Precedence", bad}}));
    EXPECT_EQ(e.type, "InvalidParameterException");
  }
  EXPECT_EQ(Get(pool, "p0")["Precedence"], 0);
}

TEST_F(GroupServiceTest, PoolQuotaIsTenThousandGroups) {
  std::string pool = NewPool();
  char name[16];
  for (int i = 0; i < kMaxGroupsPerPool; ++i) {
    std::snprintf(name, sizeof name, "g%05d", i);
    PutGroup(pool, name);
  }
  Error e = Fails(service_.CreateGroup({{"UserPoolId", pool}, {"GroupName", "one-more"}}));
  EXPECT_EQ(e.type, "LimitExceededException");
  // A taken name is still reported as such.
  e = Fails(service_.CreateGroup({{"UserPoolId", pool}, {"GroupName", "g00000"}}));
  EXPECT_EQ(e.type, "GroupExistsException");
  Ok(service_.DeleteGroup({{"UserPoolId", pool}, {"GroupName", "g00000"}}));
  CreateGroup(pool, "one-more");
  // Another pool has its own quota.
  CreateGroup(NewPool(), "one-more");
}

TEST_F(GroupServiceTest, UpdateChangesWhatIsGivenAndKeepsTheRest) {
  std::string pool = NewPool();
  CreateGroup(pool, "g",
              {{"Description", "d1"}, {"RoleArn", "arn:aws:iam::1:role/R1"}, {"Precedence", 5}});
  clock_.AdvanceMs(60'000);
  json::object out =
      Ok(service_.UpdateGroup({{"UserPoolId", pool}, {"GroupName", "g"}, {"Precedence", 2}}));
  json::object expected{{"GroupName", "g"},
                        {"UserPoolId", pool},
                        {"Description", "d1"},
                        {"RoleArn", "arn:aws:iam::1:role/R1"},
                        {"Precedence", 2},
                        {"LastModifiedDate", 1700000060.123},
                        {"CreationDate", 1700000000.123}};
  EXPECT_EQ(out["Group"], expected);
  EXPECT_EQ(Get(pool, "g"), expected);

  out = Ok(service_.UpdateGroup({{"UserPoolId", pool},
                                 {"GroupName", "g"},
                                 {"Description", ""},
                                 {"RoleArn", "arn:aws:iam::1:role/R2"}}));
  expected.erase("Description");
  expected["RoleArn"] = "arn:aws:iam::1:role/R2";
  EXPECT_EQ(out["Group"], expected);
  EXPECT_EQ(Get(pool, "g"), expected);
}

TEST_F(GroupServiceTest, DeleteRemovesTheGroup) {
  std::string pool = NewPool();
  CreateGroup(pool, "g");
  EXPECT_EQ(Ok(service_.DeleteGroup({{"UserPoolId", pool}, {"GroupName", "g"}})), json::object());
  Error e = Fails(service_.GetGroup({{"UserPoolId", pool}, {"GroupName", "g"}}));
  EXPECT_EQ(e.message, "Group not found.");
  e = Fails(service_.DeleteGroup({{"UserPoolId", pool}, {"GroupName", "g"}}));
  EXPECT_EQ(e.type, "ResourceNotFoundException");
  EXPECT_EQ(e.message, "Group not found.");
}

TEST_F(GroupServiceTest, ListGroupsPagesOverEveryGroupOnce) {
  std::string pool = NewPool();
  std::vector<std::string> created;
  for (int i = 0; i < 130; ++i) {
    created.push_back("group-" + std::to_string(i));
    CreateGroup(pool, created.back(), {{"Precedence", i}});
  }
  std::sort(created.begin(), created.end());
  auto list = [&](const json::object& r) { return service_.ListGroups(r); };
  int pages = 0;
  EXPECT_EQ(ListAll({{"UserPoolId", pool}}, "Groups", "GroupName", list, &pages), created);
  EXPECT_EQ(pages, 3);  // 60 + 60 + 10, the default page
  EXPECT_EQ(ListAll({{"UserPoolId", pool}, {"Limit", 7}}, "Groups", "GroupName", list, &pages),
            created);
  EXPECT_EQ(pages, 19);
  EXPECT_EQ(ListAll({{"UserPoolId", pool}, {"Limit", 0}}, "Groups", "GroupName", list, &pages),
            created);
  EXPECT_EQ(pages, 3);

  json::object first = Ok(service_.ListGroups({{"UserPoolId", pool}, {"Limit", 1}}));
  ASSERT_EQ(first["Groups"].as_array().size(), 1u);
  EXPECT_EQ(first["Groups"].as_array()[0], Get(pool, created[0]));
}

TEST_F(GroupServiceTest, ListGroupsOfAnEmptyPool) {
  std::string pool = NewPool();
  EXPECT_EQ(Ok(service_.ListGroups({{"UserPoolId", pool}})),
            (json::object{{"Groups", json::array()}}));
}

TEST_F(GroupServiceTest, PageTokensAreOpaqueAndCheckedByListing) {
  std::string pool = NewPool();
  for (const char* name : {"a", "b", "c"}) CreateGroup(pool, name);
  json::object page = Ok(service_.ListGroups({{"UserPoolId", pool}, {"Limit", 1}}));
  ASSERT_TRUE(page.contains("NextToken"));
  std::string token(page["NextToken"].as_string());
  EXPECT_NE(token, "a");  // not the bare name

  for (std::string bad : {std::string("%%%"), std::string("a"), crypto::Base64UrlEncode("groups:"),
                          crypto::Base64UrlEncode("members:a")}) {
    Error e = Fails(service_.ListGroups({{"UserPoolId", pool}, {"NextToken", bad}}));
    EXPECT_EQ(e.type, "InvalidParameterException") << bad;
    EXPECT_EQ(e.message, "The pagination token is not valid.");
  }
  // A ListGroups token does not continue another listing.
  Error e = Fails(service_.ListUsersInGroup(
      {{"UserPoolId", pool}, {"GroupName", "a"}, {"NextToken", token}}));
  EXPECT_EQ(e.type, "InvalidParameterException");
}

}  // namespace
}  // namespace cognate::identity
