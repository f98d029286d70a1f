#include "identity/secret_hash.h"

#include <gtest/gtest.h>

#include <string>

namespace cognate::identity {
namespace {

constexpr char kClientId[] = "6vgn8bktq1ob2iaj8v2s2g5q1b";
constexpr char kSecret[] = "1k4p0m3qrk2v6n6tq9t7a1l3n5o0p8s2c4e6g8i0k2m4o6q8s0u";

// Expected values computed independently with Python:
//   base64.b64encode(hmac.new(secret.encode(), (username + client_id).encode(),
//                             hashlib.sha256).digest())
constexpr char kAliceHash[] = "KcFIyX0K9ifm/B3pv1vh2BBqSppip6O6gowIYwBGQtc=";

TEST(SecretHashTest, MatchesIndependentlyComputedVectors) {
  EXPECT_EQ(ComputeSecretHash("alice", kClientId, kSecret), kAliceHash);
  EXPECT_EQ(ComputeSecretHash("Zoë@example.com", kClientId, kSecret),
            "HAkdRogxySayyNysCf3H6cDjP1Ct+MJ9M9zGbtsBz1Y=");
  EXPECT_EQ(ComputeSecretHash("alice", "6vgn8bktq1ob2iaj8v2s2g5q1c", kSecret),
            "CTobJCBBHOivcpyk46/zbt9BQUeu5DgQ3AbNkko0yxE=");
}

TEST(SecretHashTest, CorrectHashPasses) {
  EXPECT_TRUE(CheckSecretHash(kClientId, kSecret, "alice", std::string(kAliceHash)).ok());
}

TEST(SecretHashTest, MissingHashIsRefusedWithCognitosMessage) {
  for (const std::optional<std::string>& provided :
       {std::optional<std::string>(), std::optional<std::string>("")}) {
    Status s = CheckSecretHash(kClientId, kSecret, "alice", provided);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().type, "NotAuthorizedException");
    EXPECT_EQ(s.error().message,
              "Client 6vgn8bktq1ob2iaj8v2s2g5q1b is configured for secret but "
              "secret was not received");
  }
}

TEST(SecretHashTest, WrongHashIsRefusedWithCognitosMessage) {
  const std::string wrong[] = {
      ComputeSecretHash("bob", kClientId, kSecret),          // Another user's hash.
      ComputeSecretHash("Alice", kClientId, kSecret),        // Username compared byte for byte.
      ComputeSecretHash("alice", kClientId, "othersecret"),  // Old secret.
      std::string(kAliceHash).substr(0, 43),                 // Truncated.
      std::string(kAliceHash) + "=",
      "not base64 at all"};
  for (const std::string& provided : wrong) {
    Status s = CheckSecretHash(kClientId, kSecret, "alice", provided);
    ASSERT_FALSE(s.ok()) << provided;
    EXPECT_EQ(s.error().type, "NotAuthorizedException");
    EXPECT_EQ(s.error().message,
              "Unable to verify secret hash for client 6vgn8bktq1ob2iaj8v2s2g5q1b");
  }
}

TEST(SecretHashTest, ClientWithoutSecretIgnoresWhateverIsSent) {
  EXPECT_TRUE(CheckSecretHash(kClientId, "", "alice", std::nullopt).ok());
  EXPECT_TRUE(CheckSecretHash(kClientId, "", "alice", std::string("garbage")).ok());
  EXPECT_TRUE(CheckSecretHash(kClientId, "", "alice", std::string(kAliceHash)).ok());
}

}  // namespace
}  // namespace cognate::identity
