// The UserStore contract (see store_contract_test.h): users, their sign-in keys, uniqueness,
// optimistic updates, cascading deletes, listing and the sign-in failure counter.

#include <algorithm>
#include <string>
#include <vector>

#include "store/store_contract_test.h"
#include "store/user_contract_test_util.h"

namespace cognate::store::contract {
namespace {

constexpr const char* kUserExists = "UsernameExistsException";
constexpr const char* kAliasExists = "AliasExistsException";

TEST_P(StoreContractTest, CreatesGetsAndFindsUser) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  UserRecord user = MakeUser(kPool, "alice");
  user.srp_verifier_sealed = "v1.sealed-verifier";
  user.mfa_json = R"({"sms":true})";
  ASSERT_TRUE(
      stores_.users->CreateUser(user, {Phone("+15550100"), Email("alice@example.com")}).ok());

  auto got = stores_.users->GetUser(kPool, "alice");
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(Fields(**got), Fields(user));
  EXPECT_EQ((*got)->srp_verifier_sealed, "v1.sealed-verifier");
  EXPECT_EQ((*got)->mfa_json, R"({"sms":true})");
  EXPECT_EQ(Fields(stores_.users->FindBySub(kPool, user.sub)->value()), Fields(user));
  EXPECT_EQ(Fields(stores_.users->FindByKey(kPool, Email("alice@example.com"))->value()),
            Fields(user));
  EXPECT_EQ(stores_.users->FindByKey(kPool, Phone("+15550100"))->value().username_key, "alice");
  EXPECT_EQ(*stores_.users->GetKeys(kPool, "alice"),
            (std::vector<UserKey>{Email("alice@example.com"), Phone("+15550100")}));

  // Lookups are per pool and per kind.
  EXPECT_FALSE(stores_.users->GetUser(kOtherPool, "alice")->has_value());
  EXPECT_FALSE(stores_.users->FindBySub(kOtherPool, user.sub)->has_value());
  EXPECT_FALSE(stores_.users->FindByKey(kOtherPool, Email("alice@example.com"))->has_value());
  EXPECT_FALSE(
      stores_.users->FindByKey(kPool, {"preferred_username", "alice@example.com"})->has_value());
  EXPECT_FALSE(stores_.users->GetUser(kPool, "nobody")->has_value());
  EXPECT_TRUE(stores_.users->GetKeys(kPool, "nobody")->empty());
}

TEST_P(StoreContractTest, KeepsPasswordHistory) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kPool, "alice"), {}).ok());
  UserRecord user = MakeUser(kPool, "bob");
  user.password_history_json = R"(["$argon2id$old-1"])";
  ASSERT_TRUE(stores_.users->CreateUser(user, {Email("bob@example.com")}).ok());
  EXPECT_EQ(stores_.users->GetUser(kPool, "alice")->value().password_history_json, "[]");
  EXPECT_EQ(stores_.users->GetUser(kPool, "bob")->value().password_history_json,
            R"(["$argon2id$old-1"])");

  user.password_history_json = R"(["$argon2id$old-2","$argon2id$old-1"])";
  ASSERT_TRUE(stores_.users->UpdateUser(user).ok());
  const std::string both = R"(["$argon2id$old-2","$argon2id$old-1"])";
  EXPECT_EQ(stores_.users->GetUser(kPool, "bob")->value().password_history_json, both);
  EXPECT_EQ(stores_.users->FindBySub(kPool, user.sub)->value().password_history_json, both);
  EXPECT_EQ(
      stores_.users->FindByKey(kPool, Email("bob@example.com"))->value().password_history_json,
      both);
  // The history is part of the user's row: deleting the user deletes it.
  ASSERT_TRUE(stores_.users->DeleteUser(kPool, "bob").ok());
  ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kPool, "bob"), {}).ok());
  EXPECT_EQ(stores_.users->GetUser(kPool, "bob")->value().password_history_json, "[]");
}

