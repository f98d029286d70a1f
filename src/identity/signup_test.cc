// UserService: SignUp, ConfirmSignUp, ResendConfirmationCode and AdminConfirmSignUp.

#include <gtest/gtest.h>

#include "identity/codes.h"
#include "identity/secret_hash.h"
#include "identity/testing/user_service_fixture.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

constexpr char kPassword[] = "Passw0rd!";

class SignUpTest : public fakes::UserServiceFixture {
 protected:
  // A pool that sends the sign-up code by email, with `extra` settings.
  void MakePool(json::object extra = {}) {
    if (!extra.contains("AutoVerifiedAttributes"))
      extra["AutoVerifiedAttributes"] = json::array{"email"};
    pool_id_ = NewPool(std::move(extra));
    client_id_ = NewClient(pool_id_);
  }
  Result<json::object> SignUp(std::string_view username, std::string_view email,
                              std::string_view password = kPassword) {
    json::object request{{"ClientId", client_id_}, {"Username", username}, {"Password", password}};
    if (!email.empty()) request["UserAttributes"] = Attrs({{"email", email}});
    return users_.SignUp(request);
  }
  Result<json::object> Confirm(std::string_view username, std::string_view code,
                               bool force = false) {
    json::object request{
        {"ClientId", client_id_}, {"Username", username}, {"ConfirmationCode", code}};
    if (force) request["ForceAliasCreation"] = true;
    return users_.ConfirmSignUp(request);
  }
  std::string StatusOf(std::string_view name) {
    return std::string(GetUser(pool_id_, name).at("UserStatus").as_string());
  }

  std::string pool_id_;
  std::string client_id_;
};

TEST_F(SignUpTest, SignUpCreatesAnUnconfirmedUserAndSendsACode) {
  MakePool();
  json::object out = Ok(SignUp("alice", "alice@example.com"));
  EXPECT_EQ(out.at("UserConfirmed"), false);
  EXPECT_EQ(out.at("CodeDeliveryDetails"), (json::object{{"Destination", "a***@e***"},
                                                         {"DeliveryMedium", "EMAIL"},
                                                         {"AttributeName", "email"}}));
  json::object user = GetUser(pool_id_, "alice");
  EXPECT_EQ(user.at("Username"), "alice");
  EXPECT_EQ(user.at("UserStatus"), "UNCONFIRMED");
  EXPECT_EQ(user.at("Enabled"), true);
  EXPECT_EQ(AttrOf(user.at("UserAttributes"), "sub"), std::string(out.at("UserSub").as_string()));
  EXPECT_EQ(AttrOf(user.at("UserAttributes"), "email"), "alice@example.com");
  EXPECT_EQ(sender_.last().purpose, "signup");
  std::optional<store::UserRecord> stored = Stored(pool_id_, "alice");
  ASSERT_TRUE(stored);
  EXPECT_TRUE(hasher_.Verify(stored->password_hash, kPassword));
}

TEST_F(SignUpTest, NoCodeWithoutAutoVerifiedAttributes) {
  MakePool({{"AutoVerifiedAttributes", json::array{}}});
  json::object out = Ok(SignUp("bob", "bob@example.com"));
  EXPECT_FALSE(out.contains("CodeDeliveryDetails"));
  EXPECT_EQ(sender_.count(), 0u);
}

TEST_F(SignUpTest, RefusesWeakPasswordsAndDuplicates) {
  MakePool();
  Error weak = Fails(SignUp("alice", "alice@example.com", "password"));
  EXPECT_EQ(weak.type, "InvalidPasswordException");
  Ok(SignUp("alice", "alice@example.com"));
  Error dup = Fails(SignUp("alice", "other@example.com"));
  EXPECT_EQ(dup.type, "UsernameExistsException");
  EXPECT_EQ(dup.message, "User already exists");
}

TEST_F(SignUpTest, AdminCreateOnlyPoolsRefuseSignUp) {
  MakePool({{"AdminCreateUserConfig", json::object{{"AllowAdminCreateUserOnly", true}}}});
  Error e = Fails(SignUp("alice", "alice@example.com"));
  EXPECT_EQ(e.type, "NotAuthorizedException");
  EXPECT_EQ(e.message, "SignUp is not permitted for this user pool");
}

