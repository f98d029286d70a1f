// UserService: AdminCreateUser, AdminGetUser, AdminDeleteUser, AdminDisableUser,
// AdminEnableUser, AdminSetUserPassword, AdminUpdateUserAttributes, AdminDeleteUserAttributes.

#include <gtest/gtest.h>

#include "identity/testing/user_service_fixture.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

class AdminUsersTest : public fakes::UserServiceFixture {
 protected:
  void SetUp() override { pool_id_ = NewPool(); }

  json::object Request(std::string_view username, json::object extra = {}) {
    extra["UserPoolId"] = pool_id_;
    extra["Username"] = username;
    return extra;
  }
  Result<json::object> Create(std::string_view username, json::object extra = {}) {
    if (!extra.contains("UserAttributes"))
      extra["UserAttributes"] = Attrs({{"email", std::string(username) + "@example.com"}});
    return users_.AdminCreateUser(Request(username, std::move(extra)));
  }
  std::string Attr(std::string_view username, std::string_view name) {
    return AttrOf(GetUser(pool_id_, username).at("UserAttributes"), name).value_or("<none>");
  }

  std::string pool_id_;
};

TEST_F(AdminUsersTest, CreateUserSendsAnInvitation) {
  json::object out = Ok(Create("alice"));
  const json::object& user = out.at("User").as_object();
  EXPECT_EQ(user.at("Username"), "alice");
  EXPECT_EQ(user.at("UserStatus"), "FORCE_CHANGE_PASSWORD");
  EXPECT_EQ(user.at("Enabled"), true);
  EXPECT_TRUE(user.contains("Attributes"));
  EXPECT_FALSE(user.contains("UserAttributes"));
  EXPECT_EQ(AttrOf(user.at("Attributes"), "email"), "alice@example.com");
  delivery::OutgoingMessage m = sender_.last();
  EXPECT_EQ(m.purpose, "invitation");
  EXPECT_EQ(m.channel, "EMAIL");
  EXPECT_EQ(m.destination, "alice@example.com");
  EXPECT_EQ(m.subject, "Your temporary password");
  EXPECT_EQ(m.body, "Your username is alice and temporary password is " + m.code + ". ");
  EXPECT_TRUE(hasher_.Verify(Stored(pool_id_, "alice")->password_hash, m.code));
}

TEST_F(AdminUsersTest, CreateUserWithTemplateSmsAndGivenPassword) {
  pool_id_ = NewPool({{"AdminCreateUserConfig",
                       json::object{{"InviteMessageTemplate",
                                     json::object{{"SMSMessage", "Hi {username}: {####}"}}}}}});
  Ok(Create("bob", {{"UserAttributes", Attrs({{"phone_number", "+15551234567"}})},
                    {"DesiredDeliveryMediums", json::array{"SMS"}},
                    {"TemporaryPassword", "Temp0rary!"}}));
  EXPECT_EQ(sender_.last().channel, "SMS");
  EXPECT_EQ(sender_.last().body, "Hi bob: Temp0rary!");
  EXPECT_EQ(Fails(Create("carol", {{"TemporaryPassword", "weakweak"}})).type,
            "InvalidPasswordException");
}

TEST_F(AdminUsersTest, SuppressAndResend) {
  Ok(Create("alice", {{"MessageAction", "SUPPRESS"}}));
  EXPECT_EQ(sender_.count(), 0u);
  std::string old_hash = Stored(pool_id_, "alice")->password_hash;
  json::object out = Ok(Create("alice", {{"MessageAction", "RESEND"}}));
  EXPECT_EQ(out.at("User").at("Username"), "alice");
  ASSERT_EQ(sender_.count(), 1u);
  EXPECT_NE(Stored(pool_id_, "alice")->password_hash, old_hash);
  EXPECT_TRUE(hasher_.Verify(Stored(pool_id_, "alice")->password_hash, LastCode()));
  Ok(users_.AdminSetUserPassword(
      Request("alice", {{"Password", "Perm4nent!"}, {"Permanent", true}})));
  Error e = Fails(Create("alice", {{"MessageAction", "RESEND"}}));
  EXPECT_EQ(e.type, "UnsupportedUserStateException");
  EXPECT_EQ(Fails(Create("ghost", {{"MessageAction", "RESEND"}})).type, "UserNotFoundException");
}

