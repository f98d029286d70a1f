// Housekeeper: a pass deletes expired rows in batches and nothing that is still usable; the
// background thread runs passes until stopped.

#include "app/housekeeper.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "identity/codes.h"
#include "store/sqlite/open.h"
#include "store/user_contract_test_util.h"

namespace cognate::app {
namespace {
using store::contract::kPool;

class HousekeeperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(store::contract::CreatePools(stores_));
    ASSERT_TRUE(stores_.users->CreateUser(store::contract::MakeUser(kPool, "ann"), {}).ok());
  }

  void AddCode(const std::string& purpose, int64_t expires_ms, int64_t window_ms = 0) {
    store::CodeRecord code = store::contract::MakeCode(kPool, "ann", purpose, "h", expires_ms);
    code.window_ms = window_ms;
    ASSERT_TRUE(stores_.codes->PutCode(code).ok());
  }

  bool HasCode(const std::string& purpose) {
    return stores_.codes->GetCode(kPool, "ann", purpose)->has_value();
  }

  FakeClock clock_{10 * identity::kHourMs};
  store::Stores stores_ = store::sqlite::Open(":memory:");
};

TEST_F(HousekeeperTest, PassDeletesExpiredRowsInBatches) {
  for (int i = 0; i < 7; ++i) AddCode("session:" + std::to_string(i), clock_.NowMs() - 1);
  AddCode("live", clock_.NowMs() + 60'000);
  // Expired, but its send window (an hour from window_ms) still limits new codes.
  AddCode("signup", clock_.NowMs() - 1, clock_.NowMs() - 60'000);
  store::RefreshTokenRecord old = store::contract::MakeToken(kPool, "ann", "rt-old", "o-1");
  old.expires_ms = clock_.NowMs() - 1;
  ASSERT_TRUE(stores_.refresh_tokens->PutRefreshToken(old).ok());

  Housekeeper keeper(stores_, clock_, {.interval_ms = 60'000, .batch = 3});
  EXPECT_EQ(*keeper.RunOnce(), 8);  // 7 codes in three batches, one token
  EXPECT_TRUE(HasCode("live"));
  EXPECT_TRUE(HasCode("signup"));
  EXPECT_FALSE(HasCode("session:0"));
  EXPECT_FALSE(stores_.refresh_tokens->GetRefreshToken("rt-old")->has_value());
  clock_.AdvanceMs(identity::kCodeSendWindowMs);  // the window is over now
  EXPECT_EQ(*keeper.RunOnce(), 2);
  EXPECT_FALSE(HasCode("signup"));
}

TEST_F(HousekeeperTest, ThreadRunsPassesUntilStopped) {
  AddCode("session:x", clock_.NowMs() - 1);
  Housekeeper keeper(stores_, clock_, {.interval_ms = 10, .batch = 100});
  keeper.Start();
  for (int i = 0; i < 500 && HasCode("session:x"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  keeper.Stop();
  EXPECT_FALSE(HasCode("session:x"));
  AddCode("session:y", clock_.NowMs() - 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(HasCode("session:y"));  // stopped: no more passes
}

}  // namespace
}  // namespace cognate::app
