#include "token/keyring.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "token/testing/token_env.h"

namespace cognate::token {
namespace {

using token_testing::TestKey;
using token_testing::TokenEnv;

constexpr char kPool[] = "us-east-1_Keyring01";

class KeyringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    records_ = env_.CreatePool(kPool);
    ASSERT_EQ(records_.size(), 2u);
  }
  // Signs and verifies with the keyring's key, proving the private half was opened.
  static bool SignsFor(const RsaKey& signer, const RsaKey& verifier) {
    return verifier.VerifyRs256("data", signer.SignRs256("data"));
  }

  TokenEnv env_;
  std::vector<store::SigningKeyRecord> records_;  // [0] "id", [1] "access"
};

TEST_F(KeyringTest, SigningKeysPerUse) {
  auto id = env_.keyring().SigningKeyFor(kPool, "id");
  auto access = env_.keyring().SigningKeyFor(kPool, "access");
  ASSERT_TRUE(id.ok() && access.ok());
  EXPECT_EQ(id->kid, records_[0].kid);
  EXPECT_EQ(access->kid, records_[1].kid);
  EXPECT_NE(id->kid, access->kid);
  EXPECT_TRUE(SignsFor(id->key, TestKey(0)));
  EXPECT_TRUE(SignsFor(access->key, TestKey(1)));
  EXPECT_EQ(env_.counting().lists, 1);  // both answered from one load
}

TEST_F(KeyringTest, NewestActiveKeyOfTheUseSigns) {
  // Added before the first load, so the first load sees them (same created_ms: rowid order).
  ASSERT_TRUE(env_.keys().AddKey(env_.Record(kPool, "access", TestKey(2))).ok());
  ASSERT_TRUE(env_.keys().AddKey(env_.Record(kPool, "access", TestKey(3), false)).ok());
  auto access = env_.keyring().SigningKeyFor(kPool, "access");
  ASSERT_TRUE(access.ok());
  EXPECT_EQ(access->kid, TestKey(2).Kid());
  // The retired key and the older one still verify.
  for (int i : {1, 2, 3}) {
    auto key = env_.keyring().VerificationKey(kPool, TestKey(i).Kid());
    ASSERT_TRUE(key.ok() && key->has_value()) << i;
    EXPECT_TRUE(SignsFor(TestKey(i), **key));
  }
}

TEST_F(KeyringTest, UnknownUseOrPoolIsAnInternalError) {
  auto other = env_.keyring().SigningKeyFor(kPool, "refresh");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().type, "InternalErrorException");
  EXPECT_FALSE(env_.keyring().SigningKeyFor("us-east-1_Missing", "id").ok());
}

TEST_F(KeyringTest, UnknownKidIsNotFound) {
  auto key = env_.keyring().VerificationKey(kPool, TestKey(4).Kid());
  ASSERT_TRUE(key.ok());
  EXPECT_FALSE(key->has_value());
  auto missing_pool = env_.keyring().VerificationKey("us-east-1_Missing", records_[0].kid);
  ASSERT_TRUE(missing_pool.ok());
  EXPECT_FALSE(missing_pool->has_value());
}

TEST_F(KeyringTest, KeyAddedLaterIsFoundAfterTheThrottle) {
  ASSERT_TRUE(env_.keyring().VerificationKey(kPool, records_[0].kid)->has_value());
  EXPECT_EQ(env_.counting().lists, 1);
  // Another node rotates: the key reaches the store after this node cached the pool.
  ASSERT_TRUE(env_.keys().AddKey(env_.Record(kPool, "access", TestKey(4))).ok());
  const std::string kid = TestKey(4).Kid();
  // The first miss right after the load is throttled: no store read.
  EXPECT_FALSE(env_.keyring().VerificationKey(kPool, kid)->has_value());
  EXPECT_EQ(env_.counting().lists, 1);
  env_.clock().AdvanceMs(Keyring::kReloadIntervalMs - 1);
  EXPECT_FALSE(env_.keyring().VerificationKey(kPool, kid)->has_value());
  EXPECT_EQ(env_.counting().lists, 1);
  env_.clock().AdvanceMs(1);
  auto key = env_.keyring().VerificationKey(kPool, kid);
  ASSERT_TRUE(key.ok() && key->has_value());
  EXPECT_TRUE(SignsFor(TestKey(4), **key));
  EXPECT_EQ(env_.counting().lists, 2);
  // Now cached: no more reads, and the new key is also the newest "access" signer.
  EXPECT_EQ(env_.keyring().SigningKeyFor(kPool, "access")->kid, kid);
  EXPECT_EQ(env_.counting().lists, 2);
}

