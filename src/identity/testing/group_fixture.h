#pragma once
// A gtest fixture for the group actions: a GroupService over a real in-memory SQLite store, a
// FakeClock, a fixed KEK, pools made with PoolService and users inserted straight into the
// UserStore.

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/testing/result_helpers.h"
#include "crypto/kek.h"
#include "identity/group_service.h"
#include "identity/pool_service.h"
#include "identity/testing/service_fixture.h"
#include "identity/user_directory.h"
#include "store/sqlite/open.h"

namespace cognate::identity::fakes {

class GroupServiceFixture : public ::testing::Test, protected test_support::ResultHelpers {
 protected:
  GroupServiceFixture()
      : stores_(store::sqlite::Open(":memory:")),
        kek_(std::string_view(kTestKek, 32)),
        pools_(*stores_.pools, *stores_.clients, *stores_.keys, kek_, clock_,
               PoolServiceConfig{"eu-west-1", "123456789012"}, CachedKeyFactory()),
        directory_(stores_, kek_, clock_),
        service_(directory_) {}


  std::string NewPool(boost::json::object request = {}) {
    request["PoolName"] = "groups";
    boost::json::object out = Ok(pools_.CreateUserPool(request));
    if (!out.contains("UserPool")) return "";
    return std::string(out["UserPool"].as_object()["Id"].as_string());
  }

  // Inserts a confirmed user named `username` (its key as given: pools here are case-sensitive)
  // with sub "sub-<username>", optionally holding a verified email alias.
  store::UserRecord AddUser(const std::string& pool_id, const std::string& username,
                            const std::string& email = "") {
    store::UserRecord user;
    user.pool_id = pool_id;
    user.username_key = username;
    user.username = username;
    user.sub = "sub-" + username;
    user.status = "CONFIRMED";
    user.created_ms = user.modified_ms = clock_.NowMs();
    std::vector<store::UserKey> keys;
    boost::json::object attrs;
    if (!email.empty()) {
      attrs = {{"email", email}, {"email_verified", "true"}};
      keys.push_back({"email", email});
    }
    user.attributes_json = boost::json::serialize(attrs);
    Status created = stores_.users->CreateUser(user, keys);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return user;
  }

  // Creates a group straight in the store (fast set-up for quotas and paging).
  void PutGroup(const std::string& pool_id, const std::string& name) {
    Status created = stores_.groups->CreateGroup({pool_id, name, "", "", std::nullopt, 1, 1});
    ASSERT_TRUE(created.ok()) << created.error().message;
  }

  boost::json::object CreateGroup(const std::string& pool_id, const std::string& name,
                                  boost::json::object extra = {}) {
    extra["UserPoolId"] = pool_id;
    extra["GroupName"] = name;
    boost::json::object out = Ok(service_.CreateGroup(extra));
    return out.contains("Group") ? out["Group"].as_object() : boost::json::object();
  }

  void AddToGroup(const std::string& pool_id, const std::string& username,
                  const std::string& group) {
    Ok(service_.AdminAddUserToGroup(
        {{"UserPoolId", pool_id}, {"Username", username}, {"GroupName", group}}));
  }

  // Follows NextToken through a listing, returning `field`'s `name_member` of every item.
  template <class Call>
  std::vector<std::string> ListAll(boost::json::object request, const char* field,
                                   const char* name_member, Call call, int* pages = nullptr) {
    std::vector<std::string> names;
    for (int page = 1; page <= 100; ++page) {
      boost::json::object out = Ok(call(request));
      if (pages) *pages = page;
      if (!out.contains(field)) break;
      for (const auto& item : out[field].as_array())
        names.emplace_back(item.as_object().at(name_member).as_string());
      if (!out.contains("NextToken")) break;
      request["NextToken"] = out["NextToken"];
    }
    return names;
  }

  store::Stores stores_;
  FakeClock clock_{1'700'000'000'123};
  crypto::KeyEncryptionKey kek_;
  PoolService pools_;
  UserDirectory directory_;
  GroupService service_;
};

}  // namespace cognate::identity::fakes
