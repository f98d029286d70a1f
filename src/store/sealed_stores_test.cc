#include "store/sealed_stores.h"

#include <gtest/gtest.h>

#include <string>

#include "crypto/random.h"
#include "store/sqlite/open.h"
#include "store/user_contract_test_util.h"

namespace cognate::store {
namespace {

using contract::kPool;
using contract::MakeUser;

// A server's key set: data keys k0 and k1 under a random master key.
crypto::KeyEncryptionKey KeySet() {
  crypto::KeyEncryptionKey master(crypto::RandomBytes(32));
  auto set = master.WithDataKeys({master.WrapOwnBytes("k0"), master.NewDataKey("k1")}, "k0", "k1");
  return std::move(*set);
}

class SealedStoresTest : public ::testing::Test {
 protected:
  SealedStoresTest() : kek_(KeySet()), stores_(sqlite::Open(":memory:")) {
    contract::CreatePools(stores_);
    // The undecorated stores, kept to look at what the database holds (the decorators own
    // them from SealProfiles on).
    raw_users_ = stores_.users.get();
    raw_groups_ = stores_.groups.get();
  }

  UserRecord RawUser(const std::string& key) { return **raw_users_->GetUser(kPool, key); }

  crypto::KeyEncryptionKey kek_;
  Stores stores_;
  UserStore* raw_users_ = nullptr;
  GroupStore* raw_groups_ = nullptr;
};

TEST_F(SealedStoresTest, AttributesSealedAndKeysHashedAtRest) {
  ASSERT_EQ(*SealProfiles(stores_, kek_), 0);
  UserRecord alice = MakeUser(kPool, "alice");
  alice.attributes_json = R"({"email":"alice@example.com","phone_number":"+15550100"})";
  ASSERT_TRUE(stores_.users->CreateUser(alice, {{"email", "alice@example.com"}}).ok());

  UserRecord stored = RawUser("alice");
  EXPECT_EQ(stored.attributes_json.find("alice@example.com"), std::string::npos);
  EXPECT_EQ(stored.attributes_json.find("+15550100"), std::string::npos);
  EXPECT_EQ(stored.attributes_json.rfind("v2.k1.", 0), 0u);
  auto keys = raw_users_->GetKeys(kPool, "alice");
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].value_key.rfind("hmac:", 0), 0u);
  EXPECT_EQ((*keys)[0].value_key.find("alice"), std::string::npos);

  // Above the store: plaintext, and lookups by the clear value.
  auto found = stores_.users->FindByKey(kPool, {"email", "alice@example.com"});
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->attributes_json, alice.attributes_json);
  EXPECT_EQ((**stores_.users->GetUser(kPool, "alice")).attributes_json, alice.attributes_json);
  EXPECT_EQ(stores_.users->ListUsers(kPool, "", 10)->items[0].attributes_json,
            alice.attributes_json);
  EXPECT_FALSE(stores_.users->FindByKey(kPool, {"email", "bob@example.com"})->has_value());
  // The same value in another pool hashes differently: no cross-pool linking.
  EXPECT_FALSE(stores_.users->FindByKey(contract::kOtherPool, {"email", "alice@example.com"})
                   ->has_value());

  // Uniqueness holds on the hashed keys, and updates re-seal.
  auto taken = stores_.users->CreateUser(MakeUser(kPool, "bob"), {{"email", "alice@example.com"}});
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().type, "AliasExistsException");
  UserRecord changed = **stores_.users->GetUser(kPool, "alice");
  changed.attributes_json = R"({"email":"new@example.com"})";
  std::vector<UserKey> new_keys{{"email", "new@example.com"}};
  ASSERT_TRUE(stores_.users->UpdateUser(changed, &new_keys).ok());
  EXPECT_EQ(RawUser("alice").attributes_json.find("new@example.com"), std::string::npos);
  EXPECT_TRUE(stores_.users->FindByKey(kPool, {"email", "new@example.com"})->has_value());
  EXPECT_FALSE(stores_.users->FindByKey(kPool, {"email", "alice@example.com"})->has_value());
}

TEST_F(SealedStoresTest, SealedAttributesAreBoundToTheirUser) {
  ASSERT_TRUE(SealProfiles(stores_, kek_).ok());
  ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kPool, "alice"), {}).ok());
  ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kPool, "bob"), {}).ok());
  // Someone with write access to the database moves alice's sealed profile onto bob.
  UserRecord bob = RawUser("bob");
  bob.attributes_json = RawUser("alice").attributes_json;
  ASSERT_TRUE(raw_users_->UpdateUser(bob).ok());
  auto read = stores_.users->GetUser(kPool, "bob");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().type, "InternalErrorException");
}

TEST_F(SealedStoresTest, RowsWrittenInClearAreSealedOnceAtStart) {
  UserRecord carol = MakeUser(kPool, "carol");
  carol.attributes_json = R"({"email":"carol@example.com","email_verified":"true"})";
  ASSERT_TRUE(raw_users_->CreateUser(carol, {{"email", "carol@example.com"}}).ok());
  ASSERT_TRUE(raw_users_->CreateUser(MakeUser(kPool, "dave"), {}).ok());
  ASSERT_TRUE(raw_groups_->CreateGroup({kPool, "staff", "", "", std::nullopt, 1, 1}).ok());
  ASSERT_TRUE(raw_groups_->AddMember(kPool, "staff", "carol").ok());

  EXPECT_EQ(*SealProfiles(stores_, kek_), 2);
  EXPECT_EQ(RawUser("carol").attributes_json.find("carol@example.com"), std::string::npos);
  EXPECT_EQ((*raw_users_->GetKeys(kPool, "carol"))[0].value_key.rfind("hmac:", 0), 0u);
  auto found = stores_.users->FindByKey(kPool, {"email", "carol@example.com"});
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->attributes_json, carol.attributes_json);
  auto members = stores_.groups->ListUsersInGroup(kPool, "staff", "", 10);
  ASSERT_EQ(members->items.size(), 1u);
  EXPECT_EQ(members->items[0].attributes_json, carol.attributes_json);
  EXPECT_EQ(*stores_.data_keys->GetFlag("profiles-sealed"), "1");
}

TEST_F(SealedStoresTest, LaterStartsSkipTheScan) {
  ASSERT_TRUE(stores_.data_keys->SetFlag("profiles-sealed", "1").ok());
  ASSERT_TRUE(raw_users_->CreateUser(MakeUser(kPool, "erin"), {}).ok());
  EXPECT_EQ(*SealProfiles(stores_, kek_), 0);
  // A clear row (none exist after the first start) still reads.
  EXPECT_EQ((**stores_.users->GetUser(kPool, "erin")).attributes_json,
            MakeUser(kPool, "erin").attributes_json);
}

}  // namespace
}  // namespace cognate::store
