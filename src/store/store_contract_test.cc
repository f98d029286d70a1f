// The store contract (see store_contract_test.h): what every backend must do, whatever it is.

#include "store/store_contract_test.h"
#include "store/user_contract_test_util.h"

#include <stdlib.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

namespace cognate::store::contract {

std::string StoreBackendName(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

void PrintTo(const StoreBackend& backend, std::ostream* os) { *os << backend.name; }

ScratchDir::ScratchDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "cognate-store-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void StoreContractTest::SetUp() {
  if (GetParam().unavailable) {
    if (std::string why = GetParam().unavailable(); !why.empty()) GTEST_SKIP() << why;
  }
  scratch_ = std::make_unique<ScratchDir>();
  stores_ = GetParam().open(scratch_->path().string());
}

void StoreContractTest::TearDown() {
  stores_ = Stores{};  // Close before the files go.
  scratch_.reset();
}

// Lets a backend-less build (no instantiation) still link and run.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(StoreContractTest);

namespace {

UserPoolRecord MakePool(const std::string& id, int64_t created_ms = 1000) {
  return {.id = id,
          .name = "pool " + id,
          .created_ms = created_ms,
          .modified_ms = created_ms,
          .config_json = R"({"MfaConfiguration":"OFF"})"};
}

SigningKeyRecord MakeKey(const std::string& pool_id, const std::string& kid, int64_t created_ms,
                         bool active = true) {
  return {.pool_id = pool_id,
          .kid = kid,
          .use = "access",
          .alg = "RS256",
          .public_jwk_json = R"({"kty":"RSA","n":"AQAB","e":"AQAB"})",
          .private_key_sealed = "v1.private-" + kid,
          .created_ms = created_ms,
          .active = active};
}

auto Fields(const UserPoolRecord& r) {
  return std::tie(r.id, r.name, r.created_ms, r.modified_ms, r.config_json);
}
auto Fields(const AppClientRecord& r) {
  return std::tie(r.pool_id, r.client_id, r.name, r.secret_sealed, r.created_ms, r.modified_ms,
                  r.config_json);
}
auto Fields(const SigningKeyRecord& r) {
  return std::tie(r.pool_id, r.kid, r.use, r.alg, r.public_jwk_json, r.private_key_sealed,
                  r.created_ms, r.active);
}
auto Fields(const AccessKeyRecord& r) {
  return std::tie(r.access_key_id, r.secret_sealed, r.policy_json, r.description, r.created_ms);
}

template <class T>
std::vector<std::string> Ids(const std::vector<T>& records, std::string T::*id) {
  std::vector<std::string> ids;
  for (const T& record : records) ids.push_back(record.*id);
  return ids;
}

void ExpectNotFound(const Status& status, const std::string& message) {
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().type, "ResourceNotFoundException");
  EXPECT_EQ(status.error().message, message);
  EXPECT_EQ(status.error().http_status, 400);
}

TEST_P(StoreContractTest, CreatesAndGetsPool) {
  UserPoolRecord pool = MakePool("us-east-1_AAAAAAAAA");
  ASSERT_TRUE(stores_.pools->CreatePool(pool, {MakeKey(pool.id, "k1", 1000)}).ok());
  auto got = stores_.pools->GetPool(pool.id);
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(Fields(**got), Fields(pool));
}

TEST_P(StoreContractTest, GetMissingPoolIsEmpty) {
  auto got = stores_.pools->GetPool("us-east-1_missing00");
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->has_value());
}

TEST_P(StoreContractTest, DuplicatePoolIdFailsAndKeepsOriginal) {
  UserPoolRecord pool = MakePool("us-east-1_DUPLICATE");
  ASSERT_TRUE(stores_.pools->CreatePool(pool, {}).ok());
  UserPoolRecord again = MakePool(pool.id, 5000);
  again.name = "other";
  Status status = stores_.pools->CreatePool(again, {});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().http_status, 500);
  EXPECT_EQ(stores_.pools->GetPool(pool.id)->value().name, pool.name);
}