TEST_F(SignUpTest, EmailAsUsername) {
  MakePool({{"UsernameAttributes", json::array{"email"}}});
  json::object out = Ok(SignUp("carol@example.com", ""));
  std::string sub(out.at("UserSub").as_string());
  json::object user = GetUser(pool_id_, "carol@example.com");
  EXPECT_EQ(user.at("Username").as_string(), sub);
  EXPECT_EQ(AttrOf(user.at("UserAttributes"), "email"), "carol@example.com");
  Error dup = Fails(SignUp("Carol@Example.com", ""));
  EXPECT_EQ(dup.type, "UsernameExistsException");
  EXPECT_EQ(dup.message, "An account with the given email already exists.");
  Error plain = Fails(SignUp("carol", ""));
  EXPECT_EQ(plain.type, "InvalidParameterException");
  EXPECT_EQ(plain.message, "Username should be an email.");
}

TEST_F(SignUpTest, EmailAliasPoolsRefuseEmailShapedUsernames) {
  MakePool({{"AliasAttributes", json::array{"email"}}});
  Error e = Fails(SignUp("dave@example.com", "dave@example.com"));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message,
            "Username cannot be of email format, since user pool is configured for email alias.");
}

TEST_F(SignUpTest, CaseInsensitiveUsernames) {
  MakePool({{"UsernameConfiguration", json::object{{"CaseSensitive", false}}}});
  Ok(SignUp("Erin", "erin@example.com"));
  EXPECT_EQ(Fails(SignUp("erin", "erin@example.com")).type, "UsernameExistsException");
  json::object user = GetUser(pool_id_, "ERIN");
  EXPECT_EQ(user.at("Username"), "Erin");
  Ok(Confirm("eRIN", LastCode()));
  EXPECT_EQ(StatusOf("erin"), "CONFIRMED");
}

TEST_F(SignUpTest, CaseSensitiveByDefault) {
  MakePool();
  Ok(SignUp("Erin", "erin@example.com"));
  Ok(SignUp("erin", "erin2@example.com"));
}

TEST_F(SignUpTest, SecretHashIsRequiredWhenTheClientHasASecret) {
  MakePool();
  std::string secret;
  client_id_ = NewClient(pool_id_, {{"GenerateSecret", true}}, &secret);
  ASSERT_FALSE(secret.empty());
  Error missing = Fails(SignUp("frank", "frank@example.com"));
  EXPECT_EQ(missing.type, "NotAuthorizedException");
  EXPECT_EQ(missing.message,
            "Client " + client_id_ + " is configured for secret but secret was not received");
  json::object request{{"ClientId", client_id_},
                       {"Username", "frank"},
                       {"Password", kPassword},
                       {"SecretHash", "d3JvbmcK"}};
  Error wrong = Fails(users_.SignUp(request));
  EXPECT_EQ(wrong.message, "Unable to verify secret hash for client " + client_id_);
  request["SecretHash"] = ComputeSecretHash("frank", client_id_, secret);
  Ok(users_.SignUp(request));
  // ConfirmSignUp needs it too.
  Error confirm = Fails(Confirm("frank", "123456"));
  EXPECT_EQ(confirm.type, "NotAuthorizedException");
}

TEST_F(SignUpTest, ConfirmSignUpVerifiesTheEmail) {
  MakePool();
  Ok(SignUp("alice", "alice@example.com"));
  std::string code = LastCode();
  Ok(Confirm("alice", code));
  json::object user = GetUser(pool_id_, "alice");
  EXPECT_EQ(user.at("UserStatus"), "CONFIRMED");
  EXPECT_EQ(AttrOf(user.at("UserAttributes"), "email_verified"), "true");
  Error again = Fails(Confirm("alice", code));
  EXPECT_EQ(again.type, "NotAuthorizedException");
  EXPECT_EQ(again.message, "User cannot be confirmed. Current status is CONFIRMED");
}

TEST_F(SignUpTest, ConfirmSignUpCodeErrors) {
  MakePool();
  Ok(SignUp("alice", "alice@example.com"));
  std::string code = LastCode();
  std::string wrong = code == "000000" ? "111111" : "000000";
  Error mismatch = Fails(Confirm("alice", wrong));
  EXPECT_EQ(mismatch.type, "CodeMismatchException");
  EXPECT_EQ(mismatch.message, "Invalid verification code provided, please try again.");
  for (int i = 1; i < kMaxCodeAttempts; ++i) Fails(Confirm("alice", wrong));
  EXPECT_EQ(Fails(Confirm("alice", code)).type, "LimitExceededException");
  EXPECT_EQ(Fails(Confirm("nobody", code)).type, "UserNotFoundException");
  EXPECT_EQ(StatusOf("alice"), "UNCONFIRMED");
}

