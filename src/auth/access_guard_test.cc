#include "auth/access_guard.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

#include "crypto/random.h"
#include "identity/pool_service.h"
#include "identity/testing/service_fixture.h"
#include "store/sqlite/open.h"
#include "token/keyring.h"

namespace cognate::auth {
namespace {

namespace json = boost::json;

constexpr char kPublicUrl[] = "https://cognito.test";

class AccessGuardTest : public ::testing::Test {
 protected:
  AccessGuardTest()
      : stores_(store::sqlite::Open(":memory:")),
        kek_(std::string_view(identity::fakes::kTestKek, 32)),
        pools_(*stores_.pools, *stores_.clients, *stores_.keys, kek_, clock_, {},
               identity::fakes::CachedKeyFactory()),
        keyring_(*stores_.keys, kek_, clock_),
        tokens_(keyring_, clock_, kPublicUrl),
        directory_(stores_, kek_, clock_),
        guard_(directory_, tokens_) {
    pool_id_ = NewPool({{"PoolName", "p"}});
    auto client = pools_.CreateUserPoolClient({{"UserPoolId", pool_id_}, {"ClientName", "c"}});
    EXPECT_TRUE(client.ok());
    if (client.ok()) client_id_ = client->at("UserPoolClient").at("ClientId").as_string();
    user_ = CreateUser(pool_id_, "alice");
  }

  std::string NewPool(json::object request) {
    auto pool = pools_.CreateUserPool(request);
    EXPECT_TRUE(pool.ok());
    return pool.ok() ? std::string(pool->at("UserPool").at("Id").as_string()) : "";
  }

  store::UserRecord CreateUser(const std::string& pool_id, const std::string& username) {
    auto pool = directory_.LoadPool(pool_id);
    EXPECT_TRUE(pool.ok());
    store::UserRecord user;
    user.pool_id = pool_id;
    user.username = username;
    user.username_key = identity::UserDirectory::UsernameKey(*pool, username);
    user.sub = crypto::RandomUuid();
    user.status = "CONFIRMED";
    user.attributes_json = "{}";
    user.created_ms = user.modified_ms = clock_.NowMs();
    EXPECT_TRUE(stores_.users->CreateUser(user, {}).ok());
    return user;
  }

  token::IssuedTokens Issue(const store::UserRecord& user,
                            std::string scope = std::string(kUserAdminScope)) {
    token::IssueRequest r;
    r.pool_id = user.pool_id;
    r.client_id = client_id_;
    r.sub = user.sub;
    r.username = user.username;
    r.origin_jti = crypto::RandomUuid();
    r.auth_time_s = clock_.NowSeconds();
    r.id_validity_s = 3600;
    r.access_validity_s = 3600;
    r.scope = std::move(scope);
    auto issued = tokens_.Issue(r);
    EXPECT_TRUE(issued.ok()) << issued.error().message;
    // A real sign-in also stores the session's refresh token: GlobalSignOut revokes by session.
    store::RefreshTokenRecord refresh{"rt-" + r.origin_jti, user.pool_id, r.client_id,
                                      user.username_key,    r.origin_jti,  r.auth_time_s,
                                      clock_.NowMs(),       clock_.NowMs() + 3600 * 1000};
    EXPECT_TRUE(stores_.refresh_tokens->PutRefreshToken(refresh).ok());
    return issued.ok() ? *issued : token::IssuedTokens{};
  }

  store::UserRecord Stored(const store::UserRecord& user) {
    auto found = stores_.users->GetUser(user.pool_id, user.username_key);
    EXPECT_TRUE(found.ok() && found->has_value());
    return found.ok() && found->has_value() ? **found : store::UserRecord{};
  }

  // The NotAuthorizedException message of a refused token.
  std::string Refusal(std::string_view token) {
    auto result = guard_.Authenticate(token);
    EXPECT_FALSE(result.ok());
    if (result.ok()) return "";
    EXPECT_EQ(result.error().type, "NotAuthorizedException");
    return result.error().message;
  }

