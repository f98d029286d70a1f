// The CodeStore and RefreshTokenStore contracts (see store_contract_test.h): one-time codes are
// used at most once, refresh tokens rotate at most once, revocation reaches a whole sign-in.

#include <string>
#include <tuple>

#include "store/store_contract_test.h"
#include "store/user_contract_test_util.h"

namespace cognate::store::contract {
namespace {

TEST_P(StoreContractTest, PutsGetsAndConsumesCodeOnce) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  CodeRecord code = MakeCode(kPool, "ann", "signup", "hash-1", /*expires_ms=*/10'000);
  ASSERT_TRUE(stores_.codes->PutCode(code).ok());
  auto got = stores_.codes->GetCode(kPool, "ann", "signup");
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(Fields(**got), Fields(code));
  EXPECT_FALSE(stores_.codes->GetCode(kPool, "ann", "reset")->has_value());
  EXPECT_FALSE(stores_.codes->GetCode(kPool, "ben", "signup")->has_value());

  EXPECT_TRUE(*stores_.codes->ConsumeCode(kPool, "ann", "signup", "hash-1", 9999));
  EXPECT_FALSE(*stores_.codes->ConsumeCode(kPool, "ann", "signup", "hash-1", 9999));
  EXPECT_FALSE(stores_.codes->GetCode(kPool, "ann", "signup")->has_value());
}

TEST_P(StoreContractTest, ExpiredOrWrongCodeIsNotConsumed) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  ASSERT_TRUE(stores_.codes->PutCode(MakeCode(kPool, "ann", "reset", "right", 10'000)).ok());
  EXPECT_FALSE(*stores_.codes->ConsumeCode(kPool, "ann", "reset", "right", 10'000));  // Expired.
  EXPECT_FALSE(*stores_.codes->ConsumeCode(kPool, "ann", "reset", "wrong", 5000));
  EXPECT_FALSE(*stores_.codes->ConsumeCode(kPool, "ann", "signup", "right", 5000));
  EXPECT_FALSE(*stores_.codes->ConsumeCode(kPool, "ben", "reset", "right", 5000));
  EXPECT_TRUE(stores_.codes->GetCode(kPool, "ann", "reset")->has_value());
  EXPECT_TRUE(*stores_.codes->ConsumeCode(kPool, "ann", "reset", "right", 5000));
}

TEST_P(StoreContractTest, PutCodeReplacesThePreviousOne) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  ASSERT_TRUE(stores_.codes->PutCode(MakeCode(kPool, "ann", "verify:email", "old")).ok());
  ASSERT_TRUE(stores_.codes->PutCode(MakeCode(kPool, "ann", "signup", "other")).ok());
  ASSERT_EQ(*stores_.codes->AddFailedAttempt(kPool, "ann", "verify:email"), 1);
  CodeRecord fresh = MakeCode(kPool, "ann", "verify:email", "new", 20'000);
  fresh.created_ms = 2000;
  fresh.sends_in_window = 2;  // Carried over by the caller.
  ASSERT_TRUE(stores_.codes->PutCode(fresh).ok());
  EXPECT_EQ(Fields(stores_.codes->GetCode(kPool, "ann", "verify:email")->value()), Fields(fresh));
  EXPECT_FALSE(*stores_.codes->ConsumeCode(kPool, "ann", "verify:email", "old", 3000));
  // Another purpose is another code.
  EXPECT_EQ(stores_.codes->GetCode(kPool, "ann", "signup")->value().code_hash, "other");
}

TEST_P(StoreContractTest, CountsFailedCodeAttempts) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  ASSERT_TRUE(stores_.codes->PutCode(MakeCode(kPool, "ann", "signup", "h")).ok());
  EXPECT_EQ(*stores_.codes->AddFailedAttempt(kPool, "ann", "signup"), 1);
  EXPECT_EQ(*stores_.codes->AddFailedAttempt(kPool, "ann", "signup"), 2);
  EXPECT_EQ(*stores_.codes->AddFailedAttempt(kPool, "ann", "signup"), 3);
  EXPECT_EQ(stores_.codes->GetCode(kPool, "ann", "signup")->value().failed_attempts, 3);
  EXPECT_EQ(*stores_.codes->AddFailedAttempt(kPool, "ann", "reset"), 0);  // No code.
  EXPECT_FALSE(stores_.codes->GetCode(kPool, "ann", "reset")->has_value());
}

TEST_P(StoreContractTest, DeletesCode) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  ASSERT_TRUE(stores_.codes->PutCode(MakeCode(kPool, "ann", "signup", "h")).ok());
  ASSERT_TRUE(stores_.codes->DeleteCode(kPool, "ann", "signup").ok());
  EXPECT_FALSE(stores_.codes->GetCode(kPool, "ann", "signup")->has_value());
  EXPECT_TRUE(stores_.codes->DeleteCode(kPool, "ann", "signup").ok());  // Already gone: fine.
}

TEST_P(StoreContractTest, CodeOrTokenOfMissingUserIsNotFound) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  ExpectError(stores_.codes->PutCode(MakeCode(kPool, "ghost", "signup", "h")), kNotFound,
              "User does not exist.");
  ExpectError(stores_.refresh_tokens->PutRefreshToken(MakeToken(kPool, "ghost", "rt", "o")),
              kNotFound, "User does not exist.");
  EXPECT_FALSE(stores_.refresh_tokens->GetRefreshToken("rt")->has_value());
}

TEST_P(StoreContractTest, PutsAndGetsRefreshToken) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  RefreshTokenRecord token = MakeToken(kPool, "ann", "rt-1", "origin-1");
  token.auth_time_s = 1'700'000'000;
  token.scope = "openid email api/read";
  ASSERT_TRUE(stores_.refresh_tokens->PutRefreshToken(token).ok());
  auto got = stores_.refresh_tokens->GetRefreshToken("rt-1");
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(Fields(**got), Fields(token));
  EXPECT_FALSE(stores_.refresh_tokens->GetRefreshToken("rt-none")->has_value());
}

// [INVARIANT] A refresh token is rotated at most once, even by racing requests.
TEST_P(StoreContractTest, RotatesRefreshTokenOnce) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  ASSERT_TRUE(stores_.refresh_tokens->PutRefreshToken(MakeToken(kPool, "ann", "rt-1", "o")).ok());
  RefreshTokenRecord second = MakeToken(kPool, "ann", "rt-2", "o");
  second.created_ms = 5000;
  EXPECT_TRUE(*stores_.refresh_tokens->RotateRefreshToken("rt-1", 5000, second));
  EXPECT_EQ(stores_.refresh_tokens->GetRefreshToken("rt-1")->value().rotated_ms, 5000);
  EXPECT_EQ(Fields(stores_.refresh_tokens->GetRefreshToken("rt-2")->value()), Fields(second));

