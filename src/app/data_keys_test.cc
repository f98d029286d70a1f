#include "app/data_keys.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "crypto/random.h"
#include "store/sqlite/open.h"

namespace cognate::app {
namespace {

constexpr char kAad[] = "test-row";

TEST(LoadKeySetTest, FirstStartCreatesDataKeysLaterStartsReuseThem) {
  store::Stores stores = store::sqlite::Open(":memory:");
  crypto::KeyEncryptionKey master(crypto::RandomBytes(32));
  const std::string before_data_keys = master.Seal("old", kAad);

  auto first = LoadKeySet(master, *stores.data_keys, 1000);
  auto rows = *stores.data_keys->ListDataKeys();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, "k0");
  EXPECT_EQ(rows[1].id, "k1");
  EXPECT_EQ(rows[0].master_id, master.Fingerprint());
  const std::string sealed = first.Seal("new", kAad);
  EXPECT_EQ(sealed.rfind("v2.k1.", 0), 0u);

  auto second = LoadKeySet(master, *stores.data_keys, 2000);
  EXPECT_EQ(stores.data_keys->ListDataKeys()->size(), 2u);
  EXPECT_EQ(*second.Open(sealed, kAad), "new");
  EXPECT_EQ(*second.Open(before_data_keys, kAad), "old");
  EXPECT_EQ(second.Derive("trigger-secrets"), master.Derive("trigger-secrets"));
}

TEST(LoadKeySetTest, FinishesAKeySetAnotherNodeIsStillCreating) {
  store::Stores stores = store::sqlite::Open(":memory:");
  crypto::KeyEncryptionKey master(crypto::RandomBytes(32));
  // A node starting at the same time has stored k0 and not yet k1.
  crypto::WrappedDataKey root = master.WrapOwnBytes("k0");
  ASSERT_TRUE(*stores.data_keys->AddDataKey({root.id, master.Fingerprint(), root.wrapped, 1}));
  auto set = LoadKeySet(master, *stores.data_keys, 1000);
  EXPECT_EQ(set.Seal("x", kAad).rfind("v2.k1.", 0), 0u);
  EXPECT_EQ(stores.data_keys->ListDataKeys()->size(), 2u);
}

TEST(LoadKeySetTest, AnotherMasterKeyIsRefused) {
  store::Stores stores = store::sqlite::Open(":memory:");
  crypto::KeyEncryptionKey master(crypto::RandomBytes(32));
  LoadKeySet(master, *stores.data_keys, 1000);
  crypto::KeyEncryptionKey stranger(crypto::RandomBytes(32));
  EXPECT_THROW(LoadKeySet(stranger, *stores.data_keys, 2000), std::runtime_error);
  // Refusing created nothing under the stranger's name.
  EXPECT_EQ(stores.data_keys->ListDataKeys()->size(), 2u);
}

TEST(LoadKeySetTest, RewrappedKeysLoadUnderTheNewMasterOnly) {
  store::Stores stores = store::sqlite::Open(":memory:");
  crypto::KeyEncryptionKey old_master(crypto::RandomBytes(32));
  const std::string sealed = LoadKeySet(old_master, *stores.data_keys, 1000).Seal("v", kAad);
  crypto::KeyEncryptionKey new_master(crypto::RandomBytes(32));
  auto wrapped = stores.data_keys->ListDataKeys();
  for (const store::DataKeyRecord& key : *wrapped) {
    auto next = old_master.Rewrap({key.id, key.wrapped}, new_master);
    ASSERT_TRUE(next.ok());
    ASSERT_TRUE(
        *stores.data_keys->AddDataKey({key.id, new_master.Fingerprint(), next->wrapped, 2000}));
  }
  EXPECT_EQ(*LoadKeySet(new_master, *stores.data_keys, 3000).Open(sealed, kAad), "v");
  EXPECT_EQ(*LoadKeySet(old_master, *stores.data_keys, 3000).Open(sealed, kAad), "v");
  EXPECT_EQ(*stores.data_keys->RetireMasterKeys(new_master.Fingerprint()), 2);
  EXPECT_THROW(LoadKeySet(old_master, *stores.data_keys, 4000), std::runtime_error);
  EXPECT_EQ(*LoadKeySet(new_master, *stores.data_keys, 4000).Open(sealed, kAad), "v");
}

}  // namespace
}  // namespace cognate::app
