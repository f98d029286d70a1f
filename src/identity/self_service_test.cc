#include "identity/self_service.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "api/cognito/self_service_actions.h"
#include "common/testing/result_helpers.h"
#include "crypto/random.h"
#include "identity/pool_service.h"
#include "identity/testing/service_fixture.h"
#include "store/sqlite/open.h"
#include "token/keyring.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

constexpr char kPassword[] = "Passw0rd!";

class RecordingSender final : public delivery::MessageSender {
 public:
  Status Send(const delivery::OutgoingMessage& message) override {
    std::lock_guard lock(mu_);
    sent.push_back(message);
    return OkStatus();
  }
  std::vector<delivery::OutgoingMessage> sent;

 private:
  std::mutex mu_;
};

class SelfServiceTest : public ::testing::Test, protected test_support::ResultHelpers {
 protected:
  SelfServiceTest()
      : stores_(store::sqlite::Open(":memory:")),
        kek_(std::string_view(fakes::kTestKek, 32)),
        pools_(*stores_.pools, *stores_.clients, *stores_.keys, kek_, clock_, {},
               fakes::CachedKeyFactory()),
        keyring_(*stores_.keys, kek_, clock_),
        tokens_(keyring_, clock_, "https://cognito.test"),
        directory_(stores_, kek_, clock_),
        guard_(directory_, tokens_),
        hasher_(auth::PasswordHasher::Params{1, 8192}),
        delivery_(directory_, sender_),
        service_(directory_, guard_, hasher_, delivery_) {
    pool_id_ = NewPool(json::parse(R"({"AutoVerifiedAttributes":["email"],
        "Schema":[{"Name":"name","AttributeDataType":"String","Required":true}]})")
                           .as_object());
    client_id_ = NewClient(pool_id_);
    alice_ = CreateUser(pool_id_, "alice",
                        {{"name", "Alice"},
                         {"email", "alice@example.com"},
                         {"email_verified", "true"},
                         {"given_name", "Al"}});
    token_ = Issue(alice_);
  }

  std::string NewPool(json::object request) {
    request["PoolName"] = "pool";
    auto pool = pools_.CreateUserPool(request);
    EXPECT_TRUE(pool.ok()) << pool.error().message;
    return pool.ok() ? std::string(pool->at("UserPool").at("Id").as_string()) : "";
  }
  std::string NewClient(const std::string& pool_id, json::object request = {}) {
    request["UserPoolId"] = pool_id;
    request["ClientName"] = "app";
    auto client = pools_.CreateUserPoolClient(request);
    EXPECT_TRUE(client.ok()) << client.error().message;
    return client.ok() ? std::string(client->at("UserPoolClient").at("ClientId").as_string()) : "";
  }
  store::UserRecord CreateUser(const std::string& pool_id, const std::string& username,
                               const json::object& attributes) {
    auto pool = directory_.LoadPool(pool_id);
    EXPECT_TRUE(pool.ok());
    store::UserRecord user;
    user.pool_id = pool_id;
    user.username = username;
    user.username_key = UserDirectory::UsernameKey(*pool, username);
    user.sub = crypto::RandomUuid();
    user.status = "CONFIRMED";
    user.password_hash = hasher_.Hash(kPassword);
    user.attributes_json = json::serialize(attributes);
    user.created_ms = user.modified_ms = clock_.NowMs();
    Status created = stores_.users->CreateUser(user, UserDirectory::KeysFor(*pool, attributes));
    EXPECT_TRUE(created.ok()) << created.error().message;
    return user;
  }
  std::string Issue(const store::UserRecord& user, const std::string& client_id = "",
                    const std::string& scope = "aws.cognito.signin.user.admin") {
    return IssueBoth(user, client_id, scope).access_token;
  }
  token::IssuedTokens IssueBoth(const store::UserRecord& user, const std::string& client_id = "",
                                const std::string& scope = "aws.cognito.signin.user.admin") {
    token::IssueRequest r;
    r.pool_id = user.pool_id;
    r.client_id = client_id.empty() ? client_id_ : client_id;
    r.sub = user.sub;
    r.username = user.username;
    r.origin_jti = crypto::RandomUuid();
    r.auth_time_s = clock_.NowSeconds();
    r.id_validity_s = r.access_validity_s = 3600;
    r.scope = scope;
    auto issued = tokens_.Issue(r);
    EXPECT_TRUE(issued.ok());
    // A real sign-in also stores the session's refresh token: GlobalSignOut revokes by session.
    store::RefreshTokenRecord refresh{"rt-" + r.origin_jti, user.pool_id, r.client_id,
                                      user.username_key,    r.origin_jti,  r.auth_time_s,
                                      clock_.NowMs(),       clock_.NowMs() + 3600 * 1000};
    EXPECT_TRUE(stores_.refresh_tokens->PutRefreshToken(refresh).ok());
    return issued.ok() ? *issued : token::IssuedTokens{};
  }


  // GetUser's attributes as name -> value.
  std::map<std::string, std::string> Shown(const std::string& token) {
    std::map<std::string, std::string> out;
    json::object got = Ok(service_.GetUser({{"AccessToken", token}}));
    if (const json::value* list = got.if_contains("UserAttributes"))
      for (const json::value& a : list->as_array())
        out[std::string(a.at("Name").as_string())] = a.at("Value").as_string();
    return out;
  }
  store::UserRecord Stored(const store::UserRecord& user) {
    auto found = stores_.users->GetUser(user.pool_id, user.username_key);
    EXPECT_TRUE(found.ok() && found->has_value());
    return found.ok() && found->has_value() ? **found : store::UserRecord{};
  }
  json::object StoredAttributes(const store::UserRecord& user) {
    return json::parse(Stored(user).attributes_json).as_object();
  }
  json::object Update(const std::string& token, json::array attributes) {
    return Ok(service_.UpdateUserAttributes(
        {{"AccessToken", token}, {"UserAttributes", std::move(attributes)}}));
  }
  static json::object Attr(std::string_view name, std::string_view value) {
    return {{"Name", name}, {"Value", value}};
  }
  std::string LastCode() const { return sender_.sent.empty() ? "" : sender_.sent.back().code; }
  Result<json::object> Verify(const std::string& token, std::string_view name,
                              const std::string& code) {
    return service_.VerifyUserAttribute(
        {{"AccessToken", token}, {"AttributeName", name}, {"Code", code}});
  }

  FakeClock clock_{1'700'000'000'000};
  store::Stores stores_;
  crypto::KeyEncryptionKey kek_;
  PoolService pools_;
  token::Keyring keyring_;
  token::TokenService tokens_;
  UserDirectory directory_;
  auth::AccessGuard guard_;
  auth::PasswordHasher hasher_;
  RecordingSender sender_;
  CodeDelivery delivery_;
  SelfService service_;
  std::string pool_id_, client_id_, token_;
  store::UserRecord alice_;
};