TEST_P(StoreContractTest, CreateUsersInsertsABatchAndRefusesUsersOneByOne) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kPool, "old"), {{"email", "old@x"}}).ok());
  UserRecord missing_pool = MakeUser("us-east-1_NOPOOL000", "lost");
  UserRecord old_again = MakeUser(kPool, "old");
  old_again.sub = "0f0e0d0c-another-old";
  std::vector<NewUser> batch{
      {MakeUser(kPool, "ann"), {{"email", "ann@x"}}},
      {old_again, {}},                                   // taken username
      {MakeUser(kPool, "cal"), {{"email", "old@x"}}},    // alias held by an existing user
      {MakeUser(kPool, "dee"), {{"email", "ann@x"}}},    // alias taken earlier in the batch
      {missing_pool, {}},
      {MakeUser(kPool, "eve"), {{"email", "eve@x"}, {"preferred_username", "evie"}}},
  };
  auto results = stores_.users->CreateUsers(batch);
  ASSERT_TRUE(results.ok()) << results.error().message;
  ASSERT_EQ(results->size(), batch.size());
  EXPECT_TRUE((*results)[0].ok());
  EXPECT_EQ((*results)[1].error().type, kUserExists);
  EXPECT_EQ((*results)[2].error().type, kAliasExists);
  EXPECT_EQ((*results)[3].error().type, kAliasExists);
  EXPECT_EQ((*results)[4].error().type, "ResourceNotFoundException");
  EXPECT_TRUE((*results)[5].ok());
  // The refused users left nothing behind; the others are whole.
  for (const char* absent : {"cal", "dee"})
    EXPECT_FALSE(stores_.users->GetUser(kPool, absent)->has_value()) << absent;
  EXPECT_EQ((**stores_.users->FindByKey(kPool, {"email", "ann@x"})).username_key, "ann");
  EXPECT_EQ((**stores_.users->FindByKey(kPool, {"preferred_username", "evie"})).username_key,
            "eve");
  EXPECT_EQ(*stores_.users->CountUsers(kPool), 3);
}

TEST_P(StoreContractTest, CreateUsersWithARepeatedSubInsertsNothing) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  UserRecord twin = MakeUser(kPool, "twin");
  twin.sub = MakeUser(kPool, "first").sub;
  auto results = stores_.users->CreateUsers({{MakeUser(kPool, "first"), {}}, {twin, {}}});
  ASSERT_FALSE(results.ok());
  EXPECT_EQ(*stores_.users->CountUsers(kPool), 0);
  EXPECT_TRUE(stores_.users->CreateUsers({})->empty());
}

TEST_P(StoreContractTest, CreateUserInMissingPoolIsNotFound) {
  ExpectError(stores_.users->CreateUser(MakeUser("us-east-1_NOPE00000", "alice"), {}), kNotFound,
              "User pool us-east-1_NOPE00000 does not exist.");
}

// [INVARIANT] A username is taken once per pool, and the loser leaves nothing behind.
TEST_P(StoreContractTest, TakenUsernameIsRefusedWhole) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  UserRecord first = MakeUser(kPool, "bob");
  ASSERT_TRUE(stores_.users->CreateUser(first, {Email("bob@example.com")}).ok());
  UserRecord second = MakeUser(kPool, "bob");
  second.sub = "another-sub";
  second.username = "Bob";
  ExpectError(stores_.users->CreateUser(second, {Email("bob2@example.com")}), kUserExists,
              "User already exists");
  EXPECT_EQ(Fields(stores_.users->GetUser(kPool, "bob")->value()), Fields(first));
  EXPECT_FALSE(stores_.users->FindByKey(kPool, Email("bob2@example.com"))->has_value());
  EXPECT_FALSE(stores_.users->FindBySub(kPool, "another-sub")->has_value());
  EXPECT_EQ(*stores_.users->CountUsers(kPool), 1);
  // The same username in another pool is a different user.
  EXPECT_TRUE(stores_.users->CreateUser(MakeUser(kOtherPool, "bob"), {}).ok());
}

// [INVARIANT] A sign-in key belongs to one user per pool; a refused user is not half-created.
TEST_P(StoreContractTest, TakenKeyIsRefusedWhole) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  ASSERT_TRUE(
      stores_.users->CreateUser(MakeUser(kPool, "carol"), {Email("c@example.com"), Phone("+1555")})
          .ok());
  ExpectError(stores_.users->CreateUser(MakeUser(kPool, "dave"),
                                        {Email("d@example.com"), Email("c@example.com")}),
              kAliasExists, "An account with the given email already exists.");
  EXPECT_FALSE(stores_.users->GetUser(kPool, "dave")->has_value());
  EXPECT_FALSE(stores_.users->FindByKey(kPool, Email("d@example.com"))->has_value());
  ExpectError(stores_.users->CreateUser(MakeUser(kPool, "erin"), {Phone("+1555")}), kAliasExists,
              "An account with the given phone_number already exists.");
  EXPECT_EQ(*stores_.users->CountUsers(kPool), 1);

  // The same value under another kind, or in another pool, is another key; a key listed twice
  // is one key.
  EXPECT_TRUE(stores_.users
                  ->CreateUser(MakeUser(kPool, "frank"), {{"preferred_username", "c@example.com"},
                                                          {"preferred_username", "c@example.com"}})
                  .ok());
  EXPECT_TRUE(
      stores_.users->CreateUser(MakeUser(kOtherPool, "carol"), {Email("c@example.com")}).ok());
}

