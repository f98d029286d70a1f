#pragma once
// A gtest fixture for resource servers, domains and the OAuth client pieces: a real in-memory
// SQLite store, a PoolService that sees the pool documents (custom scopes, domains), a
// UserDirectory, ResourceServerService, DomainService, and a TokenService over the pools' keys.

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/testing/result_helpers.h"
#include "crypto/kek.h"
#include "identity/domains.h"
#include "identity/pool_service.h"
#include "identity/resource_servers.h"
#include "identity/testing/service_fixture.h"
#include "identity/user_directory.h"
#include "store/sqlite/open.h"
#include "token/keyring.h"
#include "token/token_service.h"

namespace cognate::identity::fakes {

inline constexpr char kIssuerBase[] = "https://auth.example.test";

class OAuthConfigFixture : public ::testing::Test, protected test_support::ResultHelpers {
 protected:
  OAuthConfigFixture()
      : stores_(store::sqlite::Open(":memory:")),
        kek_(std::string_view(kTestKek, 32)),
        pools_(*stores_.pools, *stores_.clients, *stores_.keys, kek_, clock_,
               PoolServiceConfig{"eu-west-1", "123456789012", nullptr, stores_.documents.get()},
               CachedKeyFactory()),
        directory_(stores_, kek_, clock_),
        servers_(directory_),
        domains_(directory_, "123456789012"),
        keyring_(*stores_.keys, kek_, clock_),
        tokens_(keyring_, clock_, kIssuerBase) {}

  std::string NewPool() {
    boost::json::object out = Ok(pools_.CreateUserPool({{"PoolName", "oauth"}}));
    if (!out.contains("UserPool")) return "";
    return std::string(out["UserPool"].as_object()["Id"].as_string());
  }

  // CreateResourceServer with `scopes` (names; descriptions "d-<name>").
  boost::json::object CreateServer(const std::string& pool_id, const std::string& identifier,
                                   std::initializer_list<std::string_view> scopes = {}) {
    boost::json::array list;
    for (std::string_view s : scopes) {
      list.push_back(
          boost::json::object{{"ScopeName", s}, {"ScopeDescription", "d-" + std::string(s)}});
    }
    boost::json::object out = Ok(servers_.CreateResourceServer({{"UserPoolId", pool_id},
                                                                {"Identifier", identifier},
                                                                {"Name", "n-" + identifier},
                                                                {"Scopes", list}}));
    return out.contains("ResourceServer") ? out["ResourceServer"].as_object()
                                          : boost::json::object();
  }

  // A client created through PoolService from JSON `extra` (UserPoolId and ClientName added).
  Result<boost::json::object> CreateClient(const std::string& pool_id, std::string_view extra) {
    boost::json::object request = boost::json::parse(extra).as_object();
    request["UserPoolId"] = pool_id;
    request["ClientName"] = "c";
    auto out = pools_.CreateUserPoolClient(request);
    if (!out.ok()) return std::move(out).error();
    return (*out)["UserPoolClient"].as_object();
  }

  FakeClock clock_{1'700'000'000'123};
  store::Stores stores_;
  crypto::KeyEncryptionKey kek_;
  PoolService pools_;
  UserDirectory directory_;
  ResourceServerService servers_;
  DomainService domains_;
  token::Keyring keyring_;
  token::TokenService tokens_;
};

}  // namespace cognate::identity::fakes
