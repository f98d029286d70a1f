#include "store/config_cache.h"

#include <gtest/gtest.h>

#include <string>

#include "store/sqlite/open.h"
#include "store/user_contract_test_util.h"

namespace cognate::store {
namespace {

using contract::kOtherPool;
using contract::kPool;
using contract::MakeClient;

constexpr const char* kClient = "abcdefghijklmnopqrstuvwxyz";
constexpr int64_t kTtlMs = 1000;

// The raw stores stand for another node writing to the same database behind the cache.
class ConfigCacheTest : public ::testing::Test {
 protected:
  ConfigCacheTest() : stores_(sqlite::Open(":memory:")) {
    contract::CreatePools(stores_);
    EXPECT_TRUE(stores_.clients->CreateClient(MakeClient(kPool, kClient)).ok());
    raw_pools_ = stores_.pools.get();
    raw_clients_ = stores_.clients.get();
    CachePoolsAndClients(stores_, clock_, kTtlMs);
  }

  std::string PoolName() { return (*stores_.pools->GetPool(kPool))->name; }
  void RenameBehindTheCache(const std::string& name) {
    UserPoolRecord pool = **raw_pools_->GetPool(kPool);
    pool.name = name;
    ASSERT_TRUE(raw_pools_->UpdatePool(pool).ok());
  }

  FakeClock clock_;
  Stores stores_;
  PoolStore* raw_pools_ = nullptr;
  ClientStore* raw_clients_ = nullptr;
};

TEST_F(ConfigCacheTest, OtherWritersAreSeenWithinTheTtl) {
  const std::string before = PoolName();
  RenameBehindTheCache("renamed");
  clock_.AdvanceMs(kTtlMs - 1);
  EXPECT_EQ(PoolName(), before);
  clock_.AdvanceMs(1);
  EXPECT_EQ(PoolName(), "renamed");
}

TEST_F(ConfigCacheTest, WritesThroughTheCacheAreSeenAtOnce) {
  ASSERT_TRUE(stores_.clients->FindClient(kClient)->has_value());
  UserPoolRecord pool = **stores_.pools->GetPool(kPool);
  pool.name = "updated";
  ASSERT_TRUE(stores_.pools->UpdatePool(pool).ok());
  EXPECT_EQ(PoolName(), "updated");

  AppClientRecord client = **stores_.clients->FindClient(kClient);
  client.name = "renamed client";
  ASSERT_TRUE(stores_.clients->UpdateClient(client).ok());
  EXPECT_EQ((*stores_.clients->FindClient(kClient))->name, "renamed client");
  // A pool's deletion takes its clients along, cached or not.
  ASSERT_TRUE(stores_.pools->DeletePool(kPool).ok());
  EXPECT_FALSE(stores_.pools->GetPool(kPool)->has_value());
  EXPECT_FALSE(stores_.clients->FindClient(kClient)->has_value());
}

TEST_F(ConfigCacheTest, MissesAreNotCached) {
  const std::string id = "zyxwvutsrqponmlkjihgfedcba";
  EXPECT_FALSE(stores_.clients->FindClient(id)->has_value());
  ASSERT_TRUE(raw_clients_->CreateClient(MakeClient(kOtherPool, id)).ok());
  EXPECT_TRUE(stores_.clients->FindClient(id)->has_value());
}

TEST_F(ConfigCacheTest, GetClientKeepsToItsPool) {
  ASSERT_TRUE(stores_.clients->FindClient(kClient)->has_value());
  EXPECT_TRUE(stores_.clients->GetClient(kPool, kClient)->has_value());
  EXPECT_FALSE(stores_.clients->GetClient(kOtherPool, kClient)->has_value());
}

TEST(ConfigCacheOffTest, ZeroTtlLeavesTheStores) {
  FakeClock clock;
  Stores stores = sqlite::Open(":memory:");
  PoolStore* raw = stores.pools.get();
  CachePoolsAndClients(stores, clock, 0);
  EXPECT_EQ(stores.pools.get(), raw);
}

}  // namespace
}  // namespace cognate::store
