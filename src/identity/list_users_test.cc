// UserService::ListUsers: filters, AttributesToGet, Limit and paging.

#include <gtest/gtest.h>

#include <set>

#include "identity/testing/user_service_fixture.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

class ListUsersTest : public fakes::UserServiceFixture {
 protected:
  void SetUp() override { pool_id_ = NewPool(); }

  void Add(std::string_view name, json::array attributes) {
    Ok(users_.AdminCreateUser({{"UserPoolId", pool_id_},
                               {"Username", name},
                               {"MessageAction", "SUPPRESS"},
                               {"TemporaryPassword", "Temp0rary!"},
                               {"UserAttributes", std::move(attributes)}}));
  }
  void AddSample() {
    Add("alice", Attrs({{"email", "alice@example.com"}, {"given_name", "Alice"}}));
    Add("albert", Attrs({{"email", "Albert@Example.com"}}));
    Add("bob", Attrs({{"email", "bob@other.org"}}));
    Ok(users_.AdminDisableUser({{"UserPoolId", pool_id_}, {"Username", "bob"}}));
    Ok(users_.AdminSetUserPassword({{"UserPoolId", pool_id_},
                                    {"Username", "albert"},
                                    {"Password", "Perm4nent!"},
                                    {"Permanent", true}}));
  }
  Result<json::object> List(json::object request = {}) {
    request["UserPoolId"] = pool_id_;
    return users_.ListUsers(request);
  }
  // The usernames a filter selects, in order.
  std::vector<std::string> Select(std::string_view filter) {
    json::object out = Ok(List({{"Filter", filter}}));
    std::vector<std::string> names;
    if (out.contains("Users"))
      for (const json::value& u : out.at("Users").as_array())
        names.emplace_back(u.at("Username").as_string());
    return names;
  }

  std::string pool_id_;
};

using Names = std::vector<std::string>;

TEST_F(ListUsersTest, ListsEveryUserAsUserType) {
  AddSample();
  json::object out = Ok(List());
  const json::array& users = out.at("Users").as_array();
  ASSERT_EQ(users.size(), 3u);
  EXPECT_EQ(users[0].at("Username"), "albert");
  EXPECT_TRUE(users[0].as_object().contains("Attributes"));
  EXPECT_EQ(users[0].at("UserStatus"), "CONFIRMED");
  EXPECT_FALSE(out.contains("PaginationToken"));
}

TEST_F(ListUsersTest, FiltersOnEmail) {
  AddSample();
  EXPECT_EQ(Select("email = \"alice@example.com\""), Names{"alice"});
  EXPECT_EQ(Select("email = \"albert@example.com\""), Names{"albert"});  // Case-insensitive.
  EXPECT_EQ(Select("email ^= \"al\""), (Names{"albert", "alice"}));
  EXPECT_EQ(Select("email^=\"bob@\""), Names{"bob"});
  EXPECT_EQ(Select("email = \"al\""), Names{});
}

TEST_F(ListUsersTest, FiltersOnStatusAndOtherAttributes) {
  AddSample();
  EXPECT_EQ(Select("status = \"Disabled\""), Names{"bob"});
  EXPECT_EQ(Select("status = \"Enabled\""), (Names{"albert", "alice"}));
  EXPECT_EQ(Select("cognito:user_status = \"force_change_password\""), (Names{"alice", "bob"}));
  EXPECT_EQ(Select("username ^= \"al\""), (Names{"albert", "alice"}));
  EXPECT_EQ(Select("given_name = \"Alice\""), Names{"alice"});
  std::string sub = Stored(pool_id_, "bob")->sub;
  EXPECT_EQ(Select("sub = \"" + sub + "\""), Names{"bob"});
  EXPECT_EQ(Select(""), (Names{"albert", "alice", "bob"}));
}

TEST_F(ListUsersTest, RejectsBadFilters) {
  for (std::string_view bad : {"email", "email = alice", "email == \"a\"", "email = \"a",
                               "email = \"a\" extra", "= \"a\""}) {
    Error e = Fails(List({{"Filter", bad}}));
    EXPECT_EQ(e.type, "InvalidParameterException") << bad;
    EXPECT_EQ(e.message, "Error while parsing filter.") << bad;
  }
  Error custom = Fails(List({{"Filter", "custom:tier = \"gold\""}}));
  EXPECT_EQ(custom.type, "InvalidParameterException");
  EXPECT_EQ(custom.message, "Invalid search attribute: custom:tier");
  EXPECT_EQ(Fails(List({{"PaginationToken", "bogus"}})).type, "InvalidParameterException");
}

TEST_F(ListUsersTest, AttributesToGet) {
  AddSample();
  json::object out = Ok(List({{"AttributesToGet", json::array{"email"}}, {"Limit", 1}}));
  const json::array& users = out.at("Users").as_array();
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].at("Attributes"),
            (json::array{json::object{{"Name", "email"}, {"Value", "Albert@Example.com"}}}));
  EXPECT_TRUE(out.contains("PaginationToken"));
  Error unknown = Fails(List({{"AttributesToGet", json::array{"email", "nosuch"}}}));
  EXPECT_EQ(unknown.type, "InvalidParameterException");
  EXPECT_EQ(unknown.message, "One or more requested attributes do not exist.");
}

TEST_F(ListUsersTest, PagesThroughEveryUserExactlyOnce) {
  for (int i = 0; i < 250; ++i) {
    std::string name = "user" + std::to_string(i);
    Add(name, Attrs({{"email", name + (i % 3 == 0 ? "@three.org" : "@example.com")}}));
  }
  for (std::string_view filter : {"", "email ^= \"user1\""}) {
    std::multiset<std::string> seen;
    std::optional<std::string> token;
    int pages = 0;
    do {
      json::object request{{"Filter", filter}};
      if (token) request["PaginationToken"] = *token;
      json::object out = Ok(List(request));
      ASSERT_TRUE(out.contains("Users"));
      EXPECT_LE(out.at("Users").as_array().size(), 60u);
      for (const json::value& u : out.at("Users").as_array())
        seen.insert(std::string(u.at("Username").as_string()));
      token.reset();
      if (out.contains("PaginationToken"))
        token = std::string(out.at("PaginationToken").as_string());
      ASSERT_LT(++pages, 20);
    } while (token);
    // user1, user10..user19, user100..user199: 111 names start with "user1".
    size_t expected = filter.empty() ? 250u : 111u;
    EXPECT_EQ(seen.size(), expected) << filter;
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), expected) << filter;
  }
}

TEST_F(ListUsersTest, LimitAndUnknownPool) {
  AddSample();
  json::object first = Ok(List({{"Limit", 2}}));
  ASSERT_EQ(first.at("Users").as_array().size(), 2u);
  json::object rest = Ok(List({{"Limit", 2}, {"PaginationToken", first.at("PaginationToken")}}));
  ASSERT_EQ(rest.at("Users").as_array().size(), 1u);
  EXPECT_EQ(rest.at("Users").at(0).at("Username"), "bob");
  EXPECT_FALSE(rest.contains("PaginationToken"));
  EXPECT_EQ(Fails(users_.ListUsers({{"UserPoolId", "us-east-1_none"}})).type,
            "ResourceNotFoundException");
}

}  // namespace
}  // namespace cognate::identity
