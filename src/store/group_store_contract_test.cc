// The GroupStore contract (see store_contract_test.h): groups, memberships, and what deleting a
// group or a whole pool takes with it.

#include <string>
#include <vector>

#include "store/store_contract_test.h"
#include "store/user_contract_test_util.h"

namespace cognate::store::contract {
namespace {

constexpr const char* kGroupNotFound = "Group not found.";

TEST_P(StoreContractTest, CreatesAndGetsGroup) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  GroupRecord ranked = MakeGroup(kPool, "admins", 0);
  GroupRecord unranked = MakeGroup(kPool, "readers");
  ASSERT_TRUE(stores_.groups->CreateGroup(ranked).ok());
  ASSERT_TRUE(stores_.groups->CreateGroup(unranked).ok());
  auto got = stores_.groups->GetGroup(kPool, "admins");
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(Fields(**got), Fields(ranked));
  EXPECT_EQ(Fields(stores_.groups->GetGroup(kPool, "readers")->value()), Fields(unranked));
  EXPECT_FALSE(stores_.groups->GetGroup(kOtherPool, "admins")->has_value());
  EXPECT_FALSE(stores_.groups->GetGroup(kPool, "nobody")->has_value());
}

TEST_P(StoreContractTest, TakenGroupNameIsRefused) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  ASSERT_TRUE(stores_.groups->CreateGroup(MakeGroup(kPool, "admins", 1)).ok());
  GroupRecord again = MakeGroup(kPool, "admins", 9);
  again.description = "second";
  ExpectError(stores_.groups->CreateGroup(again), "GroupExistsException",
              "A group with the name admins already exists.");
  EXPECT_EQ(stores_.groups->GetGroup(kPool, "admins")->value().precedence, 1);
  EXPECT_TRUE(stores_.groups->CreateGroup(MakeGroup(kOtherPool, "admins")).ok());
  ExpectError(stores_.groups->CreateGroup(MakeGroup("us-east-1_NOPE00000", "admins")), kNotFound,
              "User pool us-east-1_NOPE00000 does not exist.");
}

TEST_P(StoreContractTest, UpdatesAndDeletesGroup) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  ASSERT_TRUE(stores_.groups->CreateGroup(MakeGroup(kPool, "admins", 3)).ok());
  GroupRecord changed = MakeGroup(kPool, "admins");  // Precedence cleared.
  changed.description = "changed";
  changed.role_arn = "";
  changed.modified_ms = 9000;
  changed.created_ms = 1;  // Not updatable.
  ASSERT_TRUE(stores_.groups->UpdateGroup(changed).ok());
  changed.created_ms = 3000;
  EXPECT_EQ(Fields(stores_.groups->GetGroup(kPool, "admins")->value()), Fields(changed));

  ExpectError(stores_.groups->UpdateGroup(MakeGroup(kPool, "ghost")), kNotFound, kGroupNotFound);
  ASSERT_TRUE(stores_.groups->DeleteGroup(kPool, "admins").ok());
  EXPECT_FALSE(stores_.groups->GetGroup(kPool, "admins")->has_value());
  ExpectError(stores_.groups->DeleteGroup(kPool, "admins"), kNotFound, kGroupNotFound);
}

TEST_P(StoreContractTest, ListsGroupsInPagesByName) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  for (std::string name : {"g4", "g1", "g7", "g3", "g6", "g2", "g5"})
    ASSERT_TRUE(stores_.groups->CreateGroup(MakeGroup(kPool, name)).ok());
  ASSERT_TRUE(stores_.groups->CreateGroup(MakeGroup(kOtherPool, "g0")).ok());
  auto first = stores_.groups->ListGroups(kPool, "", 3);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(GroupNames(first->items), (std::vector<std::string>{"g1", "g2", "g3"}));
  EXPECT_EQ(first->next_after, "g3");
  auto second = stores_.groups->ListGroups(kPool, "g3", 3);
  EXPECT_EQ(GroupNames(second->items), (std::vector<std::string>{"g4", "g5", "g6"}));
  auto last = stores_.groups->ListGroups(kPool, "g6", 3);
  EXPECT_EQ(GroupNames(last->items), std::vector<std::string>{"g7"});
  EXPECT_EQ(last->next_after, "");
  EXPECT_TRUE(stores_.groups->ListGroups("us-east-1_NOPE00000", "", 3)->items.empty());
}

