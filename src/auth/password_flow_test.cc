// USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH: flows, parameters, SECRET_HASH, user states.

#include <gtest/gtest.h>

#include <regex>

#include "identity/password_setter.h"
#include "auth/testing/sign_in_env.h"
#include "identity/secret_hash.h"

namespace cognate::auth {
namespace {

namespace json = boost::json;
using testing::kPassword;
using testing::SignInTest;
using testing::TestClient;

class PasswordFlowTest : public SignInTest {
 protected:
  void SetUp() override {
    pool_ = NewPool();
    client_ = NewClient(pool_);
  }

  Error PasswordError(const std::string& username, const std::string& password = "Wrong1!xx") {
    return Fails(PasswordSignIn(client_, username, password));
  }

  std::string pool_;
  TestClient client_;
};

TEST_F(PasswordFlowTest, UserPasswordAuthReturnsTokens) {
  AddUser(pool_, "alice");
  json::object out = Ok(PasswordSignIn(client_, "alice"));
  EXPECT_EQ(out.at("ChallengeParameters"), json::object());
  EXPECT_FALSE(out.contains("ChallengeName"));
  const json::object& result = out.at("AuthenticationResult").as_object();
  EXPECT_EQ(result.at("TokenType"), "Bearer");
  EXPECT_EQ(result.at("ExpiresIn"), 3600);
  std::string refresh = Member(result, "RefreshToken");
  EXPECT_TRUE(std::regex_match(refresh, std::regex("[A-Za-z0-9_=.-]+"))) << refresh;
  EXPECT_EQ(Claims(Member(result, "IdToken")).at("token_use"), "id");
  EXPECT_EQ(Claims(Member(result, "AccessToken")).at("token_use"), "access");
}

TEST_F(PasswordFlowTest, AdminFlowsUnderBothNames) {
  AddUser(pool_, "alice");
  EXPECT_FALSE(TokensOf(AdminSignIn(pool_, client_, "alice")).empty());
  json::object legacy{{"UserPoolId", pool_},
                      {"ClientId", client_.id},
                      {"AuthFlow", "ADMIN_NO_SRP_AUTH"},
                      {"AuthParameters", PasswordParams("alice")}};
  EXPECT_FALSE(TokensOf(service_.AdminInitiateAuth(legacy)).empty());
}

TEST_F(PasswordFlowTest, AdminFlowNeedsAClientOfThatPool) {
  std::string other_pool = NewPool();
  AddUser(pool_, "alice");
  Error e = Fails(AdminSignIn(other_pool, client_, "alice"));
  EXPECT_EQ(e.type, "ResourceNotFoundException");
  EXPECT_EQ(e.message, "User pool client " + client_.id + " does not exist.");
  e = Fails(AdminSignIn("eu-west-1_missing1", client_, "alice"));
  EXPECT_EQ(e.message, "User pool eu-west-1_missing1 does not exist.");
}

TEST_F(PasswordFlowTest, EachFlowBelongsToItsApi) {
  AddUser(pool_, "alice");
  json::object admin_flow{{"ClientId", client_.id},
                          {"AuthFlow", "ADMIN_USER_PASSWORD_AUTH"},
                          {"AuthParameters", PasswordParams("alice")}};
  EXPECT_EQ(Fails(service_.InitiateAuth(admin_flow)).message,
            "Initiate Auth method not supported.");
  json::object public_flow{{"UserPoolId", pool_},
                           {"ClientId", client_.id},
                           {"AuthFlow", "USER_PASSWORD_AUTH"},
                           {"AuthParameters", PasswordParams("alice")}};
  Error e = Fails(service_.AdminInitiateAuth(public_flow));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message, "Initiate Auth method not supported.");
}

TEST_F(PasswordFlowTest, TheClientMustAllowTheFlow) {
  AddUser(pool_, "alice");
  TestClient srp_only = NewClient(pool_, {{"ExplicitAuthFlows", {"ALLOW_USER_SRP_AUTH"}}});
  Error e = Fails(PasswordSignIn(srp_only, "alice"));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message, "USER_PASSWORD_AUTH flow not enabled for this client");
  e = Fails(AdminSignIn(pool_, srp_only, "alice"));
  EXPECT_EQ(e.message, "Auth flow not enabled for this client");
  // Legacy names: ADMIN_NO_SRP_AUTH allows the admin flow only.
  TestClient legacy = NewClient(pool_, {{"ExplicitAuthFlows", {"ADMIN_NO_SRP_AUTH"}}});
  EXPECT_FALSE(TokensOf(AdminSignIn(pool_, legacy, "alice")).empty());
  EXPECT_EQ(Fails(PasswordSignIn(legacy, "alice")).type, "InvalidParameterException");
}

