#include "auth/challenge_session.h"

#include <gtest/gtest.h>

#include <string>

#include "crypto/encoding.h"

namespace cognate::auth {
namespace {

class ChallengeSessionTest : public ::testing::Test {
 protected:
  ChallengeSessionTest()
      : kek_(std::string(32, 'k')), other_kek_(std::string(32, 'o')), sessions_(kek_, clock_) {}

  static ChallengeSession Sample() {
    return ChallengeSession{"eu-west-1_abc", "client1", "alice", "NEW_PASSWORD_REQUIRED", 1234, 0};
  }

  FakeClock clock_;
  crypto::KeyEncryptionKey kek_;
  crypto::KeyEncryptionKey other_kek_;
  ChallengeSessions sessions_;
};

TEST_F(ChallengeSessionTest, RoundTripsWhatItBinds) {
  std::string sealed = sessions_.Seal(Sample(), 180);
  EXPECT_GE(sealed.size(), 20u);  // SessionType: 20..2048 characters
  EXPECT_LE(sealed.size(), 2048u);
  auto opened = sessions_.Open(sealed);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->pool_id, "eu-west-1_abc");
  EXPECT_EQ(opened->client_id, "client1");
  EXPECT_EQ(opened->username_key, "alice");
  EXPECT_EQ(opened->challenge, "NEW_PASSWORD_REQUIRED");
  EXPECT_EQ(opened->password_changed_ms, 1234);
  EXPECT_EQ(opened->expires_ms, clock_.NowMs() + 180'000);
}

TEST_F(ChallengeSessionTest, ContentIsNotReadable) {
  std::string sealed = sessions_.Seal(Sample(), 180);
  EXPECT_EQ(sealed.find("alice"), std::string::npos);
  EXPECT_NE(sealed, sessions_.Seal(Sample(), 180));  // a fresh nonce each time
}

TEST_F(ChallengeSessionTest, ExpiresAfterItsValidity) {
  std::string sealed = sessions_.Seal(Sample(), 180);
  clock_.AdvanceMs(179'999);
  EXPECT_TRUE(sessions_.Open(sealed).ok());
  clock_.AdvanceMs(1);
  auto opened = sessions_.Open(sealed);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().type, "NotAuthorizedException");
  EXPECT_EQ(opened.error().message, "Invalid session for the user, session is expired.");
}

TEST_F(ChallengeSessionTest, RefusesGarbageAlteredAndForeignSessions) {
  std::string sealed = sessions_.Seal(Sample(), 180);
  std::string altered = sealed;
  altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
  ChallengeSessions foreign(other_kek_, clock_);
  for (const std::string& bad : {std::string("garbage-session-value-123"), altered,
                                 foreign.Seal(Sample(), 180), std::string()}) {
    auto opened = sessions_.Open(bad);
    ASSERT_FALSE(opened.ok()) << bad;
    EXPECT_EQ(opened.error().type, "NotAuthorizedException");
    EXPECT_EQ(opened.error().message, "Invalid session for the user.");
  }
}

TEST_F(ChallengeSessionTest, RefusesSealedValuesOfOtherKinds) {
  // The same KEK seals other things (client secrets, keys) under other aad.
  std::string secret =
      kek_.Seal(R"({"p":"x","c":"y","u":"z","ch":"A","pcm":0,"exp":1})", "client-secret:abc");
  EXPECT_EQ(sessions_.Open(secret).error().message, "Invalid session for the user.");
}

}  // namespace
}  // namespace cognate::auth