TEST_F(KeyringTest, ForgedKidsCauseAtMostOneReadPerSecond) {
  ASSERT_TRUE(env_.keyring().VerificationKey(kPool, records_[0].kid).ok());
  for (int second = 0; second < 3; ++second) {
    for (int i = 0; i < 50; ++i) {
      auto key = env_.keyring().VerificationKey(kPool, "forged-" + std::to_string(i));
      ASSERT_TRUE(key.ok());
      EXPECT_FALSE(key->has_value());
      env_.clock().AdvanceMs(10);
    }
    env_.clock().AdvanceMs(500);  // 1 s per round in all
  }
  // One initial load plus one reload per elapsed second.
  EXPECT_LE(env_.counting().lists, 4);
  EXPECT_GE(env_.counting().lists, 3);
}

TEST_F(KeyringTest, MissingPoolsAreCachedAsEmpty) {
  for (int i = 0; i < 20; ++i) {
    EXPECT_FALSE(env_.keyring().VerificationKey("us-east-1_Nope", "kid")->has_value());
  }
  EXPECT_EQ(env_.counting().lists, 1);
}

TEST_F(KeyringTest, KeysAreReReadWhenOld) {
  ASSERT_TRUE(env_.keyring().SigningKeyFor(kPool, "access").ok());
  ASSERT_TRUE(env_.keys().AddKey(env_.Record(kPool, "access", TestKey(5))).ok());
  env_.clock().AdvanceMs(Keyring::kMaxAgeMs - 1);
  EXPECT_EQ(env_.keyring().SigningKeyFor(kPool, "access")->kid, records_[1].kid);
  env_.clock().AdvanceMs(1);
  EXPECT_EQ(env_.keyring().SigningKeyFor(kPool, "access")->kid, TestKey(5).Kid());
  EXPECT_EQ(env_.counting().lists, 2);
}

TEST_F(KeyringTest, KeysDatedAheadVerifyAtOnceAndSignFromTheirTime) {
  ASSERT_TRUE(env_.keyring().SigningKeyFor(kPool, "access").ok());
  // A rotation on another node publishes a key that signs 60 s from now.
  auto ahead = env_.Record(kPool, "access", TestKey(5));
  ahead.created_ms = env_.clock().NowMs() + 60'000;
  ASSERT_TRUE(env_.keys().AddKey(ahead).ok());
  env_.clock().AdvanceMs(Keyring::kMaxAgeMs);
  auto key = env_.keyring().VerificationKey(kPool, ahead.kid);
  ASSERT_TRUE(key.ok() && key->has_value());
  EXPECT_TRUE(SignsFor(TestKey(5), **key));
  EXPECT_EQ(env_.keyring().SigningKeyFor(kPool, "access")->kid, records_[1].kid);
  env_.clock().AdvanceMs(59'000);
  EXPECT_EQ(env_.keyring().SigningKeyFor(kPool, "access")->kid, ahead.kid);
  // The older key still verifies what it signed.
  EXPECT_TRUE(env_.keyring().VerificationKey(kPool, records_[1].kid)->has_value());
}

TEST_F(KeyringTest, OnlyKeyDatedAheadStillSigns) {
  auto ahead = env_.Record("us-east-1_AheadOnly", "id", TestKey(2));
  ahead.created_ms = env_.clock().NowMs() + 60'000;
  ASSERT_TRUE(env_.CreateBarePool(ahead.pool_id));
  ASSERT_TRUE(env_.keys().AddKey(ahead).ok());
  auto key = env_.keyring().SigningKeyFor(ahead.pool_id, "id");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->kid, ahead.kid);
}