TEST_P(StoreContractTest, UpdatesUserAndReplacesKeys) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  UserRecord user = MakeUser(kPool, "gina");
  ASSERT_TRUE(stores_.users->CreateUser(user, {Email("old@example.com"), Phone("+1")}).ok());
  UserRecord changed = stores_.users->GetUser(kPool, "gina")->value();
  changed.status = "RESET_REQUIRED";
  changed.enabled = false;
  changed.password_hash = "";
  changed.srp_verifier_sealed = "v1.new-verifier";
  changed.mfa_json = R"({"totp":true})";
  changed.attributes_json = R"({"email":"new@example.com","email_verified":"true"})";
  changed.modified_ms = 5000;
  changed.password_changed_ms = 5000;
  changed.tokens_valid_after_ms = 5000;
  changed.created_ms = 1;  // Immutable: the stored value stays.
  const std::vector<UserKey> keys = {Email("new@example.com")};
  ASSERT_TRUE(stores_.users->UpdateUser(changed, &keys).ok());

  UserRecord got = stores_.users->GetUser(kPool, "gina")->value();
  changed.created_ms = user.created_ms;
  EXPECT_EQ(Fields(got), Fields(changed));
  EXPECT_EQ(got.srp_verifier_sealed, "v1.new-verifier");
  EXPECT_EQ(got.mfa_json, R"({"totp":true})");
  EXPECT_EQ(got.version, changed.version + 1);
  EXPECT_EQ(*stores_.users->GetKeys(kPool, "gina"), keys);
  EXPECT_FALSE(stores_.users->FindByKey(kPool, Email("old@example.com"))->has_value());
  EXPECT_FALSE(stores_.users->FindByKey(kPool, Phone("+1"))->has_value());

  // Without keys, the keys stay as they are.
  got.status = "CONFIRMED";
  ASSERT_TRUE(stores_.users->UpdateUser(got).ok());
  EXPECT_EQ(*stores_.users->GetKeys(kPool, "gina"), keys);
  EXPECT_EQ(stores_.users->GetUser(kPool, "gina")->value().status, "CONFIRMED");
}

TEST_P(StoreContractTest, UpdateWithTakenKeyChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kPool, "holder"), {Email("h@example.com")}).ok());
  ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kPool, "taker"), {Email("t@example.com")}).ok());
  UserRecord taker = stores_.users->GetUser(kPool, "taker")->value();
  taker.status = "CHANGED";
  const std::vector<UserKey> keys = {Email("h@example.com")};
  ExpectError(stores_.users->UpdateUser(taker, &keys), kAliasExists,
              "An account with the given email already exists.");
  UserRecord got = stores_.users->GetUser(kPool, "taker")->value();
  EXPECT_EQ(got.status, "CONFIRMED");
  EXPECT_EQ(got.version, taker.version);
  EXPECT_EQ(*stores_.users->GetKeys(kPool, "taker"), std::vector<UserKey>{Email("t@example.com")});
  EXPECT_EQ(stores_.users->FindByKey(kPool, Email("h@example.com"))->value().username_key,
            "holder");
}

TEST_P(StoreContractTest, ReleaseTakenMovesKey) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  ASSERT_TRUE(
      stores_.users->CreateUser(MakeUser(kPool, "holder"), {Email("h@example.com"), Phone("+9")})
          .ok());
  ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kPool, "taker"), {}).ok());
  const std::vector<UserKey> keys = {Email("h@example.com")};
  ASSERT_TRUE(stores_.users
                  ->UpdateUser(stores_.users->GetUser(kPool, "taker")->value(), &keys,
                               /*release_taken=*/true)
                  .ok());
  EXPECT_EQ(stores_.users->FindByKey(kPool, Email("h@example.com"))->value().username_key, "taker");
  EXPECT_EQ(*stores_.users->GetKeys(kPool, "holder"), std::vector<UserKey>{Phone("+9")});
}

