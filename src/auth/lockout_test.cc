// Failed sign-in lockout (cognito-wire.md §10.1): 5 failures lock for 1 s, each further one
// doubles it up to 15 minutes, attempts during a lockout do not count, and the counter resets
// after 15 minutes without failures.

#include <gtest/gtest.h>

#include "auth/testing/sign_in_env.h"

namespace cognate::auth {
namespace {

using testing::SignInTest;
using testing::TestClient;

constexpr char kWrong[] = "Wrong1!xx";

class LockoutTest : public SignInTest {
 protected:
  void SetUp() override {
    pool_ = NewPool();
    client_ = NewClient(pool_);
    key_ = AddUser(pool_, "alice").username_key;
  }

  std::string Attempt(const std::string& password, SignInService* service = nullptr) {
    SignInService& s = service ? *service : service_;
    auto out = s.InitiateAuth({{"ClientId", client_.id},
                               {"AuthFlow", "USER_PASSWORD_AUTH"},
                               {"AuthParameters", PasswordParams("alice", password)}});
    return out.ok() ? "OK" : out.error().message;
  }

  // Fails `n` times, each attempt after the previous lockout is over.
  void FailTimes(int n, SignInService* service = nullptr) {
    for (int i = 0; i < n; ++i) {
      int64_t locked_until = GetUser(pool_, key_).locked_until_ms;
      if (locked_until > clock_.NowMs()) clock_.SetMs(locked_until);
      ASSERT_EQ(Attempt(kWrong, service), "Incorrect username or password.");
    }
  }

  int64_t LockMs() { return GetUser(pool_, key_).locked_until_ms - clock_.NowMs(); }

  std::string pool_;
  TestClient client_;
  std::string key_;
};

TEST_F(LockoutTest, FifthFailureLocksForOneSecond) {
  FailTimes(4);
  EXPECT_LE(LockMs(), 0);
  EXPECT_EQ(Attempt(testing::kPassword), "OK");  // and clears the count
  EXPECT_EQ(GetUser(pool_, key_).failed_sign_ins, 0);
  FailTimes(5);
  EXPECT_EQ(LockMs(), 1000);
}

TEST_F(LockoutTest, LockedUsersAreRefusedWithoutCheckingThePassword) {
  FailTimes(5);
  EXPECT_EQ(Attempt(testing::kPassword), "Password attempts exceeded");
  EXPECT_EQ(Attempt(kWrong), "Password attempts exceeded");
  // Attempts during the lockout neither count nor extend it.
  EXPECT_EQ(GetUser(pool_, key_).failed_sign_ins, 5);
  EXPECT_EQ(LockMs(), 1000);
  clock_.AdvanceMs(999);
  EXPECT_EQ(Attempt(testing::kPassword), "Password attempts exceeded");
  clock_.AdvanceMs(1);
  EXPECT_EQ(Attempt(testing::kPassword), "OK");
  EXPECT_EQ(GetUser(pool_, key_).locked_until_ms, 0);
}

TEST_F(LockoutTest, EachFurtherFailureDoublesTheLockUpTo15Minutes) {
  FailTimes(5);
  int64_t expected = 1000;
  for (int failures = 6; failures <= 16; ++failures) {
    FailTimes(1);
    expected = std::min<int64_t>(expected * 2, 15 * 60 * 1000);
    EXPECT_EQ(LockMs(), expected) << failures << " failures";
  }
  EXPECT_EQ(LockMs(), 15 * 60 * 1000);
}

TEST_F(LockoutTest, FailuresAreForgottenAfter15QuietMinutes) {
  FailTimes(4);
  clock_.AdvanceMs(15 * 60 * 1000 + 1);
  FailTimes(1);
  EXPECT_EQ(GetUser(pool_, key_).failed_sign_ins, 1);
  EXPECT_LE(LockMs(), 0);
}

TEST_F(LockoutTest, UnknownUsersAndOtherUsersAreUnaffected) {
  AddUser(pool_, "bob");
  FailTimes(5);
  auto bob = service_.InitiateAuth({{"ClientId", client_.id},
                                    {"AuthFlow", "USER_PASSWORD_AUTH"},
                                    {"AuthParameters", PasswordParams("bob")}});
  EXPECT_TRUE(bob.ok());
}

TEST_F(LockoutTest, PolicyIsConfigurable) {
  LockoutPolicy policy;
  policy.threshold = 2;
  policy.max_lock_ms = 3000;
  policy.reset_after_ms = 60'000;
  SignInService strict(directory_, hasher_, tokens_, kek_, sender_, policy);
  FailTimes(2, &strict);
  EXPECT_EQ(LockMs(), 1000);
  FailTimes(1, &strict);
  EXPECT_EQ(LockMs(), 2000);
  FailTimes(1, &strict);
  EXPECT_EQ(LockMs(), 3000);  // capped
  clock_.AdvanceMs(60'001);
  FailTimes(1, &strict);
  EXPECT_EQ(GetUser(pool_, key_).failed_sign_ins, 1);
}

}  // namespace
}  // namespace cognate::auth