TEST_F(PasswordFlowTest, CustomAuthNeedsTheDefineTrigger) {
  Error e = Fails(service_.InitiateAuth({{"ClientId", client_.id},
                                         {"AuthFlow", "CUSTOM_AUTH"},
                                         {"AuthParameters", {{"USERNAME", "a"}}}}));
  EXPECT_EQ(e.type, "InvalidParameterException");
}

TEST_F(PasswordFlowTest, MissingParameters) {
  json::object request{{"ClientId", client_.id}, {"AuthFlow", "USER_PASSWORD_AUTH"}};
  EXPECT_EQ(Fails(service_.InitiateAuth(request)).message, "Missing required parameter USERNAME");
  request["AuthParameters"] = {{"USERNAME", "alice"}};
  EXPECT_EQ(Fails(service_.InitiateAuth(request)).message, "Missing required parameter PASSWORD");
}

TEST_F(PasswordFlowTest, UnknownClient) {
  Error e = Fails(PasswordSignIn(TestClient{"nosuchclient", ""}, "alice"));
  EXPECT_EQ(e.type, "ResourceNotFoundException");
}

TEST_F(PasswordFlowTest, SecretHashOfClientsWithASecret) {
  AddUser(pool_, "alice");
  TestClient secret_client = NewClient(pool_, {{"GenerateSecret", true}});
  ASSERT_FALSE(secret_client.secret.empty());
  auto sign_in = [&](const std::string& hash) {
    return service_.InitiateAuth({{"ClientId", secret_client.id},
                                  {"AuthFlow", "USER_PASSWORD_AUTH"},
                                  {"AuthParameters", PasswordParams("alice", kPassword, hash)}});
  };
  Error e = Fails(sign_in(""));
  EXPECT_EQ(e.type, "NotAuthorizedException");
  EXPECT_EQ(e.message,
            "Client " + secret_client.id + " is configured for secret but secret was not received");
  std::string wrong = identity::ComputeSecretHash("bob", secret_client.id, secret_client.secret);
  EXPECT_EQ(Fails(sign_in(wrong)).message,
            "Unable to verify secret hash for client " + secret_client.id);
  std::string right = identity::ComputeSecretHash("alice", secret_client.id, secret_client.secret);
  EXPECT_FALSE(TokensOf(sign_in(right)).empty());
}

TEST_F(PasswordFlowTest, UnknownUserDependsOnPreventUserExistenceErrors) {
  Error legacy = PasswordError("nobody");
  EXPECT_EQ(legacy.type, "UserNotFoundException");
  EXPECT_EQ(legacy.message, "User does not exist.");
  TestClient hiding = NewClient(pool_, {{"PreventUserExistenceErrors", "ENABLED"}});
  Error hidden = Fails(PasswordSignIn(hiding, "nobody"));
  EXPECT_EQ(hidden.type, "NotAuthorizedException");
  EXPECT_EQ(hidden.message, "Incorrect username or password.");
}

TEST_F(PasswordFlowTest, WrongPasswordCountsAFailure) {
  store::UserRecord alice = AddUser(pool_, "alice");
  Error e = PasswordError("alice");
  EXPECT_EQ(e.type, "NotAuthorizedException");
  EXPECT_EQ(e.message, "Incorrect username or password.");
  EXPECT_EQ(GetUser(pool_, alice.username_key).failed_sign_ins, 1);
}

TEST_F(PasswordFlowTest, UserStatesShowOnlyAfterTheRightPassword) {
  AddUser(pool_, "unconfirmed", {}, "UNCONFIRMED");
  store::UserRecord disabled = AddUser(pool_, "disabled");
  EditUser(pool_, disabled.username_key, [](store::UserRecord& u) { u.enabled = false; });
  EXPECT_EQ(PasswordError("unconfirmed").message, "Incorrect username or password.");
  EXPECT_EQ(PasswordError("disabled").message, "Incorrect username or password.");
  Error e = Fails(PasswordSignIn(client_, "unconfirmed"));
  EXPECT_EQ(e.type, "UserNotConfirmedException");
  EXPECT_EQ(e.message, "User is not confirmed.");
  e = Fails(PasswordSignIn(client_, "disabled"));
  EXPECT_EQ(e.type, "NotAuthorizedException");
  EXPECT_EQ(e.message, "User is disabled.");
}

