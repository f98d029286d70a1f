#pragma once
// A gtest fixture for the user actions: the real SQLite stores in memory, a FakeClock, a fixed
// KEK, the cheapest PasswordHasher, a MessageSender that captures what it is given, and the
// PoolService to create pools and clients with.

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/password_hasher.h"
#include "common/clock.h"
#include "common/testing/result_helpers.h"
#include "crypto/kek.h"
#include "delivery/sender.h"
#include "identity/code_delivery.h"
#include "identity/json_fields.h"
#include "identity/pool_service.h"
#include "identity/testing/service_fixture.h"  // kTestKek
#include "identity/user_directory.h"
#include "identity/user_service.h"
#include "store/sqlite/open.h"
#include "token/rsa_key.h"

namespace cognate::identity::fakes {

class CapturingSender final : public delivery::MessageSender {
 public:
  Status Send(const delivery::OutgoingMessage& message) override {
    std::lock_guard lock(mu_);
    if (fail_) return Error::Internal("delivery failed");
    sent_.push_back(message);
    return OkStatus();
  }
  std::vector<delivery::OutgoingMessage> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }
  size_t count() const { return sent().size(); }
  delivery::OutgoingMessage last() const {
    std::lock_guard lock(mu_);
    return sent_.empty() ? delivery::OutgoingMessage{} : sent_.back();
  }
  void set_fail(bool fail) {
    std::lock_guard lock(mu_);
    fail_ = fail;
  }

 private:
  mutable std::mutex mu_;
  std::vector<delivery::OutgoingMessage> sent_;
  bool fail_ = false;
};

class UserServiceFixture : public ::testing::Test, protected test_support::ResultHelpers {
 protected:
  UserServiceFixture()
      : stores_(store::sqlite::Open(":memory:")),
        kek_(std::string_view(fakes::kTestKek, 32)),
        pools_(*stores_.pools, *stores_.clients, *stores_.keys, kek_, clock_, PoolServiceConfig{},
               [this] { return SharedKey(next_key_++); }),
        directory_(stores_, kek_, clock_),
        codes_(directory_, sender_),
        hasher_(auth::PasswordHasher::Params{1, 8192}),
        users_(directory_, codes_, sender_, hasher_) {}

  // The i-th of a list of keys generated once per test binary: the SQLite key store wants
  // distinct kids within one database, and RSA generation is too slow to repeat per pool.
  static token::RsaKey SharedKey(size_t i) {
    static std::mutex mu;
    static auto* keys = new std::vector<token::RsaKey>();  // never destroyed: shared by all tests
    std::lock_guard lock(mu);
    while (keys->size() <= i) keys->push_back(token::RsaKey::Generate(2048));
    return (*keys)[i];
  }


  // Creates a pool (PoolName added) and returns its id.
  std::string NewPool(boost::json::object request = {}) {
    if (!request.contains("PoolName")) request["PoolName"] = "users";
    boost::json::object out = Ok(pools_.CreateUserPool(request));
    return out.contains("UserPool") ? std::string(out["UserPool"].at("Id").as_string()) : "";
  }
  // Creates a client of `pool_id`; its secret goes to `secret` when GenerateSecret is set.
  std::string NewClient(const std::string& pool_id, boost::json::object request = {},
                        std::string* secret = nullptr) {
    request["UserPoolId"] = pool_id;
    request["ClientName"] = "app";
    boost::json::object out = Ok(pools_.CreateUserPoolClient(request));
    if (!out.contains("UserPoolClient")) return "";
    const boost::json::object& client = out["UserPoolClient"].as_object();
    if (secret && client.contains("ClientSecret"))
      *secret = std::string(client.at("ClientSecret").as_string());
    return std::string(client.at("ClientId").as_string());
  }

  // [{"Name":..,"Value":..}] from name/value pairs.
  static boost::json::array Attrs(
      std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
    boost::json::array out;
    for (const auto& [name, value] : pairs)
      out.push_back(boost::json::object{{"Name", name}, {"Value", value}});
    return out;
  }
  // The value of attribute `name` in an attribute list, if present.
  static std::optional<std::string> AttrOf(const boost::json::value& list, std::string_view name) {
    for (const boost::json::value& v : list.as_array())
      if (v.at("Name").as_string() == name) return std::string(v.at("Value").as_string());
    return std::nullopt;
  }
  // The stored user `name` means (nullopt when none).
  std::optional<store::UserRecord> Stored(const std::string& pool_id, std::string_view name) {
    auto pool = directory_.LoadPool(pool_id);
    if (!pool.ok()) return std::nullopt;
    auto found = directory_.Find(*pool, name);
    return found.ok() ? *found : std::nullopt;
  }
  boost::json::object GetUser(const std::string& pool_id, std::string_view name) {
    return Ok(users_.AdminGetUser({{"UserPoolId", pool_id}, {"Username", name}}));
  }
  // The code carried by the last message sent.
  std::string LastCode() const { return sender_.last().code; }

  // A refresh token of the user, to observe revocation.
  void PutRefreshToken(const std::string& pool_id, const std::string& username_key,
                       const std::string& hash) {
    store::RefreshTokenRecord token;
    token.token_hash = hash;
    token.pool_id = pool_id;
    token.client_id = "c";
    token.username_key = username_key;
    token.origin_jti = "o-" + hash;
    token.created_ms = clock_.NowMs();
    token.expires_ms = clock_.NowMs() + 3'600'000;
    ASSERT_TRUE(stores_.refresh_tokens->PutRefreshToken(token).ok());
  }
  bool Revoked(const std::string& hash) {
    auto token = stores_.refresh_tokens->GetRefreshToken(hash);
    return token.ok() && token->has_value() && (*token)->revoked;
  }

  size_t next_key_ = 0;
  FakeClock clock_{1'700'000'000'000};
  store::Stores stores_;
  crypto::KeyEncryptionKey kek_;
  PoolService pools_;
  UserDirectory directory_;
  CapturingSender sender_;
  CodeDelivery codes_;
  auth::PasswordHasher hasher_;
  UserService users_;
};

}  // namespace cognate::identity::fakes