TEST_F(SelfServiceTest, GetUserShowsTheUsernameAndAttributesSubFirst) {
  json::object got = Ok(service_.GetUser({{"AccessToken", token_}}));
  EXPECT_EQ(got.at("Username"), "alice");
  const json::array& list = got.at("UserAttributes").as_array();
  ASSERT_EQ(list.size(), 5u);
  EXPECT_EQ(list[0], json::parse(R"({"Name":"sub","Value":")" + alice_.sub + R"("})"));
  EXPECT_EQ(Shown(token_).at("email"), "alice@example.com");
  EXPECT_FALSE(got.contains("MFAOptions"));
}

TEST_F(SelfServiceTest, GetUserShowsOnlyWhatTheClientMayRead) {
  std::string client = NewClient(pool_id_, {{"ReadAttributes", json::array{"email", "name"}}});
  auto shown = Shown(Issue(alice_, client));
  EXPECT_EQ(shown, (std::map<std::string, std::string>{
                       {"sub", alice_.sub}, {"email", "alice@example.com"}, {"name", "Alice"}}));
}

TEST_F(SelfServiceTest, EveryActionRefusesBadTokens) {
  const std::string tampered = token_.substr(0, token_.size() - 2) + "xx";
  const std::string id_token = IssueBoth(alice_).id_token;
  const std::string no_scope = Issue(alice_, "", "openid");
  clock_.AdvanceMs(1000);
  const std::string expiring = Issue(alice_);
  clock_.AdvanceMs(3600 * 1000);
  for (const std::string& bad : {std::string("garbage"), tampered, id_token, no_scope, expiring}) {
    json::object request{{"AccessToken", bad}};
    for (auto method : {&SelfService::GetUser, &SelfService::DeleteUser,
                        &SelfService::GlobalSignOut, &SelfService::ChangePassword}) {
      EXPECT_EQ(Fails((service_.*method)(request)).type, "NotAuthorizedException");
    }
  }
  EXPECT_EQ(Fails(service_.GetUser({{"AccessToken", expiring}})).message,
            "Access Token has expired");
}

