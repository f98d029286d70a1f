// The TOTP set-up core (software_token.h): association, verification, replay and the limit on
// wrong codes.

#include "identity/software_token.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "identity/testing/mfa_fixture.h"
#include "identity/totp_factor.h"

namespace cognate::identity {
namespace {

class SoftwareTokenTest : public fakes::MfaFixture {
 protected:
  SoftwareTokenTest() {
    pool_id_ = NewPool();
    alice_ = AddUser(pool_id_, "alice");
  }

  std::string Associate() {
    auto secret = AssociateSoftwareToken(directory_, Pool(pool_id_), "alice");
    EXPECT_TRUE(secret.ok()) << secret.error().message;
    return secret.ok() ? *secret : "";
  }
  Status Verify(std::string_view code, bool enable = false, std::string_view name = "phone") {
    return VerifySoftwareToken(directory_, Pool(pool_id_), "alice", code, name, enable);
  }
  static Error ErrorOf(const Status& s) { return s.ok() ? Error{} : s.error(); }

  std::string pool_id_;
  store::UserRecord alice_;
};

TEST_F(SoftwareTokenTest, AssociateStoresASealedPendingSecret) {
  std::string secret = Associate();
  EXPECT_EQ(secret.size(), 32u);
  EXPECT_TRUE(fakes::AllFrom(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")) << secret;
  UserMfa mfa = StoredMfa(alice_);
  EXPECT_FALSE(mfa.totp_pending_sealed.empty());
  EXPECT_TRUE(mfa.totp_secret_sealed.empty());
  EXPECT_FALSE(mfa.totp_enabled);
  // Neither the raw nor the base32 secret is in the stored record.
  std::string stored = Stored(alice_).mfa_json;
  EXPECT_EQ(stored.find(secret), std::string::npos);
  EXPECT_EQ(stored.find(*crypto::Base32Decode(secret)), std::string::npos);
  // Each association is a new secret.
  EXPECT_NE(Associate(), secret);
}

TEST_F(SoftwareTokenTest, VerifyTurnsThePendingSecretIntoTheVerifiedOne) {
  std::string secret = Associate();
  ASSERT_TRUE(Verify(CodeFor(secret), false, "Pixel").ok());
  UserMfa mfa = StoredMfa(alice_);
  EXPECT_TRUE(mfa.totp_pending_sealed.empty());
  ASSERT_FALSE(mfa.totp_secret_sealed.empty());
  EXPECT_EQ(*OpenTotpSecret(kek_, Stored(alice_), mfa.totp_secret_sealed),
            *crypto::Base32Decode(secret));
  EXPECT_EQ(mfa.totp_device_name, "Pixel");
  EXPECT_EQ(mfa.totp_last_step, crypto::TotpStep(clock_.NowSeconds()));
  // Without `enable` the factor is registered, not turned on.
  EXPECT_FALSE(mfa.totp_enabled);
  EXPECT_EQ(mfa.preferred, "");
}

TEST_F(SoftwareTokenTest, VerifyWithEnableTurnsTotpOnAndPrefersIt) {
  std::string secret = Associate();
  ASSERT_TRUE(Verify(CodeFor(secret), true).ok());
  UserMfa mfa = StoredMfa(alice_);
  EXPECT_TRUE(mfa.totp_enabled);
  EXPECT_EQ(mfa.preferred, kSoftwareTokenMfa);
}

TEST_F(SoftwareTokenTest, TheVerifyingCodeCannotSignIn) {
  std::string secret = Associate();
  std::string code = CodeFor(secret);
  ASSERT_TRUE(Verify(code).ok());
  Status replay = ConsumeTotpCode(directory_, Pool(pool_id_), "alice", code);
  EXPECT_EQ(ErrorOf(replay).type, "CodeMismatchException");
  clock_.AdvanceMs(30'000);
  EXPECT_TRUE(ConsumeTotpCode(directory_, Pool(pool_id_), "alice", CodeFor(secret)).ok());
}

TEST_F(SoftwareTokenTest, OneStepOfDriftEitherWay) {
  std::string secret = Associate();
  EXPECT_TRUE(Verify(CodeFor(secret, -1)).ok());
  secret = Associate();
  EXPECT_TRUE(Verify(CodeFor(secret, 1)).ok());
  secret = Associate();
  EXPECT_EQ(ErrorOf(Verify(CodeFor(secret, -2))).type, "EnableSoftwareTokenMFAException");
  EXPECT_EQ(ErrorOf(Verify(CodeFor(secret, 2))).type, "EnableSoftwareTokenMFAException");
}

TEST_F(SoftwareTokenTest, WrongCodeIsRefusedAndCounted) {
  std::string secret = Associate();
  Error e = ErrorOf(Verify(WrongCode(secret)));
  EXPECT_EQ(e.type, "EnableSoftwareTokenMFAException");
  EXPECT_EQ(e.message, "Code mismatch and fail enable Software Token MFA");
  UserMfa mfa = StoredMfa(alice_);
  EXPECT_EQ(mfa.totp_pending_failures, 1);
  EXPECT_FALSE(mfa.totp_pending_sealed.empty());
  EXPECT_TRUE(mfa.totp_secret_sealed.empty());
  // Still usable after a few mistakes.
  EXPECT_TRUE(Verify(CodeFor(secret)).ok());
  EXPECT_EQ(StoredMfa(alice_).totp_pending_failures, 0);
}

TEST_F(SoftwareTokenTest, FiveWrongCodesDropThePendingSecret) {
  std::string secret = Associate();
  for (int i = 1; i < kMaxSoftwareTokenVerifyFailures; ++i) {
    EXPECT_EQ(ErrorOf(Verify(WrongCode(secret))).type, "EnableSoftwareTokenMFAException");
    EXPECT_FALSE(StoredMfa(alice_).totp_pending_sealed.empty()) << "after " << i;
  }
  EXPECT_EQ(ErrorOf(Verify(WrongCode(secret))).type, "EnableSoftwareTokenMFAException");
  EXPECT_TRUE(StoredMfa(alice_).totp_pending_sealed.empty());
  // The right code no longer helps: the user must associate again.
  EXPECT_EQ(ErrorOf(Verify(CodeFor(secret))).type, "InvalidParameterException");
  std::string again = Associate();
  EXPECT_EQ(StoredMfa(alice_).totp_pending_failures, 0);
  EXPECT_TRUE(Verify(CodeFor(again)).ok());
}

TEST_F(SoftwareTokenTest, VerifyWithoutAssociationIsRefused) {
  Error e = ErrorOf(Verify("123456"));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_NE(e.message.find("AssociateSoftwareToken"), std::string::npos) << e.message;
  EXPECT_EQ(Stored(alice_).mfa_json, "{}");
}

TEST_F(SoftwareTokenTest, ANewAssociationReplacesThePendingSecret) {
  std::string first = Associate();
  std::string second = Associate();
  std::string old_code = CodeFor(first);
  if (old_code != CodeFor(second) && old_code != CodeFor(second, -1) &&
      old_code != CodeFor(second, 1)) {
    EXPECT_EQ(ErrorOf(Verify(old_code)).type, "EnableSoftwareTokenMFAException");
  }
  EXPECT_TRUE(Verify(CodeFor(second)).ok());
}

TEST_F(SoftwareTokenTest, ANewVerifiedSecretReplacesTheOldOne) {
  std::string first = Associate();
  ASSERT_TRUE(Verify(CodeFor(first), true, "old phone").ok());
  clock_.AdvanceMs(60'000);
  std::string second = Associate();
  // Until the new secret is verified, the old one still signs in.
  ASSERT_TRUE(ConsumeTotpCode(directory_, Pool(pool_id_), "alice", CodeFor(first)).ok());
  clock_.AdvanceMs(30'000);
  ASSERT_TRUE(Verify(CodeFor(second), false, "").ok());
  UserMfa mfa = StoredMfa(alice_);
  EXPECT_EQ(*OpenTotpSecret(kek_, Stored(alice_), mfa.totp_secret_sealed),
            *crypto::Base32Decode(second));
  EXPECT_EQ(mfa.totp_device_name, "");
  EXPECT_TRUE(mfa.totp_enabled) << "re-registering keeps the factor on";
  clock_.AdvanceMs(30'000);
  std::string old_code = CodeFor(first);
  if (old_code != CodeFor(second) && old_code != CodeFor(second, -1) &&
      old_code != CodeFor(second, 1)) {
    EXPECT_EQ(ErrorOf(ConsumeTotpCode(directory_, Pool(pool_id_), "alice", old_code)).type,
              "CodeMismatchException");
  }
  EXPECT_TRUE(ConsumeTotpCode(directory_, Pool(pool_id_), "alice", CodeFor(second)).ok());
}

TEST_F(SoftwareTokenTest, PoolWithoutTotpRefusesBoth) {
  std::string other = NewPool({}, /*totp=*/false);
  AddUser(other, "bob");
  auto secret = AssociateSoftwareToken(directory_, Pool(other), "bob");
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.error().type, "SoftwareTokenMFANotFoundException");
  EXPECT_EQ(secret.error().message, "Software Token MFA has not been enabled by the userPool");
  Error e = ErrorOf(VerifySoftwareToken(directory_, Pool(other), "bob", "123456", "", false));
  EXPECT_EQ(e.type, "SoftwareTokenMFANotFoundException");
}

TEST_F(SoftwareTokenTest, UnknownUserAndLongDeviceName) {
  auto secret = AssociateSoftwareToken(directory_, Pool(pool_id_), "nobody");
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.error().type, "UserNotFoundException");
  std::string code = CodeFor(Associate());
  std::string name(kMaxFriendlyDeviceNameLength + 1, 'x');
  EXPECT_EQ(ErrorOf(Verify(code, false, name)).type, "InvalidParameterException");
  EXPECT_TRUE(Verify(code, false, name.substr(1)).ok());
}

TEST_F(SoftwareTokenTest, ConcurrentVerificationsWithOneCodeSucceedOnce) {
  std::string code = CodeFor(Associate());
  std::atomic<int> verified{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      Status s = Verify(code);
      (s.ok() ? verified : refused)++;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(verified.load(), 1);
  EXPECT_EQ(refused.load(), 5);
}

}  // namespace
}  // namespace cognate::identity
