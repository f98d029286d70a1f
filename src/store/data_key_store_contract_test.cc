// DataKeyStore contract: wrappings keyed by (data key, master key), first insert wins, retiring
// keeps only the named master's wrappings; flags round-trip.

#include "store/store_contract_test.h"

namespace cognate::store::contract {
namespace {

TEST_P(StoreContractTest, DataKeyWrappingsFirstInsertWins) {
  auto& keys = *stores_.data_keys;
  EXPECT_TRUE(keys.ListDataKeys()->empty());
  EXPECT_TRUE(*keys.AddDataKey({"k0", "m1", "wrapped-a", 10}));
  EXPECT_TRUE(*keys.AddDataKey({"k1", "m1", "wrapped-b", 11}));
  // A racing node's own wrapping of k1 under the same master loses; the first one stays.
  EXPECT_FALSE(*keys.AddDataKey({"k1", "m1", "wrapped-other", 12}));
  EXPECT_TRUE(*keys.AddDataKey({"k1", "m2", "wrapped-c", 13}));
  auto all = keys.ListDataKeys();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, "k0");
  EXPECT_EQ((*all)[1].wrapped, "wrapped-b");
  EXPECT_EQ((*all)[2].master_id, "m2");
  EXPECT_EQ((*all)[2].created_ms, 13);
}

TEST_P(StoreContractTest, RetiringMasterKeysKeepsOnlyTheNamedOne) {
  auto& keys = *stores_.data_keys;
  ASSERT_TRUE(keys.AddDataKey({"k0", "old", "a", 1}).ok());
  ASSERT_TRUE(keys.AddDataKey({"k1", "old", "b", 1}).ok());
  ASSERT_TRUE(keys.AddDataKey({"k0", "new", "c", 2}).ok());
  ASSERT_TRUE(keys.AddDataKey({"k1", "new", "d", 2}).ok());
  EXPECT_EQ(*keys.RetireMasterKeys("new"), 2);
  auto left = keys.ListDataKeys();
  ASSERT_EQ(left->size(), 2u);
  for (const DataKeyRecord& key : *left) EXPECT_EQ(key.master_id, "new");
  EXPECT_EQ(*keys.RetireMasterKeys("new"), 0);
}

TEST_P(StoreContractTest, FlagsRoundTrip) {
  auto& keys = *stores_.data_keys;
  EXPECT_EQ(*keys.GetFlag("profiles-sealed"), "");
  ASSERT_TRUE(keys.SetFlag("profiles-sealed", "1").ok());
  ASSERT_TRUE(keys.SetFlag("profiles-sealed", "2").ok());
  EXPECT_EQ(*keys.GetFlag("profiles-sealed"), "2");
  EXPECT_EQ(*keys.GetFlag("other"), "");
}

}  // namespace
}  // namespace cognate::store::contract