TEST_P(StoreContractTest, CreatePoolIsAllOrNothing) {
  ASSERT_TRUE(stores_.pools
                  ->CreatePool(MakePool("us-east-1_FIRST0000"),
                               {MakeKey("us-east-1_FIRST0000", "kid-taken", 1)})
                  .ok());
  // The second pool's key collides, so the pool row must not stay behind either.
  Status status = stores_.pools->CreatePool(MakePool("us-east-1_SECOND000"),
                                            {MakeKey("us-east-1_SECOND000", "kid-new", 1),
                                             MakeKey("us-east-1_SECOND000", "kid-taken", 2)});
  EXPECT_FALSE(status.ok());
  EXPECT_FALSE(stores_.pools->GetPool("us-east-1_SECOND000")->has_value());
  EXPECT_TRUE(stores_.keys->ListKeys("us-east-1_SECOND000")->empty());
}

TEST_P(StoreContractTest, UpdatesPool) {
  UserPoolRecord pool = MakePool("us-east-1_UPDATE000");
  ASSERT_TRUE(stores_.pools->CreatePool(pool, {}).ok());
  UserPoolRecord changed = pool;
  changed.name = "renamed";
  changed.modified_ms = 9000;
  changed.config_json = R"({"MfaConfiguration":"ON"})";
  changed.created_ms = 1;  // Not an updatable field: the stored value stays.
  ASSERT_TRUE(stores_.pools->UpdatePool(changed).ok());
  UserPoolRecord got = stores_.pools->GetPool(pool.id)->value();
  EXPECT_EQ(got.name, "renamed");
  EXPECT_EQ(got.modified_ms, 9000);
  EXPECT_EQ(got.config_json, changed.config_json);
  EXPECT_EQ(got.created_ms, pool.created_ms);
}

// [INVARIANT] An update based on a stale read never overwrites a newer one.
TEST_P(StoreContractTest, StalePoolUpdateIsRefused) {
  UserPoolRecord pool = MakePool("us-east-1_STALE0000");
  ASSERT_TRUE(stores_.pools->CreatePool(pool, {}).ok());
  UserPoolRecord first = stores_.pools->GetPool(pool.id)->value();
  UserPoolRecord second = first;  // Both writers read the same version.
  first.config_json = R"({"first":true})";
  ASSERT_TRUE(stores_.pools->UpdatePool(first).ok());
  second.config_json = R"({"second":true})";
  Status stale = stores_.pools->UpdatePool(second);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().type, "ConcurrentModificationException");
  UserPoolRecord got = stores_.pools->GetPool(pool.id)->value();
  EXPECT_EQ(got.config_json, first.config_json);
  EXPECT_EQ(got.version, first.version + 1);
  second.version = got.version;  // Re-read: now it applies.
  EXPECT_TRUE(stores_.pools->UpdatePool(second).ok());
}

TEST_P(StoreContractTest, UpdateOrDeleteMissingPoolIsNotFound) {
  ExpectNotFound(stores_.pools->UpdatePool(MakePool("us-east-1_NOPE00000")),
                 "User pool us-east-1_NOPE00000 does not exist.");
  ExpectNotFound(stores_.pools->DeletePool("us-east-1_NOPE00000"),
                 "User pool us-east-1_NOPE00000 does not exist.");
}

TEST_P(StoreContractTest, DeletesPool) {
  ASSERT_TRUE(stores_.pools->CreatePool(MakePool("us-east-1_DELETE000"), {}).ok());
  ASSERT_TRUE(stores_.pools->DeletePool("us-east-1_DELETE000").ok());
  EXPECT_FALSE(stores_.pools->GetPool("us-east-1_DELETE000")->has_value());
  ExpectNotFound(stores_.pools->DeletePool("us-east-1_DELETE000"),
                 "User pool us-east-1_DELETE000 does not exist.");
}

TEST_P(StoreContractTest, ListsPoolsInPagesById) {
  // Created out of order: the listing orders by id, not by insertion.
  for (std::string suffix : {"4", "1", "7", "3", "6", "2", "5"})
    ASSERT_TRUE(stores_.pools->CreatePool(MakePool("us-east-1_pool" + suffix), {}).ok());

  std::vector<size_t> sizes;
  std::vector<std::string> all;
  std::string after;
  do {
    auto page = stores_.pools->ListPools(after, 3);
    ASSERT_TRUE(page.ok());
    sizes.push_back(page->items.size());
    for (const auto& pool : page->items) all.push_back(pool.id);
    after = page->next_after;
    ASSERT_LE(sizes.size(), 5u) << "pagination does not end";
  } while (!after.empty());

  EXPECT_EQ(sizes, (std::vector<size_t>{3, 3, 1}));
  EXPECT_EQ(all, (std::vector<std::string>{"us-east-1_pool1", "us-east-1_pool2", "us-east-1_pool3",
                                           "us-east-1_pool4", "us-east-1_pool5", "us-east-1_pool6",
                                           "us-east-1_pool7"}));
}

