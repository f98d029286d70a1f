#pragma once
// A gtest fixture for the sign-in tests: the real SQLite store in memory, a FakeClock, a fixed
// KEK, the cheapest Argon2id parameters, a TokenService, and the SignInService under test.
// Pools and clients are made with PoolService (through PoolMaker, pool_maker.h); users are
// written straight to the UserStore, so these tests do not depend on the user service.
// Lambda triggers are scripted with triggers_ (a ScriptedInvoker: a trigger is configured once
// the test gives it a handler, whatever the pool's LambdaConfig says).

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/password_hasher.h"
#include "auth/sign_in_service.h"
#include "auth/testing/pool_maker.h"
#include "common/clock.h"
#include "common/testing/result_helpers.h"
#include "crypto/kek.h"
#include "crypto/random.h"
#include "delivery/testing/fake_sender.h"
#include "identity/user_directory.h"
#include "store/sqlite/open.h"
#include "store/stores.h"
#include "token/jwt.h"
#include "token/keyring.h"
#include "token/token_service.h"
#include "triggers/testing/scripted_invoker.h"

namespace cognate::auth::testing {

inline constexpr char kPassword[] = "Passw0rd!";
inline constexpr char kPublicUrl[] = "https://cognate.test";

struct TestClient {
  std::string id;
  std::string secret;  // empty without one
};

class SignInTest : public ::testing::Test, protected test_support::ResultHelpers {
 protected:
  SignInTest()
      : stores_(store::sqlite::Open(":memory:")),
        kek_(std::string_view("0123456789abcdef0123456789abcdef", 32)),
        hasher_(PasswordHasher::Params{1, 8 * 1024}),
        keyring_(*stores_.keys, kek_, clock_),
        tokens_(keyring_, clock_, kPublicUrl),
        directory_(stores_, kek_, clock_),
        service_(directory_, hasher_, tokens_, kek_, sender_),
        maker_(stores_, kek_, clock_) {
    directory_.set_triggers(&triggers_);
  }


  std::string NewPool(boost::json::object request = {}) {
    if (!request.contains("PoolName")) request["PoolName"] = "pool";
    boost::json::object out = Ok(maker_.CreateUserPool(request));
    return out.contains("UserPool") ? std::string(out["UserPool"].at("Id").as_string()) : "";
  }

  TestClient NewClient(const std::string& pool_id, boost::json::object request = {}) {
    request["UserPoolId"] = pool_id;
    if (!request.contains("ClientName")) request["ClientName"] = "app";
    if (!request.contains("ExplicitAuthFlows")) {
      request["ExplicitAuthFlows"] = {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                                      "ALLOW_REFRESH_TOKEN_AUTH"};
    }
    boost::json::object out = Ok(maker_.CreateUserPoolClient(request));
    if (!out.contains("UserPoolClient")) return {};
    const boost::json::object& c = out["UserPoolClient"].as_object();
    TestClient client{std::string(c.at("ClientId").as_string()), ""};
    if (const auto* s = c.if_contains("ClientSecret")) client.secret = std::string(s->as_string());
    return client;
  }

  // Writes a user straight to the store, with kPassword unless told otherwise.
  store::UserRecord AddUser(const std::string& pool_id, const std::string& username,
                            boost::json::object attributes = {}, std::string status = "CONFIRMED",
                            const std::string& password = kPassword) {
    auto pool = directory_.LoadPool(pool_id);
    EXPECT_TRUE(pool.ok());
    store::UserRecord user;
    user.pool_id = pool_id;
    user.username_key = identity::UserDirectory::UsernameKey(*pool, username);
    user.username = username;
    user.sub = crypto::RandomUuid();
    user.status = std::move(status);
    user.password_hash = hasher_.Hash(password);
    user.attributes_json = boost::json::serialize(attributes);
    user.created_ms = user.modified_ms = user.password_changed_ms = clock_.NowMs();
    std::vector<store::UserKey> keys = identity::UserDirectory::KeysFor(*pool, attributes);
    Status created = stores_.users->CreateUser(user, keys);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return user;
  }

  store::UserRecord GetUser(const std::string& pool_id, const std::string& username_key) {
    auto user = stores_.users->GetUser(pool_id, username_key);
    EXPECT_TRUE(user.ok() && user->has_value());
    return user.ok() && user->has_value() ? **user : store::UserRecord{};
  }

  // Changes the stored user with `edit` (an optimistic update with the current version).
  template <class Edit>
  void EditUser(const std::string& pool_id, const std::string& username_key, Edit edit) {
    store::UserRecord user = GetUser(pool_id, username_key);
    edit(user);
    EXPECT_TRUE(stores_.users->UpdateUser(user).ok());
  }

  // AuthParameters for a password flow, with SECRET_HASH when `secret_hash` is non-empty.
  static boost::json::object PasswordParams(const std::string& username,
                                            const std::string& password = kPassword,
                                            const std::string& secret_hash = "") {
    boost::json::object p{{"USERNAME", username}, {"PASSWORD", password}};
    if (!secret_hash.empty()) p["SECRET_HASH"] = secret_hash;
    return p;
  }

  Result<boost::json::object> PasswordSignIn(const TestClient& client, const std::string& username,
                                             const std::string& password = kPassword) {
    return service_.InitiateAuth({{"AuthFlow", "USER_PASSWORD_AUTH"},
                                  {"ClientId", client.id},
                                  {"AuthParameters", PasswordParams(username, password)}});
  }

  Result<boost::json::object> AdminSignIn(const std::string& pool_id, const TestClient& client,
                                          const std::string& username,
                                          const std::string& password = kPassword) {
    return service_.AdminInitiateAuth({{"UserPoolId", pool_id},
                                       {"AuthFlow", "ADMIN_USER_PASSWORD_AUTH"},
                                       {"ClientId", client.id},
                                       {"AuthParameters", PasswordParams(username, password)}});
  }

  // The AuthenticationResult of a sign-in that must succeed.
  static boost::json::object TokensOf(const Result<boost::json::object>& result) {
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
    if (!result.ok() || !result->contains("AuthenticationResult")) return {};
    return result->at("AuthenticationResult").as_object();
  }

  static std::string Member(const boost::json::object& o, std::string_view name) {
    const boost::json::value* v = o.if_contains(name);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  }

  // The payload of a JWT we issued (shape only; TokenService's own tests cover signatures).
  static boost::json::object Claims(const std::string& jwt) {
    auto parsed = token::ParseJwt(jwt);
    EXPECT_TRUE(parsed.ok()) << jwt;
    return parsed.ok() ? parsed->claims : boost::json::object();
  }

  FakeClock clock_;
  store::Stores stores_;
  crypto::KeyEncryptionKey kek_;
  PasswordHasher hasher_;
  token::Keyring keyring_;
  token::TokenService tokens_;
  triggers::fakes::ScriptedInvoker triggers_;  // outlives directory_
  identity::UserDirectory directory_;
  delivery::fakes::FakeSender sender_;  // SMS and email codes of the challenges
  SignInService service_;
  PoolMaker maker_;
};

}  // namespace cognate::auth::testing