TEST_F(SignUpTest, ConfirmSignUpCodeExpiresAfterADay) {
  MakePool();
  Ok(SignUp("alice", "alice@example.com"));
  clock_.AdvanceMs(24 * kHourMs + 1000);
  Error e = Fails(Confirm("alice", LastCode()));
  EXPECT_EQ(e.type, "ExpiredCodeException");
  EXPECT_EQ(e.message, "Invalid code provided, please request a code again.");
}

TEST_F(SignUpTest, ResendReplacesTheCodeAndIsRateLimited) {
  MakePool();
  Ok(SignUp("alice", "alice@example.com"));
  std::string first = LastCode();
  json::object request{{"ClientId", client_id_}, {"Username", "alice"}};
  json::object out = Ok(users_.ResendConfirmationCode(request));
  EXPECT_EQ(out.at("CodeDeliveryDetails").at("Destination"), "a***@e***");
  EXPECT_EQ(sender_.last().purpose, "resend");
  std::string second = LastCode();
  if (first != second) {
    EXPECT_EQ(Fails(Confirm("alice", first)).type, "CodeMismatchException");
  }
  // Sign-up sent one code; four more fit in the hour.
  for (int i = 2; i < kMaxCodeSendsPerWindow; ++i) Ok(users_.ResendConfirmationCode(request));
  Error limited = Fails(users_.ResendConfirmationCode(request));
  EXPECT_EQ(limited.type, "LimitExceededException");
  clock_.AdvanceMs(kCodeSendWindowMs);
  Ok(users_.ResendConfirmationCode(request));
  Ok(Confirm("alice", LastCode()));
  Error confirmed = Fails(users_.ResendConfirmationCode(request));
  EXPECT_EQ(confirmed.type, "InvalidParameterException");
  EXPECT_EQ(
      Fails(users_.ResendConfirmationCode({{"ClientId", client_id_}, {"Username", "x"}})).type,
      "UserNotFoundException");
}

TEST_F(SignUpTest, PreventUserExistenceErrorsHidesUnknownUsers) {
  MakePool();
  client_id_ = NewClient(pool_id_, {{"PreventUserExistenceErrors", "ENABLED"}});
  json::object out =
      Ok(users_.ResendConfirmationCode({{"ClientId", client_id_}, {"Username", "ghost@x.io"}}));
  EXPECT_EQ(out.at("CodeDeliveryDetails").at("Destination"), "g***@x***");
  EXPECT_EQ(sender_.count(), 0u);
  EXPECT_EQ(Fails(Confirm("ghost", "123456")).type, "CodeMismatchException");
  // SignUp still reports taken usernames.
  Ok(SignUp("alice", "alice@example.com"));
  EXPECT_EQ(Fails(SignUp("alice", "alice@example.com")).type, "UsernameExistsException");
}

TEST_F(SignUpTest, AliasConflictOnConfirmAndForceAliasCreation) {
  MakePool({{"AliasAttributes", json::array{"email"}}});
  Ok(SignUp("first", "shared@example.com"));
  Ok(Confirm("first", LastCode()));
  Ok(SignUp("second", "shared@example.com"));  // Unverified aliases may repeat.
  std::string code = LastCode();
  Error e = Fails(Confirm("second", code));
  EXPECT_EQ(e.type, "AliasExistsException");
  EXPECT_EQ(e.message, "An account with the email already exists.");
  EXPECT_EQ(StatusOf("second"), "UNCONFIRMED");
  Ok(Confirm("second", code, /*force=*/true));  // The code was not spent by the conflict.
  EXPECT_EQ(GetUser(pool_id_, "shared@example.com").at("Username"), "second");
  EXPECT_EQ(AttrOf(GetUser(pool_id_, "first").at("UserAttributes"), "email_verified"), "false");
}

TEST_F(SignUpTest, AdminConfirmSignUp) {
  MakePool();
  Ok(SignUp("alice", "alice@example.com"));
  json::object request{{"UserPoolId", pool_id_}, {"Username", "alice"}};
  Ok(users_.AdminConfirmSignUp(request));
  json::object user = GetUser(pool_id_, "alice");
  EXPECT_EQ(user.at("UserStatus"), "CONFIRMED");
  EXPECT_FALSE(AttrOf(user.at("UserAttributes"), "email_verified").has_value());
  Error again = Fails(users_.AdminConfirmSignUp(request));
  EXPECT_EQ(again.message, "User cannot be confirmed. Current status is CONFIRMED");
  EXPECT_EQ(Fails(users_.AdminConfirmSignUp({{"UserPoolId", pool_id_}, {"Username", "x"}})).type,
            "UserNotFoundException");
}

}  // namespace
}  // namespace cognate::identity