TEST_P(StoreContractTest, PageThatEndsTheListingHasNoNext) {
  for (std::string suffix : {"a", "b", "c"})
    ASSERT_TRUE(stores_.pools->CreatePool(MakePool("us-east-1_" + suffix), {}).ok());
  auto page = stores_.pools->ListPools("", 3);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->next_after, "");
  auto first = stores_.pools->ListPools("", 2);
  EXPECT_EQ(first->next_after, "us-east-1_b");
  auto rest = stores_.pools->ListPools(first->next_after, 2);
  EXPECT_EQ(Ids(rest->items, &UserPoolRecord::id), std::vector<std::string>{"us-east-1_c"});
  EXPECT_EQ(rest->next_after, "");
}

TEST_P(StoreContractTest, ListsNoPoolsWhenEmpty) {
  auto page = stores_.pools->ListPools("", 10);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->items.empty());
  EXPECT_EQ(page->next_after, "");
}

TEST_P(StoreContractTest, CreatesGetsAndFindsClient) {
  ASSERT_TRUE(stores_.pools->CreatePool(MakePool("us-east-1_POOL00001"), {}).ok());
  ASSERT_TRUE(stores_.pools->CreatePool(MakePool("us-east-1_POOL00002"), {}).ok());
  AppClientRecord client = MakeClient("us-east-1_POOL00001", "abcdefghijklmnopqrstuvwxyz");
  client.secret_sealed = "";  // A public client.
  ASSERT_TRUE(stores_.clients->CreateClient(client).ok());

  auto got = stores_.clients->GetClient(client.pool_id, client.client_id);
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(Fields(**got), Fields(client));
  // A client is only found under its own pool.
  EXPECT_FALSE(stores_.clients->GetClient("us-east-1_POOL00002", client.client_id)->has_value());

  auto found = stores_.clients->FindClient(client.client_id);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(Fields(**found), Fields(client));
  EXPECT_FALSE(stores_.clients->FindClient("nosuchclient")->has_value());
}

TEST_P(StoreContractTest, CreateClientInMissingPoolIsNotFound) {
  ExpectNotFound(stores_.clients->CreateClient(MakeClient("us-east-1_NOPE00000", "c1")),
                 "User pool us-east-1_NOPE00000 does not exist.");
  EXPECT_FALSE(stores_.clients->FindClient("c1")->has_value());
}

TEST_P(StoreContractTest, StaleClientUpdateIsRefused) {
  ASSERT_TRUE(stores_.pools->CreatePool(MakePool("us-east-1_POOL00002"), {}).ok());
  ASSERT_TRUE(stores_.clients->CreateClient(MakeClient("us-east-1_POOL00002", "c2")).ok());
  AppClientRecord read = stores_.clients->GetClient("us-east-1_POOL00002", "c2")->value();
  AppClientRecord winner = read;
  winner.name = "winner";
  ASSERT_TRUE(stores_.clients->UpdateClient(winner).ok());
  read.name = "loser";
  Status stale = stores_.clients->UpdateClient(read);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().type, "ConcurrentModificationException");
  EXPECT_EQ(stores_.clients->GetClient("us-east-1_POOL00002", "c2")->value().name, "winner");
}

TEST_P(StoreContractTest, UpdatesClient) {
  ASSERT_TRUE(stores_.pools->CreatePool(MakePool("us-east-1_POOL00001"), {}).ok());
  AppClientRecord client = MakeClient("us-east-1_POOL00001", "c1");
  ASSERT_TRUE(stores_.clients->CreateClient(client).ok());
  AppClientRecord changed = client;
  changed.name = "renamed";
  changed.secret_sealed = "v1.rotated";
  changed.modified_ms = 7000;
  changed.config_json = "{}";
  changed.created_ms = 1;  // Not updatable.
  ASSERT_TRUE(stores_.clients->UpdateClient(changed).ok());
  AppClientRecord got = stores_.clients->GetClient(client.pool_id, "c1")->value();
  EXPECT_EQ(got.name, "renamed");
  EXPECT_EQ(got.secret_sealed, "v1.rotated");
  EXPECT_EQ(got.modified_ms, 7000);
  EXPECT_EQ(got.config_json, "{}");
  EXPECT_EQ(got.created_ms, client.created_ms);
}