  // The old token again: refused, and its would-be replacement is not stored.
  EXPECT_FALSE(*stores_.refresh_tokens->RotateRefreshToken("rt-1", 6000,
                                                           MakeToken(kPool, "ann", "rt-2b", "o")));
  EXPECT_FALSE(stores_.refresh_tokens->GetRefreshToken("rt-2b")->has_value());
  EXPECT_EQ(stores_.refresh_tokens->GetRefreshToken("rt-1")->value().rotated_ms, 5000);
  EXPECT_FALSE(*stores_.refresh_tokens->RotateRefreshToken("rt-none", 6000,
                                                           MakeToken(kPool, "ann", "rt-2c", "o")));
  EXPECT_FALSE(stores_.refresh_tokens->GetRefreshToken("rt-2c")->has_value());

  // The replacement rotates in turn.
  EXPECT_TRUE(*stores_.refresh_tokens->RotateRefreshToken("rt-2", 7000,
                                                          MakeToken(kPool, "ann", "rt-3", "o")));
}

TEST_P(StoreContractTest, RevokesASignInSession) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  ASSERT_TRUE(stores_.users->CreateUser(MakeUser(kOtherPool, "ann"), {}).ok());
  for (auto [user, hash, origin] :
       {std::tuple{"ann", "rt-1", "o-1"}, std::tuple{"ann", "rt-2", "o-1"},
        std::tuple{"ann", "rt-3", "o-2"}, std::tuple{"ben", "rt-4", "o-3"}})
    ASSERT_TRUE(stores_.refresh_tokens->PutRefreshToken(MakeToken(kPool, user, hash, origin)).ok());
  ASSERT_TRUE(
      stores_.refresh_tokens->PutRefreshToken(MakeToken(kOtherPool, "ann", "rt-5", "o-1")).ok());