TEST_F(SelfServiceTest, UpdateSetsValuesAndDeletesEmptyOnes) {
  json::object out = Update(token_, {Attr("family_name", "Smith"), Attr("given_name", "")});
  EXPECT_EQ(out, json::object());
  auto shown = Shown(token_);
  EXPECT_EQ(shown.at("family_name"), "Smith");
  EXPECT_FALSE(shown.contains("given_name"));
  EXPECT_EQ(Stored(alice_).modified_ms, clock_.NowMs());
}

TEST_F(SelfServiceTest, UpdateKeepsToTheClientsWriteAttributes) {
  std::string token =
      Issue(alice_, NewClient(pool_id_, {{"WriteAttributes", json::array{"given_name"}}}));
  Update(token, {Attr("given_name", "Ally"), Attr("name", "A")});  // name is required: writable
  for (const char* name : {"family_name", "email_verified"}) {
    Error e = Fails(service_.UpdateUserAttributes(
        {{"AccessToken", token}, {"UserAttributes", json::array{Attr(name, "true")}}}));
    EXPECT_EQ(e.type, "NotAuthorizedException");
    EXPECT_EQ(e.message, "A client attempted to write unauthorized attribute");
  }
  EXPECT_EQ(Fails(service_.DeleteUserAttributes(
                      {{"AccessToken", token}, {"UserAttributeNames", json::array{"family_name"}}}))
                .type,
            "NotAuthorizedException");
  EXPECT_EQ(
      Fails(service_.UpdateUserAttributes(
                {{"AccessToken", token_}, {"UserAttributes", json::array{Attr("shoe", "42")}}}))
          .message,
      "user.shoe: Attribute does not exist in the schema.\n");
}

TEST_F(SelfServiceTest, ChangedEmailIsUnverifiedUntilTheCodeSentToItIsGiven) {
  json::object out = Update(token_, {Attr("email", "new@example.org")});
  EXPECT_EQ(out, json::parse(R"({"CodeDeliveryDetailsList":[{"Destination":"n***@e***",
      "DeliveryMedium":"EMAIL","AttributeName":"email"}]})"));
  ASSERT_EQ(sender_.sent.size(), 1u);
  EXPECT_EQ(sender_.sent[0].destination, "new@example.org");
  EXPECT_EQ(sender_.sent[0].purpose, "update-attribute");
  EXPECT_EQ(Shown(token_).at("email_verified"), "false");
  Ok(Verify(token_, "email", LastCode()));
  EXPECT_EQ(Shown(token_).at("email"), "new@example.org");
  EXPECT_EQ(Shown(token_).at("email_verified"), "true");
}

TEST_F(SelfServiceTest, VerificationRefusesWrongExpiredAndReusedCodes) {
  Ok(service_.GetUserAttributeVerificationCode(
      {{"AccessToken", token_}, {"AttributeName", "email"}}));
  std::string code = LastCode();
  std::string wrong = code == "000000" ? "111111" : "000000";
  EXPECT_EQ(Fails(Verify(token_, "email", wrong)).type, "CodeMismatchException");
  Ok(Verify(token_, "email", code));
  EXPECT_EQ(Fails(Verify(token_, "email", code)).type, "ExpiredCodeException");
  Ok(service_.GetUserAttributeVerificationCode(
      {{"AccessToken", token_}, {"AttributeName", "email"}}));
  clock_.AdvanceMs(24 * 3600 * 1000);
  std::string token = Issue(alice_);
  EXPECT_EQ(Fails(Verify(token, "email", LastCode())).type, "ExpiredCodeException");
  EXPECT_EQ(Fails(Verify(token, "name", "123456")).type, "InvalidParameterException");
}