TEST_P(StoreContractTest, AddsAndRemovesMembers) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  for (std::string name : {"u3", "u1", "u2"})
    ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kPool, name), {}).ok());
  for (std::string name : {"b", "c", "a"})
    ASSERT_TRUE(stores_.groups->CreateGroup(MakeGroup(kPool, name)).ok());
  for (std::string user : {"u3", "u1", "u2"})
    ASSERT_TRUE(stores_.groups->AddMember(kPool, "a", user).ok());
  ASSERT_TRUE(stores_.groups->AddMember(kPool, "a", "u1").ok());  // Idempotent.
  for (std::string group : {"c", "b"})
    ASSERT_TRUE(stores_.groups->AddMember(kPool, group, "u1").ok());

  auto members = stores_.groups->ListUsersInGroup(kPool, "a", "", 2);
  ASSERT_TRUE(members.ok());
  EXPECT_EQ(UserKeys(members->items), (std::vector<std::string>{"u1", "u2"}));
  EXPECT_EQ(Fields(members->items[0]), Fields(MakeUser(kPool, "u1")));
  EXPECT_EQ(members->next_after, "u2");
  auto rest = stores_.groups->ListUsersInGroup(kPool, "a", "u2", 2);
  EXPECT_EQ(UserKeys(rest->items), std::vector<std::string>{"u3"});
  EXPECT_EQ(rest->next_after, "");

  auto groups = stores_.groups->ListGroupsForUser(kPool, "u1", "", 2);
  ASSERT_TRUE(groups.ok());
  EXPECT_EQ(GroupNames(groups->items), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Fields(groups->items[0]), Fields(MakeGroup(kPool, "a")));
  EXPECT_EQ(GroupNames(stores_.groups->ListGroupsForUser(kPool, "u1", "b", 2)->items),
            std::vector<std::string>{"c"});

  ASSERT_TRUE(stores_.groups->RemoveMember(kPool, "a", "u2").ok());
  ASSERT_TRUE(stores_.groups->RemoveMember(kPool, "a", "u2").ok());  // Not a member: fine.
  EXPECT_EQ(UserKeys(stores_.groups->ListUsersInGroup(kPool, "a", "", 10)->items),
            (std::vector<std::string>{"u1", "u3"}));
  EXPECT_TRUE(stores_.groups->ListGroupsForUser(kPool, "u2", "", 10)->items.empty());
}

TEST_P(StoreContractTest, MembershipNeedsGroupAndUser) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kPool, "u1"), {}).ok());
  ASSERT_TRUE(stores_.groups->CreateGroup(MakeGroup(kPool, "a")).ok());
  ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kOtherPool, "u2"), {}).ok());
  ExpectError(stores_.groups->AddMember(kPool, "ghost", "u1"), kNotFound, kGroupNotFound);
  ExpectError(stores_.groups->AddMember(kPool, "a", "ghost"), kNotFound, "User does not exist.");
  ExpectError(stores_.groups->AddMember(kPool, "a", "u2"), kNotFound, "User does not exist.");
  ExpectError(stores_.groups->RemoveMember(kPool, "ghost", "u1"), kNotFound, kGroupNotFound);
  ExpectError(stores_.groups->ListUsersInGroup(kPool, "ghost", "", 10), kNotFound, kGroupNotFound);
  EXPECT_TRUE(stores_.groups->ListUsersInGroup(kPool, "a", "", 10)->items.empty());
}

TEST_P(StoreContractTest, DeletingGroupRemovesItsMemberships) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kPool, "u1"), {}).ok());
  for (std::string name : {"gone", "kept"}) {
    ASSERT_TRUE(stores_.groups->CreateGroup(MakeGroup(kPool, name)).ok());
    ASSERT_TRUE(stores_.groups->AddMember(kPool, name, "u1").ok());
  }
  ASSERT_TRUE(stores_.groups->DeleteGroup(kPool, "gone").ok());
  EXPECT_EQ(GroupNames(stores_.groups->ListGroupsForUser(kPool, "u1", "", 10)->items),
            std::vector<std::string>{"kept"});
  EXPECT_TRUE(stores_.users->GetUser(kPool, "u1")->has_value());
  // A new group of the old name starts empty.
  ASSERT_TRUE(stores_.groups->CreateGroup(MakeGroup(kPool, "gone")).ok());
  EXPECT_TRUE(stores_.groups->ListUsersInGroup(kPool, "gone", "", 10)->items.empty());
}

TEST_P(StoreContractTest, DeletingPoolRemovesItsUsersAndGroups) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  for (const char* pool : {kPool, kOtherPool}) {
    ASSERT_TRUE(stores_.users->CreateUser(MakeUser(pool, "u1"), {Email("u1@x")}).ok());
    ASSERT_TRUE(stores_.groups->CreateGroup(MakeGroup(pool, "g")).ok());
    ASSERT_TRUE(stores_.groups->AddMember(pool, "g", "u1").ok());
    ASSERT_TRUE(stores_.codes->PutCode(MakeCode(pool, "u1", "signup", "h")).ok());
    ASSERT_TRUE(stores_.refresh_tokens
                    ->PutRefreshToken(MakeToken(pool, "u1", std::string("rt-") + pool, "o"))
                    .ok());
    ASSERT_TRUE(stores_.refresh_tokens->RevokeOrigin(pool, "o", 90'000).ok());
  }
  ASSERT_TRUE(stores_.pools->DeletePool(kPool).ok());

  EXPECT_EQ(*stores_.users->CountUsers(kPool), 0);
  EXPECT_FALSE(stores_.users->FindByKey(kPool, Email("u1@x"))->has_value());
  EXPECT_TRUE(stores_.groups->ListGroups(kPool, "", 10)->items.empty());
  EXPECT_FALSE(stores_.codes->GetCode(kPool, "u1", "signup")->has_value());
  EXPECT_FALSE(stores_.refresh_tokens->GetRefreshToken(std::string("rt-") + kPool)->has_value());
  EXPECT_FALSE(*stores_.refresh_tokens->IsOriginRevoked(kPool, "o"));
  // The other pool keeps everything.
  EXPECT_EQ(*stores_.users->CountUsers(kOtherPool), 1);
  EXPECT_EQ(UserKeys(stores_.groups->ListUsersInGroup(kOtherPool, "g", "", 10)->items),
            std::vector<std::string>{"u1"});
  EXPECT_TRUE(stores_.codes->GetCode(kOtherPool, "u1", "signup")->has_value());
  EXPECT_TRUE(*stores_.refresh_tokens->IsOriginRevoked(kOtherPool, "o"));
}

}  // namespace
}  // namespace cognate::store::contract
