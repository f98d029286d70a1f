#include "identity/password_history.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "identity/testing/user_service_fixture.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

json::object PoolWithHistory(int64_t size) {
  return json::object{{"Policies", {{"PasswordPolicy", {{"PasswordHistorySize", size}}}}}};
}

TEST(PasswordHistoryTest, SizeIsReadFromThePolicyAndBounded) {
  EXPECT_EQ(PasswordHistorySize(json::object()), 0);
  EXPECT_EQ(PasswordHistorySize(PoolWithHistory(3)), 3);
  EXPECT_EQ(PasswordHistorySize(PoolWithHistory(99)), kMaxPasswordHistorySize);
  EXPECT_EQ(PasswordHistorySize(PoolWithHistory(-4)), 0);
}

TEST(PasswordHistoryTest, MalformedStoredHistoryReadsAsNone) {
  EXPECT_TRUE(ParsePasswordHistory("").empty());
  EXPECT_TRUE(ParsePasswordHistory("{\"a\":1}").empty());
  EXPECT_EQ(ParsePasswordHistory(R"(["h1", 7, "", "h2"])"), (std::vector<std::string>{"h1", "h2"}));
}

TEST(PasswordHistoryTest, RememberingKeepsNewestFirstAndIsBounded) {
  store::UserRecord user;
  RememberCurrentPassword(user, "h0");  // No current password: nothing to remember.
  EXPECT_EQ(user.password_history_json, "[]");
  for (int i = 0; i < 30; ++i) {
    const std::string next = "h" + std::to_string(i + 1);
    RememberCurrentPassword(user, next);
    user.password_hash = next;
  }
  RememberCurrentPassword(user, user.password_hash);  // The same hash again is no new password.
  std::vector<std::string> kept = ParsePasswordHistory(user.password_history_json);
  ASSERT_EQ(kept.size(), static_cast<size_t>(kMaxPasswordHistorySize - 1));
  EXPECT_EQ(kept.front(), "h29");
  EXPECT_EQ(kept.back(), "h7");
}

TEST(PasswordHistoryTest, ChecksTheCurrentAndTheLatestPreviousOnly) {
  const auth::PasswordHasher hasher(auth::PasswordHasher::Params{1, 8192});
  store::UserRecord user;
  user.password_hash = hasher.Hash("current");
  user.password_history_json =
      json::serialize(json::array{hasher.Hash("previous-1"), hasher.Hash("previous-2")});
  auto check = [&](int64_t size, const char* password) {
    Status s = CheckPasswordHistory(hasher, PoolWithHistory(size), user, password);
    return s.ok() ? std::string("OK") : s.error().type + ": " + s.error().message;
  };
  const std::string reused =
      "PasswordHistoryPolicyViolationException: Password has previously been used.";
  EXPECT_EQ(check(0, "current"), "OK");
  EXPECT_EQ(check(1, "current"), reused);
  EXPECT_EQ(check(1, "previous-1"), "OK");
  EXPECT_EQ(check(2, "previous-1"), reused);
  EXPECT_EQ(check(2, "previous-2"), "OK");
  EXPECT_EQ(check(3, "previous-2"), reused);
  EXPECT_EQ(check(24, "never-used"), "OK");
}

// The actions of UserService that set a password.
class PasswordHistoryServiceTest : public fakes::UserServiceFixture {
 protected:
  void SetUp() override {
    pool_id_ = NewPool(PoolWithHistory(2));
    client_id_ = NewClient(pool_id_);
    Ok(users_.AdminCreateUser(Request({{"MessageAction", "SUPPRESS"},
                                       {"UserAttributes", Attrs({{"email", "alice@example.com"},
                                                                 {"email_verified", "true"}})}})));
    Ok(SetPassword("Passw0rd-1", true));
  }
  json::object Request(json::object extra = {}) {
    extra["UserPoolId"] = pool_id_;
    extra["Username"] = "alice";
    return extra;
  }
  Result<json::object> SetPassword(const char* password, bool permanent) {
    return users_.AdminSetUserPassword(Request({{"Password", password}, {"Permanent", permanent}}));
  }
  std::string pool_id_, client_id_;
};

TEST_F(PasswordHistoryServiceTest, AdminSetUserPasswordTemporaryOrPermanent) {
  for (bool permanent : {true, false}) {
    EXPECT_EQ(Fails(SetPassword("Passw0rd-1", permanent)).type,
              "PasswordHistoryPolicyViolationException");
  }
  Ok(SetPassword("Passw0rd-2", false));
  EXPECT_EQ(Fails(SetPassword("Passw0rd-1", true)).type, "PasswordHistoryPolicyViolationException");
  Ok(SetPassword("Passw0rd-3", true));
  Ok(SetPassword("Passw0rd-1", true));  // Three back.
  // Only hashes are kept, never a password.
  const std::string stored = Stored(pool_id_, "alice")->password_history_json;
  EXPECT_EQ(stored.find("Passw0rd"), std::string::npos);
  // Passw0rd-3, -2, -1 and the temporary password AdminCreateUser generated.
  EXPECT_EQ(json::parse(stored).as_array().size(), 4u);
}

TEST_F(PasswordHistoryServiceTest, ConfirmForgotPasswordKeepsTheCodeForAnotherTry) {
  Ok(users_.ForgotPassword({{"ClientId", client_id_}, {"Username", "alice"}}));
  const std::string code = LastCode();
  auto reset = [&](const std::string& with_code, const char* password) {
    return users_.ConfirmForgotPassword({{"ClientId", client_id_},
                                         {"Username", "alice"},
                                         {"ConfirmationCode", with_code},
                                         {"Password", password}});
  };
  // A wrong code is what is reported, not the history (no oracle without the code).
  EXPECT_EQ(Fails(reset(code == "000000" ? "111111" : "000000", "Passw0rd-1")).type,
            "CodeMismatchException");
  EXPECT_EQ(Fails(reset(code, "Passw0rd-1")).type, "PasswordHistoryPolicyViolationException");
  EXPECT_TRUE(hasher_.Verify(Stored(pool_id_, "alice")->password_hash, "Passw0rd-1"));
  Ok(reset(code, "Passw0rd-2"));
  EXPECT_TRUE(hasher_.Verify(Stored(pool_id_, "alice")->password_hash, "Passw0rd-2"));
  EXPECT_EQ(Fails(reset(code, "Passw0rd-3")).type, "ExpiredCodeException");  // Spent now.
}

}  // namespace
}  // namespace cognate::identity