TEST_F(PasswordFlowTest, ResetRequiredWhateverThePassword) {
  store::UserRecord user = AddUser(pool_, "imported", {}, "RESET_REQUIRED");
  EditUser(pool_, user.username_key, [](store::UserRecord& u) { u.password_hash.clear(); });
  for (const char* password : {"Wrong1!xx", kPassword}) {
    Error e = Fails(PasswordSignIn(client_, "imported", password));
    EXPECT_EQ(e.type, "PasswordResetRequiredException");
    EXPECT_EQ(e.message, "Password reset required for the user");
  }
}

TEST_F(PasswordFlowTest, SignInWithAVerifiedAlias) {
  std::string pool = NewPool({{"AliasAttributes", {"email"}}});
  TestClient client = NewClient(pool);
  AddUser(pool, "alice", {{"email", "alice@example.com"}, {"email_verified", "true"}});
  AddUser(pool, "bob", {{"email", "bob@example.com"}, {"email_verified", "false"}});
  json::object tokens = TokensOf(PasswordSignIn(client, "Alice@Example.com"));
  EXPECT_EQ(Claims(Member(tokens, "AccessToken")).at("username"), "alice");
  EXPECT_EQ(Fails(PasswordSignIn(client, "bob@example.com")).type, "UserNotFoundException");
}

TEST_F(PasswordFlowTest, SignInWithEmailAsUsernameAndCaseInsensitiveNames) {
  std::string pool = NewPool(
      {{"UsernameAttributes", {"email"}}, {"UsernameConfiguration", {{"CaseSensitive", false}}}});
  TestClient client = NewClient(pool);
  store::UserRecord user = AddUser(pool, "0f0e7d1c-uuid", {{"email", "carol@example.com"}});
  json::object tokens = TokensOf(PasswordSignIn(client, "carol@example.com"));
  EXPECT_EQ(Claims(Member(tokens, "IdToken")).at("cognito:username"), json::value(user.username));
  EXPECT_FALSE(TokensOf(PasswordSignIn(client, "0F0E7D1C-UUID")).empty());
}

TEST_F(PasswordFlowTest, OldHashesAreUpgradedOnSignIn) {
  PasswordHasher stronger(PasswordHasher::Params{2, 16 * 1024});
  store::UserRecord user = AddUser(pool_, "alice");
  std::string old_hash = stronger.Hash(kPassword);
  EditUser(pool_, user.username_key, [&](store::UserRecord& u) { u.password_hash = old_hash; });
  ASSERT_TRUE(hasher_.NeedsRehash(old_hash));
  EXPECT_FALSE(TokensOf(PasswordSignIn(client_, "alice")).empty());
  store::UserRecord upgraded = GetUser(pool_, user.username_key);
  EXPECT_NE(upgraded.password_hash, old_hash);
  EXPECT_FALSE(hasher_.NeedsRehash(upgraded.password_hash));
  EXPECT_EQ(upgraded.password_changed_ms, user.password_changed_ms);
  EXPECT_FALSE(TokensOf(PasswordSignIn(client_, "alice")).empty());
}

// An imported user with a current Argon2id hash lacks only the SRP verifier: the first sign-in
// adds it and keeps the hash (no second Argon2id run, no new salt).
TEST_F(PasswordFlowTest, MissingVerifierIsAddedWithoutRehashing) {
  store::UserRecord user = AddUser(pool_, "imported");
  EditUser(pool_, user.username_key, [](store::UserRecord& u) { u.srp_verifier_sealed.clear(); });
  EXPECT_FALSE(TokensOf(PasswordSignIn(client_, "imported")).empty());
  store::UserRecord after = GetUser(pool_, user.username_key);
  EXPECT_EQ(after.password_hash, user.password_hash);
  EXPECT_FALSE(after.srp_verifier_sealed.empty());
  EXPECT_TRUE(identity::OpenSrpVerifier(kek_, after).ok());
}

TEST_F(PasswordFlowTest, TemporaryPasswordsExpire) {
  std::string pool =
      NewPool({{"Policies", {{"PasswordPolicy", {{"TemporaryPasswordValidityDays", 2}}}}}});
  TestClient client = NewClient(pool);
  AddUser(pool, "newbie", {}, "FORCE_CHANGE_PASSWORD");
  clock_.AdvanceMs(2 * 24 * 3600 * 1000LL);
  EXPECT_EQ(Ok(PasswordSignIn(client, "newbie")).at("ChallengeName"), "NEW_PASSWORD_REQUIRED");
  clock_.AdvanceMs(1);
  Error e = Fails(PasswordSignIn(client, "newbie"));
  EXPECT_EQ(e.type, "NotAuthorizedException");
  EXPECT_EQ(e.message, "Temporary password has expired and must be reset by an administrator.");
}

}  // namespace
}  // namespace cognate::auth