TEST_F(SelfServiceTest, GetUserAttributeVerificationCodeNeedsAVerifiableValue) {
  json::object out = Ok(service_.GetUserAttributeVerificationCode(
      {{"AccessToken", token_}, {"AttributeName", "email"}}));
  EXPECT_EQ(out.at("CodeDeliveryDetails").at("DeliveryMedium"), "EMAIL");
  EXPECT_EQ(sender_.sent.at(0).destination, "alice@example.com");
  for (const char* name : {"phone_number", "name"}) {
    EXPECT_EQ(Fails(service_.GetUserAttributeVerificationCode(
                        {{"AccessToken", token_}, {"AttributeName", name}}))
                  .type,
              "InvalidParameterException");
  }
}

TEST_F(SelfServiceTest, ChangeWithoutAutoVerificationSendsNothingAndVoidsOldCodes) {
  Update(token_, {Attr("phone_number", "+15550001111")});
  Ok(service_.GetUserAttributeVerificationCode(
      {{"AccessToken", token_}, {"AttributeName", "phone_number"}}));
  std::string code = LastCode();
  EXPECT_EQ(sender_.sent.back().channel, "SMS");
  EXPECT_EQ(Update(token_, {Attr("phone_number", "+15550002222")}), json::object());
  EXPECT_EQ(sender_.sent.size(), 1u);
  EXPECT_EQ(Fails(Verify(token_, "phone_number", code)).type, "ExpiredCodeException");
  EXPECT_EQ(Shown(token_).at("phone_number_verified"), "false");
}

TEST_F(SelfServiceTest, PendingEmailKeepsTheOldOneActiveUntilVerified) {
  std::string pool_id = NewPool(json::parse(R"({"AutoVerifiedAttributes":["email"],
      "AliasAttributes":["email"],
      "UserAttributeUpdateSettings":{"AttributesRequireVerificationBeforeUpdate":["email"]}})")
                                    .as_object());
  client_id_ = NewClient(pool_id);
  store::UserRecord bob =
      CreateUser(pool_id, "bob", {{"email", "bob@example.com"}, {"email_verified", "true"}});
  std::string token = Issue(bob);
  Update(token, {Attr("email", "robert@example.com")});
  EXPECT_EQ(sender_.sent.back().destination, "robert@example.com");
  auto shown = Shown(token);
  EXPECT_EQ(shown.at("email"), "bob@example.com");
  EXPECT_EQ(shown.at("email_verified"), "true");
  EXPECT_EQ(shown.size(), 3u);  // sub, email, email_verified: the pending value is hidden
  EXPECT_EQ(StoredAttributes(bob).at("cognate:pending:email"), "robert@example.com");
  // A resend goes to the pending value too.
  Ok(service_.GetUserAttributeVerificationCode(
      {{"AccessToken", token}, {"AttributeName", "email"}}));
  EXPECT_EQ(sender_.sent.back().destination, "robert@example.com");
  Ok(Verify(token, "email", LastCode()));
  shown = Shown(token);
  EXPECT_EQ(shown.at("email"), "robert@example.com");
  EXPECT_EQ(shown.at("email_verified"), "true");
  EXPECT_FALSE(StoredAttributes(bob).contains("cognate:pending:email"));
  auto pool = directory_.LoadPool(pool_id);
  ASSERT_TRUE(pool.ok());
  EXPECT_EQ(directory_.Require(*pool, "robert@example.com")->username, "bob");
}

TEST_F(SelfServiceTest, AliasConflictsAreRefused) {
  std::string pool_id = NewPool({{"AliasAttributes", json::array{"email", "preferred_username"}}});
  client_id_ = NewClient(pool_id);
  CreateUser(
      pool_id, "ann",
      {{"email", "ann@example.com"}, {"email_verified", "true"}, {"preferred_username", "ace"}});
  store::UserRecord ben = CreateUser(pool_id, "ben", {});
  std::string token = Issue(ben);
  EXPECT_EQ(Fails(service_.UpdateUserAttributes(
                      {{"AccessToken", token},
                       {"UserAttributes", json::array{Attr("preferred_username", "ace")}}}))
                .type,
            "AliasExistsException");
  // An unverified email holds no alias yet; verifying it would take ann's.
  Update(token, {Attr("email", "ANN@example.com")});
  Ok(service_.GetUserAttributeVerificationCode(
      {{"AccessToken", token}, {"AttributeName", "email"}}));
  EXPECT_EQ(Fails(Verify(token, "email", LastCode())).type, "AliasExistsException");
}