  FakeClock clock_{1'700'000'000'000};
  store::Stores stores_;
  crypto::KeyEncryptionKey kek_;
  identity::PoolService pools_;
  token::Keyring keyring_;
  token::TokenService tokens_;
  identity::UserDirectory directory_;
  AccessGuard guard_;
  std::string pool_id_;
  std::string client_id_;
  store::UserRecord user_;
};

TEST_F(AccessGuardTest, AdmitsAGoodTokenWithItsPoolUserAndClaims) {
  auto issued = Issue(user_);
  auto who = guard_.Authenticate(issued.access_token);
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(who->pool.id(), pool_id_);
  EXPECT_EQ(who->user.sub, user_.sub);
  EXPECT_EQ(who->user.username, "alice");
  EXPECT_EQ(who->claims.client_id, client_id_);
  EXPECT_EQ(who->claims.jti, issued.access_jti);
}

TEST_F(AccessGuardTest, RefusesGarbageTamperedAndIdTokens) {
  EXPECT_EQ(Refusal(""), "Invalid Access Token");
  EXPECT_EQ(Refusal("not.a.token"), "Invalid Access Token");
  auto issued = Issue(user_);
  std::string tampered = issued.access_token;
  size_t dot = tampered.find('.');
  tampered[dot + 5] = tampered[dot + 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Refusal(tampered), "Invalid Access Token");
  EXPECT_EQ(Refusal(issued.id_token), "Invalid Access Token");
}

TEST_F(AccessGuardTest, RefusesAnExpiredToken) {
  auto issued = Issue(user_);
  clock_.AdvanceMs(3600 * 1000);
  EXPECT_EQ(Refusal(issued.access_token), "Access Token has expired");
}

TEST_F(AccessGuardTest, RequiresTheUserAdminScope) {
  EXPECT_EQ(Refusal(Issue(user_, "openid email").access_token),
            "Access Token does not have required scopes");
  EXPECT_EQ(Refusal(Issue(user_, "aws.cognito.signin.user.adminx").access_token),
            "Access Token does not have required scopes");
  EXPECT_TRUE(
      guard_.Authenticate(Issue(user_, "openid aws.cognito.signin.user.admin email").access_token)
          .ok());
}

TEST_F(AccessGuardTest, RefusesTokensOfDeletedRecreatedAndDisabledUsers) {
  auto token = Issue(user_).access_token;
  ASSERT_TRUE(stores_.users->DeleteUser(pool_id_, user_.username_key).ok());
  EXPECT_EQ(Refusal(token), "User does not exist.");
  // Same name, new user: the old token names another sub.
  store::UserRecord again = CreateUser(pool_id_, "alice");
  EXPECT_EQ(Refusal(token), "User does not exist.");
  store::UserRecord disabled = Stored(again);
  disabled.enabled = false;
  ASSERT_TRUE(stores_.users->UpdateUser(disabled).ok());
  EXPECT_EQ(Refusal(Issue(again).access_token), "User is disabled.");
}

TEST_F(AccessGuardTest, RefusesTokensOfARevokedOrigin) {
  auto issued = Issue(user_);
  auto claims = tokens_.VerifyAccessToken(issued.access_token);
  ASSERT_TRUE(claims.ok());
  ASSERT_TRUE(stores_.refresh_tokens
                  ->RevokeOrigin(pool_id_, claims->origin_jti, clock_.NowMs() + 3600 * 1000)
                  .ok());
  EXPECT_EQ(Refusal(issued.access_token), "Access Token has been revoked");
  EXPECT_TRUE(guard_.Authenticate(Issue(user_).access_token).ok());  // other sessions live on
}

// [INVARIANT] After a global sign-out no earlier access token works, and a new sign-in does.
TEST_F(AccessGuardTest, RefusesTokensIssuedBeforeTheSignOut) {
  clock_.SetMs(1'800'000'000'200);
  auto earlier_second = Issue(user_).access_token;
  clock_.AdvanceMs(1000);
  auto same_second = Issue(user_).access_token;
  clock_.AdvanceMs(10);
  store::UserRecord user = Stored(user_);  // GlobalSignOut: time mark and every session
  user.tokens_valid_after_ms = clock_.NowMs();
  ASSERT_TRUE(stores_.users->UpdateUser(user).ok());
  ASSERT_TRUE(stores_.refresh_tokens->RevokeUserTokens(user.pool_id, user.username_key).ok());
  EXPECT_EQ(Refusal(earlier_second), "Access Token has been revoked");
  EXPECT_EQ(Refusal(same_second), "Access Token has been revoked");  // by its session
  // Signing in again in the sign-out's own second gives a working token.
  EXPECT_TRUE(guard_.Authenticate(Issue(user_).access_token).ok());
}

TEST_F(AccessGuardTest, FindsTheUserOfACaseInsensitivePool) {
  std::string pool_id =
      NewPool({{"PoolName", "ci"}, {"UsernameConfiguration", {{"CaseSensitive", false}}}});
  store::UserRecord bob = CreateUser(pool_id, "Bob");
  EXPECT_EQ(bob.username_key, "bob");
  auto who = guard_.Authenticate(Issue(bob).access_token);
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(who->user.username, "Bob");
}

TEST_F(AccessGuardTest, RefusesTokensOfADeletedPool) {
  auto token = Issue(user_).access_token;
  ASSERT_TRUE(guard_.Authenticate(token).ok());  // the keyring now caches the pool's keys
  ASSERT_TRUE(pools_.DeleteUserPool({{"UserPoolId", pool_id_}}).ok());
  EXPECT_EQ(Refusal(token), "Invalid Access Token");
}

TEST(HasScopeTest, MatchesWholeItemsOnly) {
  EXPECT_TRUE(HasScope("aws.cognito.signin.user.admin", kUserAdminScope));
  EXPECT_TRUE(HasScope("openid aws.cognito.signin.user.admin", kUserAdminScope));
  EXPECT_FALSE(HasScope("", kUserAdminScope));
  EXPECT_FALSE(HasScope("openid", kUserAdminScope));
  EXPECT_FALSE(HasScope("aws.cognito.signin.user", kUserAdminScope));
  EXPECT_FALSE(HasScope("xaws.cognito.signin.user.admin", kUserAdminScope));
}

}  // namespace
}  // namespace cognate::auth