  EXPECT_FALSE(*stores_.refresh_tokens->IsOriginRevoked(kPool, "o-1"));
  ASSERT_TRUE(stores_.refresh_tokens->RevokeOrigin(kPool, "o-1", 90'000).ok());
  EXPECT_TRUE(*stores_.refresh_tokens->IsOriginRevoked(kPool, "o-1"));
  EXPECT_FALSE(*stores_.refresh_tokens->IsOriginRevoked(kPool, "o-2"));
  EXPECT_FALSE(*stores_.refresh_tokens->IsOriginRevoked(kOtherPool, "o-1"));
  EXPECT_TRUE(stores_.refresh_tokens->GetRefreshToken("rt-1")->value().revoked);
  EXPECT_TRUE(stores_.refresh_tokens->GetRefreshToken("rt-2")->value().revoked);
  EXPECT_FALSE(stores_.refresh_tokens->GetRefreshToken("rt-3")->value().revoked);
  EXPECT_FALSE(stores_.refresh_tokens->GetRefreshToken("rt-5")->value().revoked);
  // A revoked token does not rotate; revoking twice is fine.
  EXPECT_FALSE(*stores_.refresh_tokens->RotateRefreshToken("rt-1", 1,
                                                           MakeToken(kPool, "ann", "rt-6", "o-1")));
  EXPECT_TRUE(stores_.refresh_tokens->RevokeOrigin(kPool, "o-1", 80'000).ok());
  EXPECT_TRUE(*stores_.refresh_tokens->IsOriginRevoked(kPool, "o-1"));

  ASSERT_TRUE(stores_.refresh_tokens->RevokeUserTokens(kPool, "ann").ok());
  EXPECT_TRUE(stores_.refresh_tokens->GetRefreshToken("rt-3")->value().revoked);
  EXPECT_FALSE(stores_.refresh_tokens->GetRefreshToken("rt-4")->value().revoked);
  EXPECT_FALSE(stores_.refresh_tokens->GetRefreshToken("rt-5")->value().revoked);
  // Signing a user out everywhere revokes its sessions, so their access tokens are refused.
  EXPECT_TRUE(*stores_.refresh_tokens->IsOriginRevoked(kPool, "o-2"));
  EXPECT_FALSE(*stores_.refresh_tokens->IsOriginRevoked(kPool, "o-3"));
  EXPECT_FALSE(*stores_.refresh_tokens->IsOriginRevoked(kOtherPool, "o-1"));
}

// Housekeeping removes only what can no longer be used: expired codes whose send window is
// over, expired refresh tokens, revoked origins past their keep-until time.
TEST_P(StoreContractTest, PurgesOnlyExpiredRows) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  ASSERT_TRUE(stores_.codes->PutCode(MakeCode(kPool, "ann", "old", "h", 5'000)).ok());
  ASSERT_TRUE(stores_.codes->PutCode(MakeCode(kPool, "ann", "live", "h", 50'000)).ok());
  CodeRecord windowed = MakeCode(kPool, "ben", "old", "h", 5'000);
  windowed.window_ms = 9'000;  // expired, but its send window still counts
  ASSERT_TRUE(stores_.codes->PutCode(windowed).ok());
  EXPECT_EQ(*stores_.codes->PurgeExpiredCodes(10'000, 8'000, 100), 1);
  EXPECT_FALSE(stores_.codes->GetCode(kPool, "ann", "old")->has_value());
  EXPECT_TRUE(stores_.codes->GetCode(kPool, "ann", "live")->has_value());
  EXPECT_TRUE(stores_.codes->GetCode(kPool, "ben", "old")->has_value());

  RefreshTokenRecord expired = MakeToken(kPool, "ann", "rt-old", "o-1");
  expired.expires_ms = 5'000;
  ASSERT_TRUE(stores_.refresh_tokens->PutRefreshToken(expired).ok());
  ASSERT_TRUE(stores_.refresh_tokens->PutRefreshToken(MakeToken(kPool, "ann", "rt", "o-2")).ok());
  ASSERT_TRUE(stores_.refresh_tokens->RevokeOrigin(kPool, "o-3", 6'000).ok());
  ASSERT_TRUE(stores_.refresh_tokens->RevokeOrigin(kPool, "o-4", 60'000).ok());
  EXPECT_EQ(*stores_.refresh_tokens->PurgeExpiredTokens(10'000, 100), 2);
  EXPECT_FALSE(stores_.refresh_tokens->GetRefreshToken("rt-old")->has_value());
  EXPECT_TRUE(stores_.refresh_tokens->GetRefreshToken("rt")->has_value());
  EXPECT_FALSE(*stores_.refresh_tokens->IsOriginRevoked(kPool, "o-3"));
  EXPECT_TRUE(*stores_.refresh_tokens->IsOriginRevoked(kPool, "o-4"));
}

TEST_P(StoreContractTest, PurgeRespectsItsLimit) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  for (const char* purpose : {"a", "b", "c"})
    ASSERT_TRUE(stores_.codes->PutCode(MakeCode(kPool, "ann", purpose, "h", 5'000)).ok());
  EXPECT_EQ(*stores_.codes->PurgeExpiredCodes(10'000, 10'000, 2), 2);
  EXPECT_EQ(*stores_.codes->PurgeExpiredCodes(10'000, 10'000, 2), 1);
  EXPECT_EQ(*stores_.codes->PurgeExpiredCodes(10'000, 10'000, 2), 0);
}

}  // namespace
}  // namespace cognate::store::contract
