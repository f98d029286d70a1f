#pragma once
// A gtest fixture for the MFA settings tests: the real SQLite stores in memory, a FakeClock, a
// fixed KEK, a TokenService and AccessGuard (access tokens are issued directly), the
// PoolService to make pools and clients with, and the MfaService under test. Users are written
// straight to the UserStore.

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "auth/access_guard.h"
#include "common/clock.h"
#include "common/testing/result_helpers.h"
#include "crypto/kek.h"
#include "crypto/random.h"
#include "crypto/totp.h"
#include "identity/mfa_service.h"
#include "identity/pool_service.h"
#include "identity/testing/service_fixture.h"  // kTestKek, CachedKeyFactory
#include "identity/user_directory.h"
#include "identity/user_mfa.h"
#include "store/sqlite/open.h"
#include "token/keyring.h"
#include "token/token_service.h"

namespace cognate::identity::fakes {

class MfaFixture : public ::testing::Test, protected test_support::ResultHelpers {
 protected:
  MfaFixture()
      : stores_(store::sqlite::Open(":memory:")),
        kek_(std::string_view(kTestKek, 32)),
        pools_(*stores_.pools, *stores_.clients, *stores_.keys, kek_, clock_, {},
               CachedKeyFactory()),
        keyring_(*stores_.keys, kek_, clock_),
        tokens_(keyring_, clock_, "https://cognito.test"),
        directory_(stores_, kek_, clock_),
        guard_(directory_, tokens_),
        mfa_(directory_, guard_) {}

  // A pool (from `request`, PoolName added) with one app client; TOTP allowed when `totp`.
  std::string NewPool(boost::json::object request = {}, bool totp = true) {
    request["PoolName"] = "mfa";
    boost::json::object out = Ok(pools_.CreateUserPool(request));
    if (!out.contains("UserPool")) return "";
    std::string pool_id(out["UserPool"].at("Id").as_string());
    boost::json::object client = Ok(pools_.CreateUserPoolClient(
        {{"UserPoolId", pool_id}, {"ClientName", "app"}}));
    if (client.contains("UserPoolClient"))
      client_id_ = std::string(client["UserPoolClient"].at("ClientId").as_string());
    if (totp) {
      Ok(mfa_.SetUserPoolMfaConfig({{"UserPoolId", pool_id},
                                    {"MfaConfiguration", "OPTIONAL"},
                                    {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}}}));
    }
    return pool_id;
  }

  PoolContext Pool(const std::string& pool_id) {
    auto pool = directory_.LoadPool(pool_id);
    EXPECT_TRUE(pool.ok());
    return pool.ok() ? std::move(*pool) : PoolContext{};
  }

  // A confirmed user straight in the store, with these attributes (a JSON object text).
  store::UserRecord AddUser(const std::string& pool_id, const std::string& username,
                            std::string_view attributes = "{}") {
    store::UserRecord user;
    user.pool_id = pool_id;
    user.username = username;
    user.username_key = username;
    user.sub = crypto::RandomUuid();
    user.status = "CONFIRMED";
    user.attributes_json = std::string(attributes);
    user.created_ms = user.modified_ms = clock_.NowMs();
    Status created = stores_.users->CreateUser(user, {});
    EXPECT_TRUE(created.ok()) << created.error().message;
    return user;
  }

  std::string AccessToken(const store::UserRecord& user) {
    token::IssueRequest r;
    r.pool_id = user.pool_id;
    r.client_id = client_id_;
    r.sub = user.sub;
    r.username = user.username;
    r.auth_time_s = clock_.NowSeconds();
    r.id_validity_s = r.access_validity_s = 3600;
    auto issued = tokens_.Issue(r);
    EXPECT_TRUE(issued.ok());
    return issued.ok() ? issued->access_token : "";
  }

  store::UserRecord Stored(const store::UserRecord& user) {
    auto found = stores_.users->GetUser(user.pool_id, user.username_key);
    EXPECT_TRUE(found.ok() && found->has_value());
    return found.ok() && found->has_value() ? **found : store::UserRecord{};
  }
  UserMfa StoredMfa(const store::UserRecord& user) {
    auto mfa = ParseUserMfa(Stored(user).mfa_json);
    EXPECT_TRUE(mfa.ok());
    return mfa.ok() ? *mfa : UserMfa{};
  }

  // The current code of a base32 secret, `steps` steps from now.
  std::string CodeFor(std::string_view secret_base32, int steps = 0) {
    std::optional<std::string> raw = crypto::Base32Decode(secret_base32);
    EXPECT_TRUE(raw.has_value());
    return crypto::TotpCode(raw.value_or(""), crypto::TotpStep(clock_.NowSeconds()) + steps);
  }
  // A six-digit code that is none of the three the secret accepts now.
  std::string WrongCode(std::string_view secret_base32) {
    for (int n = 0;; ++n) {
      std::string code = std::string(6 - std::to_string(n).size(), '0') + std::to_string(n);
      if (code != CodeFor(secret_base32, -1) && code != CodeFor(secret_base32) &&
          code != CodeFor(secret_base32, 1))
        return code;
    }
  }

  FakeClock clock_{1'700'000'000'000};
  store::Stores stores_;
  crypto::KeyEncryptionKey kek_;
  PoolService pools_;
  token::Keyring keyring_;
  token::TokenService tokens_;
  UserDirectory directory_;
  auth::AccessGuard guard_;
  MfaService mfa_;
  std::string client_id_;
};

}  // namespace cognate::identity::fakes