TEST_P(StoreContractTest, UpdateOrDeleteMissingClientIsNotFound) {
  ASSERT_TRUE(stores_.pools->CreatePool(MakePool("us-east-1_POOL00001"), {}).ok());
  ExpectNotFound(stores_.clients->UpdateClient(MakeClient("us-east-1_POOL00001", "ghost")),
                 "User pool client ghost does not exist.");
  ExpectNotFound(stores_.clients->DeleteClient("us-east-1_POOL00001", "ghost"),
                 "User pool client ghost does not exist.");
  // The right id under the wrong pool is missing too.
  ASSERT_TRUE(stores_.pools->CreatePool(MakePool("us-east-1_POOL00002"), {}).ok());
  ASSERT_TRUE(stores_.clients->CreateClient(MakeClient("us-east-1_POOL00002", "c2")).ok());
  ExpectNotFound(stores_.clients->DeleteClient("us-east-1_POOL00001", "c2"),
                 "User pool client c2 does not exist.");
  EXPECT_TRUE(stores_.clients->FindClient("c2")->has_value());
}

TEST_P(StoreContractTest, DeletesClient) {
  ASSERT_TRUE(stores_.pools->CreatePool(MakePool("us-east-1_POOL00001"), {}).ok());
  ASSERT_TRUE(stores_.clients->CreateClient(MakeClient("us-east-1_POOL00001", "c1")).ok());
  ASSERT_TRUE(stores_.clients->DeleteClient("us-east-1_POOL00001", "c1").ok());
  EXPECT_FALSE(stores_.clients->FindClient("c1")->has_value());
  EXPECT_TRUE(stores_.pools->GetPool("us-east-1_POOL00001")->has_value());
}

TEST_P(StoreContractTest, ListsAndCountsClientsOfOnePool) {
  ASSERT_TRUE(stores_.pools->CreatePool(MakePool("us-east-1_POOL00001"), {}).ok());
  ASSERT_TRUE(stores_.pools->CreatePool(MakePool("us-east-1_POOL00002"), {}).ok());
  for (std::string id : {"c5", "c2", "c4", "c1", "c3"})
    ASSERT_TRUE(stores_.clients->CreateClient(MakeClient("us-east-1_POOL00001", id)).ok());
  ASSERT_TRUE(stores_.clients->CreateClient(MakeClient("us-east-1_POOL00002", "c0")).ok());

  auto first = stores_.clients->ListClients("us-east-1_POOL00001", "", 2);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(Ids(first->items, &AppClientRecord::client_id), (std::vector<std::string>{"c1", "c2"}));
  EXPECT_EQ(first->next_after, "c2");
  auto second = stores_.clients->ListClients("us-east-1_POOL00001", "c2", 2);
  EXPECT_EQ(Ids(second->items, &AppClientRecord::client_id),
            (std::vector<std::string>{"c3", "c4"}));
  EXPECT_EQ(second->next_after, "c4");
  auto last = stores_.clients->ListClients("us-east-1_POOL00001", "c4", 2);
  EXPECT_EQ(Ids(last->items, &AppClientRecord::client_id), std::vector<std::string>{"c5"});
  EXPECT_EQ(last->next_after, "");

  EXPECT_EQ(*stores_.clients->CountClients("us-east-1_POOL00001"), 5);
  EXPECT_EQ(*stores_.clients->CountClients("us-east-1_POOL00002"), 1);
  EXPECT_EQ(*stores_.clients->CountClients("us-east-1_NOPE00000"), 0);
}