TEST_F(SelfServiceTest, DeleteUserAttributesKeepsRequiredAndKnownOnes) {
  Ok(service_.DeleteUserAttributes(
      {{"AccessToken", token_}, {"UserAttributeNames", json::array{"given_name", "email"}}}));
  auto shown = Shown(token_);
  EXPECT_FALSE(shown.contains("given_name"));
  EXPECT_FALSE(shown.contains("email"));
  EXPECT_FALSE(shown.contains("email_verified"));
  Error required = Fails(service_.DeleteUserAttributes(
      {{"AccessToken", token_}, {"UserAttributeNames", json::array{"name"}}}));
  EXPECT_EQ(required.type, "InvalidParameterException");
  EXPECT_EQ(Fails(service_.UpdateUserAttributes(
                      {{"AccessToken", token_}, {"UserAttributes", json::array{Attr("name", "")}}}))
                .type,
            "InvalidParameterException");
  EXPECT_EQ(Fails(service_.DeleteUserAttributes(
                      {{"AccessToken", token_}, {"UserAttributeNames", json::array{"sub"}}}))
                .type,
            "InvalidParameterException");
  EXPECT_EQ(Shown(token_).at("name"), "Alice");
}

TEST_F(SelfServiceTest, ChangePasswordChecksThePreviousAndThePolicy) {
  clock_.AdvanceMs(5000);
  auto change = [&](const char* previous, const char* proposed) {
    return service_.ChangePassword(
        {{"AccessToken", token_}, {"PreviousPassword", previous}, {"ProposedPassword", proposed}});
  };
  Error wrong = Fails(change("Wr0ng-pass", "N3w-Passw0rd"));
  EXPECT_EQ(wrong.type, "NotAuthorizedException");
  EXPECT_EQ(wrong.message, "Incorrect username or password.");
  Error weak = Fails(change(kPassword, "short"));
  EXPECT_EQ(weak.type, "InvalidPasswordException");
  Ok(change(kPassword, "N3w-Passw0rd"));
  store::UserRecord stored = Stored(alice_);
  EXPECT_TRUE(hasher_.Verify(stored.password_hash, "N3w-Passw0rd"));
  EXPECT_FALSE(hasher_.Verify(stored.password_hash, kPassword));
  EXPECT_EQ(stored.password_changed_ms, clock_.NowMs());
  EXPECT_EQ(Fails(change(kPassword, "An0ther-Passw0rd")).type, "NotAuthorizedException");
}

TEST_F(SelfServiceTest, ChangePasswordRefusesTheLastPasswordsOfTheHistory) {
  const std::string pool = NewPool(
      json::parse(R"({"Policies":{"PasswordPolicy":{"PasswordHistorySize":2}}})").as_object());
  const std::string token = Issue(CreateUser(pool, "bob", {}), NewClient(pool));
  auto change = [&](const char* previous, const char* proposed) {
    return service_.ChangePassword(
        {{"AccessToken", token}, {"PreviousPassword", previous}, {"ProposedPassword", proposed}});
  };
  auto refused = [&](const char* previous, const char* proposed) {
    return Fails(change(previous, proposed)).type == "PasswordHistoryPolicyViolationException";
  };
  EXPECT_TRUE(refused(kPassword, kPassword));  // The current password is one of the two.
  // A wrong previous password is reported as such, whatever the proposed one.
  EXPECT_EQ(Fails(change("Wr0ng-pass", kPassword)).type, "NotAuthorizedException");
  Ok(change(kPassword, "Sec0nd-pass"));
  EXPECT_TRUE(refused("Sec0nd-pass", kPassword));
  Ok(change("Sec0nd-pass", "Th1rd-pass"));
  EXPECT_TRUE(refused("Th1rd-pass", "Sec0nd-pass"));
  Ok(change("Th1rd-pass", kPassword));  // Three back: outside a history of two.
}

TEST_F(SelfServiceTest, ChangePasswordWithoutHistoryAllowsReuse) {
  auto change = [&](const char* previous, const char* proposed) {
    return service_.ChangePassword(
        {{"AccessToken", token_}, {"PreviousPassword", previous}, {"ProposedPassword", proposed}});
  };
  Ok(change(kPassword, kPassword));
  Ok(change(kPassword, "N3w-Passw0rd"));
  Ok(change("N3w-Passw0rd", kPassword));
  // Kept all the same, so raising the size later takes effect at once.
  EXPECT_EQ(json::parse(Stored(alice_).password_history_json).as_array().size(), 3u);
}