TEST_F(AdminUsersTest, DuplicatesAndAliases) {
  Ok(Create("alice"));
  Error dup = Fails(Create("alice"));
  EXPECT_EQ(dup.type, "UsernameExistsException");
  EXPECT_EQ(dup.message, "User account already exists");

  pool_id_ = NewPool({{"AliasAttributes", json::array{"email"}}});
  json::object verified{
      {"UserAttributes", Attrs({{"email", "same@example.com"}, {"email_verified", "true"}})}};
  Ok(Create("first", verified));
  Error alias = Fails(Create("second", verified));
  EXPECT_EQ(alias.type, "AliasExistsException");
  EXPECT_EQ(alias.message, "An account with the email already exists.");
  verified["ForceAliasCreation"] = true;
  Ok(Create("second", verified));
  EXPECT_EQ(GetUser(pool_id_, "same@example.com").at("Username"), "second");
  EXPECT_EQ(Attr("first", "email_verified"), "false");
}

TEST_F(AdminUsersTest, EmailAsUsername) {
  pool_id_ = NewPool({{"UsernameAttributes", json::array{"email"}}});
  json::object out = Ok(Create("zoe@example.com", {{"UserAttributes", json::array()}}));
  std::string username(out.at("User").at("Username").as_string());
  EXPECT_EQ(AttrOf(out.at("User").at("Attributes"), "sub"), username);
  Error dup = Fails(Create("zoe@example.com", {{"UserAttributes", json::array()}}));
  EXPECT_EQ(dup.type, "UsernameExistsException");
  EXPECT_EQ(dup.message, "An account with the given email already exists.");
}

TEST_F(AdminUsersTest, GetDeleteDisableEnable) {
  Ok(Create("alice"));
  json::object user = GetUser(pool_id_, "alice");
  EXPECT_EQ(user.at("UserStatus"), "FORCE_CHANGE_PASSWORD");
  EXPECT_TRUE(user.contains("UserCreateDate"));
  EXPECT_TRUE(user.contains("UserLastModifiedDate"));
  EXPECT_FALSE(user.contains("Attributes"));
  EXPECT_FALSE(user.contains("MFAOptions"));

  std::string key = Stored(pool_id_, "alice")->username_key;
  PutRefreshToken(pool_id_, key, "t1");
  Ok(users_.AdminDisableUser(Request("alice")));
  EXPECT_EQ(GetUser(pool_id_, "alice").at("Enabled"), false);
  EXPECT_TRUE(Revoked("t1"));
  Ok(users_.AdminEnableUser(Request("alice")));
  EXPECT_EQ(GetUser(pool_id_, "alice").at("Enabled"), true);

  Ok(users_.AdminDeleteUser(Request("alice")));
  Error gone = Fails(users_.AdminGetUser(Request("alice")));
  EXPECT_EQ(gone.type, "UserNotFoundException");
  EXPECT_EQ(gone.message, "User does not exist.");
  EXPECT_EQ(Fails(users_.AdminDeleteUser(Request("alice"))).type, "UserNotFoundException");
  EXPECT_EQ(Fails(users_.AdminDisableUser(Request("alice"))).type, "UserNotFoundException");
  EXPECT_EQ(Fails(users_.AdminGetUser({{"UserPoolId", "us-east-1_nope"}, {"Username", "a"}})).type,
            "ResourceNotFoundException");
}

TEST_F(AdminUsersTest, SetUserPassword) {
  Ok(Create("alice"));
  Ok(users_.AdminSetUserPassword(
      Request("alice", {{"Password", "Perm4nent!"}, {"Permanent", true}})));
  EXPECT_EQ(GetUser(pool_id_, "alice").at("UserStatus"), "CONFIRMED");
  EXPECT_TRUE(hasher_.Verify(Stored(pool_id_, "alice")->password_hash, "Perm4nent!"));
  clock_.AdvanceMs(5000);
  Ok(users_.AdminSetUserPassword(Request("alice", {{"Password", "Temp0rary!"}})));
  EXPECT_EQ(GetUser(pool_id_, "alice").at("UserStatus"), "FORCE_CHANGE_PASSWORD");
  EXPECT_EQ(Stored(pool_id_, "alice")->password_changed_ms, clock_.NowMs());
  EXPECT_EQ(Fails(users_.AdminSetUserPassword(Request("alice", {{"Password", "short"}}))).type,
            "InvalidPasswordException");
  EXPECT_EQ(Fails(users_.AdminSetUserPassword(Request("bob", {{"Password", "Perm4nent!"}}))).type,
            "UserNotFoundException");
}