TEST_P(StoreContractTest, DeletingPoolRemovesItsClientsAndKeys) {
  ASSERT_TRUE(stores_.pools
                  ->CreatePool(MakePool("us-east-1_GONE00000"),
                               {MakeKey("us-east-1_GONE00000", "gone-k1", 1)})
                  .ok());
  ASSERT_TRUE(stores_.pools
                  ->CreatePool(MakePool("us-east-1_KEPT00000"),
                               {MakeKey("us-east-1_KEPT00000", "kept-k1", 1)})
                  .ok());
  ASSERT_TRUE(stores_.keys->AddKey(MakeKey("us-east-1_GONE00000", "gone-k2", 2)).ok());
  ASSERT_TRUE(stores_.clients->CreateClient(MakeClient("us-east-1_GONE00000", "gone-c1")).ok());
  ASSERT_TRUE(stores_.clients->CreateClient(MakeClient("us-east-1_GONE00000", "gone-c2")).ok());
  ASSERT_TRUE(stores_.clients->CreateClient(MakeClient("us-east-1_KEPT00000", "kept-c1")).ok());

  ASSERT_TRUE(stores_.pools->DeletePool("us-east-1_GONE00000").ok());

  EXPECT_FALSE(stores_.clients->FindClient("gone-c1")->has_value());
  EXPECT_FALSE(stores_.clients->FindClient("gone-c2")->has_value());
  EXPECT_EQ(*stores_.clients->CountClients("us-east-1_GONE00000"), 0);
  EXPECT_TRUE(stores_.keys->ListKeys("us-east-1_GONE00000")->empty());
  // The other pool is untouched.
  EXPECT_TRUE(stores_.clients->FindClient("kept-c1")->has_value());
  EXPECT_EQ(stores_.keys->ListKeys("us-east-1_KEPT00000")->size(), 1u);
}

TEST_P(StoreContractTest, ListsKeysOldestFirst) {
  SigningKeyRecord newest = MakeKey("us-east-1_KEYS00000", "k-300", 300);
  SigningKeyRecord oldest = MakeKey("us-east-1_KEYS00000", "k-100", 100, /*active=*/false);
  oldest.use = "id";
  ASSERT_TRUE(stores_.pools->CreatePool(MakePool("us-east-1_KEYS00000"), {newest, oldest}).ok());
  SigningKeyRecord middle = MakeKey("us-east-1_KEYS00000", "k-200", 200);
  ASSERT_TRUE(stores_.keys->AddKey(middle).ok());

  auto keys = stores_.keys->ListKeys("us-east-1_KEYS00000");
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 3u);
  EXPECT_EQ(Fields((*keys)[0]), Fields(oldest));
  EXPECT_EQ(Fields((*keys)[1]), Fields(middle));
  EXPECT_EQ(Fields((*keys)[2]), Fields(newest));
  EXPECT_TRUE(stores_.keys->ListKeys("us-east-1_NOPE00000")->empty());
}

TEST_P(StoreContractTest, AddKeyToMissingPoolIsNotFound) {
  ExpectNotFound(stores_.keys->AddKey(MakeKey("us-east-1_NOPE00000", "k1", 1)),
                 "User pool us-east-1_NOPE00000 does not exist.");
}

TEST_P(StoreContractTest, UpsertsAccessKey) {
  EXPECT_FALSE(stores_.access_keys->GetAccessKey("AKIDEXAMPLE")->has_value());
  AccessKeyRecord key{.access_key_id = "AKIDEXAMPLE",
                      .secret_sealed = "v1.secret",
                      .policy_json = R"({"actions":["*"],"pools":["*"]})",
                      .description = "admin",
                      .created_ms = 100};
  ASSERT_TRUE(stores_.access_keys->PutAccessKey(key).ok());
  auto got = stores_.access_keys->GetAccessKey("AKIDEXAMPLE");
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(Fields(**got), Fields(key));

  AccessKeyRecord replaced = key;
  replaced.secret_sealed = "v1.rotated";
  replaced.policy_json = R"({"actions":["ListUserPools"],"pools":["*"]})";
  replaced.description = "read only";
  replaced.created_ms = 200;
  ASSERT_TRUE(stores_.access_keys->PutAccessKey(replaced).ok());
  EXPECT_EQ(Fields(stores_.access_keys->GetAccessKey("AKIDEXAMPLE")->value()), Fields(replaced));
}

TEST_P(StoreContractTest, KeepsTextExactly) {
  UserPoolRecord pool = MakePool("us-east-1_TEXT00000");
  pool.name = "Pool 'quoted' \"double\" ; DROP TABLE user_pools; -- ünïcødé ✓";
  pool.config_json = std::string(100000, 'x');  // Large values survive too.
  ASSERT_TRUE(stores_.pools->CreatePool(pool, {}).ok());
  EXPECT_EQ(Fields(stores_.pools->GetPool(pool.id)->value()), Fields(pool));
}

}  // namespace
}  // namespace cognate::store::contract