// [INVARIANT] An update based on a stale read never overwrites a newer one.
TEST_P(StoreContractTest, StaleUserUpdateIsRefused) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kPool, "ivan"), {Email("i@example.com")}).ok());
  UserRecord first = stores_.users->GetUser(kPool, "ivan")->value();
  UserRecord second = first;
  first.status = "FIRST";
  ASSERT_TRUE(stores_.users->UpdateUser(first).ok());
  second.status = "SECOND";
  const std::vector<UserKey> keys = {Email("second@example.com")};
  Status stale = stores_.users->UpdateUser(second, &keys);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().type, "ConcurrentModificationException");
  EXPECT_EQ(stores_.users->GetUser(kPool, "ivan")->value().status, "FIRST");
  EXPECT_EQ(*stores_.users->GetKeys(kPool, "ivan"), std::vector<UserKey>{Email("i@example.com")});

  ExpectError(stores_.users->UpdateUser(MakeUser(kPool, "ghost")), kNotFound,
              "User does not exist.");
}

// [INVARIANT] Counting a failure moves the version on, so an update based on an earlier read
// cannot write the old count back; an update based on a fresh read may reset it.
TEST_P(StoreContractTest, StaleUpdateCannotUndoSignInFailures) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kPool, "judy"), {}).ok());
  UserRecord read = stores_.users->GetUser(kPool, "judy")->value();
  UserRecord failed =
      stores_.users->RecordSignInFailure(kPool, "judy", 5000, 60'000, 1, 60'000).value();
  EXPECT_EQ(failed.version, read.version + 1);
  read.status = "RESET_REQUIRED";
  Status stale = stores_.users->UpdateUser(read);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().type, "ConcurrentModificationException");
  UserRecord got = stores_.users->GetUser(kPool, "judy")->value();
  EXPECT_EQ(got.failed_sign_ins, 1);
  EXPECT_EQ(got.last_failure_ms, 5000);
  EXPECT_EQ(got.locked_until_ms, 6000);

  got.failed_sign_ins = 0;  // As a password reset does.
  got.locked_until_ms = 0;
  ASSERT_TRUE(stores_.users->UpdateUser(got).ok());
  UserRecord reset = stores_.users->GetUser(kPool, "judy")->value();
  EXPECT_EQ(reset.failed_sign_ins, 0);
  EXPECT_EQ(reset.locked_until_ms, 0);
  EXPECT_EQ(reset.last_failure_ms, 5000);
}

TEST_P(StoreContractTest, DeletingUserRemovesEverythingOfIt) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  ASSERT_TRUE(stores_.groups->CreateGroup(MakeGroup(kPool, "staff")).ok());
  for (std::string name : {"gone", "kept"}) {
    ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kPool, name), {Email(name + "@x")}).ok());
    ASSERT_TRUE(stores_.codes->PutCode(MakeCode(kPool, name, "signup", "h-" + name)).ok());
    ASSERT_TRUE(
        stores_.refresh_tokens->PutRefreshToken(MakeToken(kPool, name, "rt-" + name, "o")).ok());
    ASSERT_TRUE(stores_.groups->AddMember(kPool, "staff", name).ok());
  }
  ASSERT_TRUE(stores_.users->DeleteUser(kPool, "gone").ok());

  EXPECT_FALSE(stores_.users->GetUser(kPool, "gone")->has_value());
  EXPECT_FALSE(stores_.users->FindByKey(kPool, Email("gone@x"))->has_value());
  EXPECT_TRUE(stores_.users->GetKeys(kPool, "gone")->empty());
  EXPECT_FALSE(stores_.codes->GetCode(kPool, "gone", "signup")->has_value());
  EXPECT_FALSE(stores_.refresh_tokens->GetRefreshToken("rt-gone")->has_value());
  EXPECT_TRUE(stores_.groups->ListGroupsForUser(kPool, "gone", "", 10)->items.empty());
  EXPECT_EQ(UserKeys(stores_.groups->ListUsersInGroup(kPool, "staff", "", 10)->items),
            std::vector<std::string>{"kept"});
  // The other user is untouched.
  EXPECT_TRUE(stores_.users->FindByKey(kPool, Email("kept@x"))->has_value());
  EXPECT_TRUE(stores_.codes->GetCode(kPool, "kept", "signup")->has_value());
  EXPECT_TRUE(stores_.refresh_tokens->GetRefreshToken("rt-kept")->has_value());

  ExpectError(stores_.users->DeleteUser(kPool, "gone"), kNotFound, "User does not exist.");
  // Nothing of the old user blocks a new one with its name and keys.
  EXPECT_TRUE(stores_.users->CreateUser(MakeUser(kPool, "gone"), {Email("gone@x")}).ok());
  EXPECT_TRUE(stores_.groups->ListGroupsForUser(kPool, "gone", "", 10)->items.empty());
}