TEST_F(AdminUsersTest, UpdateAttributes) {
  Ok(Create("alice",
            {{"UserAttributes", Attrs({{"email", "a@example.com"}, {"email_verified", "true"}})}}));
  Ok(users_.AdminUpdateUserAttributes(Request(
      "alice", {{"UserAttributes", Attrs({{"email", "new@example.com"}, {"name", "Al"}})}})));
  EXPECT_EQ(Attr("alice", "email"), "new@example.com");
  EXPECT_EQ(Attr("alice", "email_verified"), "false");
  EXPECT_EQ(Attr("alice", "name"), "Al");
  Ok(users_.AdminUpdateUserAttributes(Request(
      "alice",
      {{"UserAttributes", Attrs({{"email", "n2@example.com"}, {"email_verified", "true"}})}})));
  EXPECT_EQ(Attr("alice", "email_verified"), "true");
  // An empty value deletes.
  Ok(users_.AdminUpdateUserAttributes(
      Request("alice", {{"UserAttributes", Attrs({{"name", ""}})}})));
  EXPECT_EQ(Attr("alice", "name"), "<none>");
  EXPECT_EQ(Fails(users_.AdminUpdateUserAttributes(
                      Request("alice", {{"UserAttributes", Attrs({{"custom:nope", "x"}})}})))
                .type,
            "InvalidParameterException");
}

TEST_F(AdminUsersTest, UpdateAttributesAliasConflict) {
  pool_id_ = NewPool({{"AliasAttributes", json::array{"email"}}});
  Ok(Create("first",
            {{"UserAttributes", Attrs({{"email", "x@example.com"}, {"email_verified", "true"}})}}));
  Ok(Create("second", {{"UserAttributes", Attrs({{"email", "y@example.com"}})}}));
  Error e = Fails(users_.AdminUpdateUserAttributes(Request(
      "second",
      {{"UserAttributes", Attrs({{"email", "x@example.com"}, {"email_verified", "true"}})}})));
  EXPECT_EQ(e.type, "AliasExistsException");
  EXPECT_EQ(Attr("second", "email"), "y@example.com");
  // Unverified, the same address is no alias and no conflict.
  Ok(users_.AdminUpdateUserAttributes(
      Request("second", {{"UserAttributes", Attrs({{"email", "x@example.com"}})}})));
  EXPECT_EQ(GetUser(pool_id_, "x@example.com").at("Username"), "first");
}

TEST_F(AdminUsersTest, DeleteAttributes) {
  pool_id_ = NewPool({{"Schema", json::array{json::object{{"Name", "email"},
                                                          {"AttributeDataType", "String"},
                                                          {"Required", true},
                                                          {"Mutable", true}}}}});
  Ok(Create("alice", {{"UserAttributes", Attrs({{"email", "a@example.com"}, {"name", "A"}})}}));
  Ok(users_.AdminDeleteUserAttributes(
      Request("alice", {{"UserAttributeNames", json::array{"name"}}})));
  EXPECT_EQ(Attr("alice", "name"), "<none>");
  Error required = Fails(users_.AdminDeleteUserAttributes(
      Request("alice", {{"UserAttributeNames", json::array{"email"}}})));
  EXPECT_EQ(required.type, "InvalidParameterException");
  EXPECT_EQ(Attr("alice", "email"), "a@example.com");
  EXPECT_EQ(Fails(users_.AdminDeleteUserAttributes(
                      Request("alice", {{"UserAttributeNames", json::array{"sub"}}})))
                .type,
            "InvalidParameterException");
}

}  // namespace
}  // namespace cognate::identity