TEST_F(SelfServiceTest, DeleteUserRemovesTheUserAndItsTokens) {
  Ok(service_.DeleteUser({{"AccessToken", token_}}));
  EXPECT_FALSE(stores_.users->GetUser(pool_id_, "alice")->has_value());
  EXPECT_EQ(Fails(service_.GetUser({{"AccessToken", token_}})).message, "User does not exist.");
}

TEST_F(SelfServiceTest, DisabledUsersAndRevokedSessionsAreRefused) {
  auto claims = tokens_.VerifyAccessToken(token_);
  ASSERT_TRUE(claims.ok());
  ASSERT_TRUE(
      stores_.refresh_tokens->RevokeOrigin(pool_id_, claims->origin_jti, claims->exp * 1000).ok());
  EXPECT_EQ(Fails(service_.GetUser({{"AccessToken", token_}})).message,
            "Access Token has been revoked");
  store::UserRecord user = Stored(alice_);
  user.enabled = false;
  ASSERT_TRUE(stores_.users->UpdateUser(user).ok());
  EXPECT_EQ(Fails(service_.GetUser({{"AccessToken", Issue(alice_)}})).message, "User is disabled.");
}

class SignOutTest : public SelfServiceTest,
                    public ::testing::WithParamInterface<bool /* admin */> {};

TEST_P(SignOutTest, RevokesEveryTokenIssuedBefore) {
  store::RefreshTokenRecord refresh{
      "hash1",  pool_id_, client_id_,     "alice",
      "origin", 0,        clock_.NowMs(), clock_.NowMs() + 3600 * 1000};
  ASSERT_TRUE(stores_.refresh_tokens->PutRefreshToken(refresh).ok());
  std::string other = Issue(alice_);
  clock_.AdvanceMs(1);
  if (GetParam())
    Ok(service_.AdminUserGlobalSignOut({{"UserPoolId", pool_id_}, {"Username", "alice"}}));
  else
    Ok(service_.GlobalSignOut({{"AccessToken", token_}}));
  for (const std::string& token : {token_, other})
    EXPECT_EQ(Fails(service_.GetUser({{"AccessToken", token}})).message,
              "Access Token has been revoked");
  EXPECT_TRUE((*stores_.refresh_tokens->GetRefreshToken("hash1"))->revoked);
  clock_.AdvanceMs(1000);
  Ok(service_.GetUser({{"AccessToken", Issue(alice_)}}));  // signing in again works
}

INSTANTIATE_TEST_SUITE_P(SelfAndAdmin, SignOutTest, ::testing::Bool());

TEST_F(SelfServiceTest, AdminUserGlobalSignOutNeedsAnExistingPoolAndUser) {
  EXPECT_EQ(
      Fails(service_.AdminUserGlobalSignOut({{"UserPoolId", pool_id_}, {"Username", "x"}})).type,
      "UserNotFoundException");
  EXPECT_EQ(Fails(service_.AdminUserGlobalSignOut(
                      {{"UserPoolId", "us-east-1_nothere"}, {"Username", "alice"}}))
                .type,
            "ResourceNotFoundException");
}

TEST_F(SelfServiceTest, ReservedAttributesAreRecognised) {
  EXPECT_EQ(PendingAttributeKey("email"), "cognate:pending:email");
  json::object attributes{{"cognate:pending:email", "x"}, {"email", "y"}};
  DropReservedAttributes(attributes);
  EXPECT_EQ(attributes, (json::object{{"email", "y"}}));
}

TEST_F(SelfServiceTest, ActionsAreRegistered) {
  store::Stores keys = store::sqlite::Open(":memory:");
  api::AccessKeyAuthorizer authorizer(*keys.access_keys, kek_, clock_);
  api::CognitoDispatcher dispatcher(authorizer, clock_);
  api::RegisterSelfServiceActions(dispatcher, service_);
  for (const char* action :
       {"GetUser", "UpdateUserAttributes", "DeleteUserAttributes",
        "GetUserAttributeVerificationCode", "VerifyUserAttribute", "ChangePassword", "DeleteUser",
        "GlobalSignOut", "AdminUserGlobalSignOut"}) {
    EXPECT_TRUE(dispatcher.Has(action)) << action;
  }
}

}  // namespace
}  // namespace cognate::identity