TEST_P(StoreContractTest, ListsUsersInPagesByKey) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  std::vector<std::string> expected;
  for (int i = 0; i < 250; ++i) {
    std::string key = "user" + std::string(i < 10 ? "00" : i < 100 ? "0" : "") + std::to_string(i);
    expected.push_back(key);
  }
  std::vector<std::string> shuffled = expected;  // Inserted out of order.
  std::reverse(shuffled.begin(), shuffled.begin() + 125);
  for (const std::string& key : shuffled)
    ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kPool, key), {}).ok());
  ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kOtherPool, "user100a"), {}).ok());

  std::vector<size_t> sizes;
  std::vector<std::string> all;
  std::string after;
  do {
    auto page = stores_.users->ListUsers(kPool, after, 60);
    ASSERT_TRUE(page.ok());
    sizes.push_back(page->items.size());
    for (const std::string& key : UserKeys(page->items)) all.push_back(key);
    after = page->next_after;
    ASSERT_LE(sizes.size(), 6u) << "pagination does not end";
  } while (!after.empty());
  EXPECT_EQ(sizes, (std::vector<size_t>{60, 60, 60, 60, 10}));
  EXPECT_EQ(all, expected);

  EXPECT_EQ(*stores_.users->CountUsers(kPool), 250);
  EXPECT_EQ(*stores_.users->CountUsers(kOtherPool), 1);
  EXPECT_EQ(*stores_.users->CountUsers("us-east-1_NOPE00000"), 0);
  EXPECT_TRUE(stores_.users->ListUsers("us-east-1_NOPE00000", "", 10)->items.empty());
}

// Cognito's lockout: from the 5th consecutive failure the lock lasts 1 s, doubling per failure
// up to the cap; a failure after the reset window starts counting again.
TEST_P(StoreContractTest, SignInFailuresLockForDoublingTimes) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kPool, "kim"), {}).ok());
  constexpr int64_t kReset = 60'000, kThreshold = 5, kMaxLock = 10'000;
  auto fail = [&](int64_t now) {
    return stores_.users->RecordSignInFailure(kPool, "kim", now, kReset, kThreshold, kMaxLock)
        .value();
  };
  for (int i = 1; i <= 4; ++i) {
    UserRecord user = fail(1000 * i);
    EXPECT_EQ(user.failed_sign_ins, i);
    EXPECT_EQ(user.last_failure_ms, 1000 * i);
    EXPECT_EQ(user.locked_until_ms, 0);
  }
  EXPECT_EQ(fail(10'000).locked_until_ms, 11'000);  // 5th: 1 s
  EXPECT_EQ(fail(20'000).locked_until_ms, 22'000);  // 6th: 2 s
  EXPECT_EQ(fail(30'000).locked_until_ms, 34'000);  // 7th: 4 s
  EXPECT_EQ(fail(40'000).locked_until_ms, 48'000);  // 8th: 8 s
  EXPECT_EQ(fail(50'000).locked_until_ms, 60'000);  // 9th: 16 s, capped at 10 s
  UserRecord user;
  for (int i = 0; i < 100; ++i) user = fail(60'000 + i);  // No overflow however many.
  EXPECT_EQ(user.failed_sign_ins, 109);
  EXPECT_EQ(user.locked_until_ms, 60'099 + kMaxLock);
  EXPECT_EQ(fail(60'099 + kReset).failed_sign_ins, 110);  // Exactly the window: still counts.

  user = fail(60'100 + 2 * kReset + 1);  // Quiet for longer than the window: starts again.
  EXPECT_EQ(user.failed_sign_ins, 1);
  EXPECT_EQ(user.last_failure_ms, 60'100 + 2 * kReset + 1);
  EXPECT_EQ(stores_.users->GetUser(kPool, "kim")->value().failed_sign_ins, 1);

  ASSERT_TRUE(stores_.users->ClearSignInFailures(kPool, "kim").ok());
  user = stores_.users->GetUser(kPool, "kim")->value();
  EXPECT_EQ(user.failed_sign_ins, 0);
  EXPECT_EQ(user.last_failure_ms, 0);
  EXPECT_EQ(user.locked_until_ms, 0);
  EXPECT_EQ(user.version, 112);  // 111 failures and the clear each moved it on.
}

TEST_P(StoreContractTest, SignInFailuresOfMissingUserAreNotFound) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  ExpectError(stores_.users->RecordSignInFailure(kPool, "ghost", 1, 1, 5, 1), kNotFound,
              "User does not exist.");
  ExpectError(stores_.users->ClearSignInFailures(kPool, "ghost"), kNotFound,
              "User does not exist.");
}

}  // namespace
}  // namespace cognate::store::contract