TEST_F(KeyringTest, ReReadsReuseKeysAlreadyOpened) {
  ASSERT_TRUE(env_.keyring().SigningKeyFor(kPool, "id").ok());
  // A re-read after kMaxAgeMs does not decrypt known keys again: with every sealed key now
  // unreadable, the re-read still succeeds from the keys in hand.
  env_.counting().scramble_sealed = true;
  env_.clock().AdvanceMs(Keyring::kMaxAgeMs);
  auto again = env_.keyring().SigningKeyFor(kPool, "id");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->kid, records_[0].kid);
  EXPECT_EQ(env_.counting().lists, 2);
  // A key it has not seen must be opened, and an unreadable one fails the re-read (the previous
  // keys are kept).
  ASSERT_TRUE(env_.keys().AddKey(env_.Record(kPool, "id", TestKey(4))).ok());
  env_.clock().AdvanceMs(Keyring::kMaxAgeMs);
  EXPECT_EQ(env_.keyring().SigningKeyFor(kPool, "id")->kid, records_[0].kid);
  EXPECT_EQ(env_.counting().lists, 3);
  env_.counting().scramble_sealed = false;
  env_.clock().AdvanceMs(Keyring::kReloadIntervalMs);
  EXPECT_EQ(env_.keyring().SigningKeyFor(kPool, "id")->kid, TestKey(4).Kid());
}

TEST_F(KeyringTest, StoreFailures) {
  // Nothing cached yet: the error surfaces.
  env_.counting().fail_lists = true;
  auto first = env_.keyring().SigningKeyFor(kPool, "id");
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().type, "InternalErrorException");
  // Cached keys keep working when a later reload fails.
  env_.counting().fail_lists = false;
  ASSERT_TRUE(env_.keyring().SigningKeyFor(kPool, "id").ok());
  env_.counting().fail_lists = true;
  env_.clock().AdvanceMs(Keyring::kMaxAgeMs);
  auto later = env_.keyring().SigningKeyFor(kPool, "id");
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->kid, records_[0].kid);
  EXPECT_TRUE(env_.keyring().VerificationKey(kPool, records_[1].kid)->has_value());
  // A kid it does not know may be a key added while the store was away: an error, not "no
  // such key", until a re-read succeeds.
  auto unknown = env_.keyring().VerificationKey(kPool, TestKey(4).Kid());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().type, "InternalErrorException");
  env_.clock().AdvanceMs(Keyring::kReloadIntervalMs / 2);
  EXPECT_FALSE(env_.keyring().VerificationKey(kPool, TestKey(4).Kid()).ok());  // throttled
  env_.counting().fail_lists = false;
  env_.clock().AdvanceMs(Keyring::kReloadIntervalMs);
  auto known_now = env_.keyring().VerificationKey(kPool, TestKey(4).Kid());
  ASSERT_TRUE(known_now.ok());
  EXPECT_FALSE(known_now->has_value());
}

TEST_F(KeyringTest, KeysThatDoNotOpenAreAnError) {
  auto wrong_aad = env_.Record("us-east-1_BadAad", "id", TestKey(2));
  wrong_aad.private_key_sealed = env_.kek().Seal(TestKey(2).PrivatePem(), "signing-key:other");
  crypto::KeyEncryptionKey other_kek(std::string(32, 'o'));
  auto wrong_kek = env_.Record("us-east-1_BadKek", "id", TestKey(3));
  wrong_kek.private_key_sealed =
      other_kek.Seal(TestKey(3).PrivatePem(), "signing-key:" + wrong_kek.kid);
  auto not_pem = env_.Record("us-east-1_BadPem", "id", TestKey(4));
  not_pem.private_key_sealed = env_.kek().Seal("not a key", "signing-key:" + not_pem.kid);
  for (const auto& record : {wrong_aad, wrong_kek, not_pem}) {
    ASSERT_TRUE(env_.CreateBarePool(record.pool_id));
    ASSERT_TRUE(env_.keys().AddKey(record).ok());
    auto key = env_.keyring().VerificationKey(record.pool_id, record.kid);
    ASSERT_FALSE(key.ok()) << record.pool_id;
    EXPECT_EQ(key.error().type, "InternalErrorException");
  }
}

TEST_F(KeyringTest, ForgetDropsTheCache) {
  ASSERT_TRUE(env_.keyring().SigningKeyFor(kPool, "id").ok());
  env_.keyring().Forget(kPool);
  ASSERT_TRUE(env_.keyring().SigningKeyFor(kPool, "id").ok());
  EXPECT_EQ(env_.counting().lists, 2);
}

TEST_F(KeyringTest, ConcurrentUse) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        auto signer = env_.keyring().SigningKeyFor(kPool, (i + t) % 2 ? "id" : "access");
        auto key = env_.keyring().VerificationKey(kPool, i % 3 ? records_[0].kid : "forged");
        if (!signer.ok() || !key.ok()) ++failures;
        if (t == 0) env_.clock().AdvanceMs(7);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace cognate::token
