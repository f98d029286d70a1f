#include "federation/federated_users.h"

#include <gtest/gtest.h>

#include "federation/identities_attribute.h"
#include "federation/testing/federation_fixture.h"
#include "triggers/testing/scripted_invoker.h"

namespace cognate::federation {
namespace {

namespace json = boost::json;
using testing::kRedirectUri;

class FederatedUsersTest : public testing::FederationFixture {
 protected:
  void SetUp() override {
    pool_ = NewPool();
    provider_ = CreateUpstream(pool_);
  }
  json::object Claims(json::object extra = {}) {
    json::object claims{{"sub", "upstream-user-1"},
                        {"email", "upstream.user@example.com"},
                        {"email_verified", true},
                        {"given_name", "Upstream"}};
    for (auto& kv : extra) claims[kv.key()] = kv.value();
    return claims;
  }
  Result<store::UserRecord> SignIn(json::object claims) { return users().SignIn(provider_, claims); }
  FederatedUsers& users() { return federation_.users(); }
  json::object Link(const std::string& native, const std::string& attribute = "Cognito_Subject",
                    const std::string& value = "upstream-user-1") {
    return json::object{{"UserPoolId", pool_},
                        {"DestinationUser", json::object{{"ProviderName", "Cognito"},
                                                         {"ProviderAttributeValue", native}}},
                        {"SourceUser", json::object{{"ProviderName", "Upstream"},
                                                    {"ProviderAttributeName", attribute},
                                                    {"ProviderAttributeValue", value}}}};
  }
  json::object Disable(const std::string& provider, const std::string& attribute,
                       const std::string& value) {
    return json::object{{"UserPoolId", pool_},
                        {"User", json::object{{"ProviderName", provider},
                                              {"ProviderAttributeName", attribute},
                                              {"ProviderAttributeValue", value}}}};
  }

  std::string pool_;
  IdentityProvider provider_;
};

TEST_F(FederatedUsersTest, FirstSignInCreatesTheFederatedUser) {
  auto user = SignIn(Claims());
  ASSERT_TRUE(user.ok()) << user.error().message;
  EXPECT_EQ(user->username, "Upstream_upstream-user-1");
  EXPECT_EQ(user->status, "EXTERNAL_PROVIDER");
  EXPECT_TRUE(user->enabled);
  EXPECT_TRUE(user->password_hash.empty());
  json::object attrs = AttributesOf(*user);
  EXPECT_EQ(attrs["email"], "upstream.user@example.com");
  EXPECT_EQ(attrs["email_verified"], "true");
  EXPECT_EQ(attrs["given_name"], "Upstream");
  auto identities = ParseIdentities(attrs["identities"].as_string());
  ASSERT_TRUE(identities.ok());
  ASSERT_EQ(identities->size(), 1u);
  json::object& id = (*identities)[0].as_object();
  EXPECT_EQ(id["userId"], "upstream-user-1");
  EXPECT_EQ(id["providerName"], "Upstream");
  EXPECT_EQ(id["providerType"], "OIDC");
  EXPECT_TRUE(id["issuer"].is_null());
  EXPECT_EQ(id["primary"], "true");
  EXPECT_EQ(id["dateCreated"], json::value(std::to_string(clock_.NowMs())));
  // No alias keys: a native user may hold the same email.
  auto keys = stores_.users->GetKeys(pool_, user->username_key);
  EXPECT_TRUE(keys.ok() && keys->empty());
}

TEST_F(FederatedUsersTest, PreSignUpSeesTheFirstSignInAndCanRefuseIt) {
  triggers::fakes::ScriptedInvoker triggers;
  directory_.set_triggers(&triggers);
  bool refuse = true;
  triggers.On(triggers::Trigger::kPreSignUp, [&](const triggers::TriggerCall&) {
    if (refuse) return Result<json::object>(Error::Make("UserLambdaValidationException",
                                                        "PreSignUp failed with error no."));
    return Result<json::object>(json::object());
  });
  auto refused = users().SignIn(provider_, Claims(), "client-1");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "UserLambdaValidationException");
  EXPECT_FALSE(stores_.users->GetUser(pool_, "Upstream_upstream-user-1")->has_value());
  refuse = false;
  ASSERT_TRUE(users().SignIn(provider_, Claims(), "client-1").ok());
  ASSERT_TRUE(users().SignIn(provider_, Claims(), "client-1").ok());  // no trigger: not new
  auto calls = triggers.calls(triggers::Trigger::kPreSignUp);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].trigger_source, "PreSignUp_ExternalProvider");
  EXPECT_EQ(calls[1].user_name, "Upstream_upstream-user-1");
  EXPECT_EQ(calls[1].client_id, "client-1");
  EXPECT_EQ(calls[1].request.at("userAttributes").as_object().at("email"),
            "upstream.user@example.com");
}

TEST_F(FederatedUsersTest, LaterSignInsRefreshMappedAttributesOnly) {
  auto first = SignIn(Claims());
  ASSERT_TRUE(first.ok());
  auto same = SignIn(Claims());
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->version, first->version);  // Nothing changed: no write.
  clock_.AdvanceMs(1000);
  auto changed = SignIn(Claims({{"given_name", "Renamed"}, {"family_name", "Unmapped"}}));
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->sub, first->sub);
  json::object attrs = AttributesOf(*GetUser(pool_, first->username_key));
  EXPECT_EQ(attrs["given_name"], "Renamed");
  EXPECT_FALSE(attrs.contains("family_name"));
  EXPECT_TRUE(attrs.contains("identities"));
}

TEST_F(FederatedUsersTest, CompleteRunsTheWholeFlow) {
  auto user = federation_.Complete(pool_, "Upstream", {"good-code", kRedirectUri, "v", "nonce-1"});
  ASSERT_TRUE(user.ok()) << user.error().message;
  EXPECT_EQ(user->username, "Upstream_upstream-user-1");
  auto bad = federation_.Complete(pool_, "Upstream", {"good-code", kRedirectUri, "v", "nonce-2"});
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(federation_.Complete(pool_, "Nope", {"good-code", kRedirectUri, "v", "nonce-1"}).error().type,
            "ResourceNotFoundException");
}

TEST_F(FederatedUsersTest, DisabledUsersCannotSignIn) {
  ASSERT_TRUE(SignIn(Claims()).ok());
  Ok(users().AdminDisableProviderForUser(Disable("Upstream", "Cognito_Subject", "upstream-user-1")));
  auto user = GetUser(pool_, "Upstream_upstream-user-1");
  ASSERT_TRUE(user.has_value());
  EXPECT_FALSE(user->enabled);
  auto refused = SignIn(Claims());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "NotAuthorizedException");
  EXPECT_EQ(refused.error().message, "User is disabled.");
}

TEST_F(FederatedUsersTest, UnusableClaimsAreRefused) {
  EXPECT_EQ(SignIn(Claims({{"sub", ""}})).error().type, "NotAuthorizedException");
  EXPECT_EQ(SignIn(Claims({{"sub", "has space"}})).error().type, "NotAuthorizedException");
  EXPECT_EQ(SignIn(Claims({{"sub", std::string(120, 'x')}})).error().type, "NotAuthorizedException");
  EXPECT_EQ(SignIn(Claims({{"email", "not-an-email"}})).error().type, "InvalidParameterException");
}

TEST_F(FederatedUsersTest, UsernameMappingChoosesTheClaim) {
  Ok(providers().UpdateIdentityProvider({{"UserPoolId", pool_},
                                         {"ProviderName", "Upstream"},
                                         {"AttributeMapping", json::object{{"username", "oid"}}}}));
  provider_ = *providers().Load(pool_, "Upstream");
  auto user = SignIn(Claims({{"oid", "object-7"}}));
  ASSERT_TRUE(user.ok()) << user.error().message;
  EXPECT_EQ(user->username, "Upstream_object-7");
}

TEST_F(FederatedUsersTest, LinkedNativeUserSignsInInstead) {
  store::UserRecord native = AddNativeUser(pool_, "alice");
  Ok(users().AdminLinkProviderForUser(Link("alice")));
  Ok(users().AdminLinkProviderForUser(Link("alice")));  // Same link again: fine.
  json::object attrs = AttributesOf(*GetUser(pool_, "alice"));
  auto identities = ParseIdentities(attrs["identities"].as_string());
  ASSERT_TRUE(identities.ok());
  ASSERT_EQ(identities->size(), 1u);
  EXPECT_EQ((*identities)[0].as_object()["primary"], "false");

  auto user = SignIn(Claims());
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->username, "alice");
  EXPECT_EQ(AttributesOf(*user)["email"], "native@example.com");  // Native attributes kept.
  EXPECT_FALSE(GetUser(pool_, "Upstream_upstream-user-1").has_value());

  // Cut the link: the identity becomes its own federated user.
  Ok(users().AdminDisableProviderForUser(Disable("Upstream", "Cognito_Subject", "upstream-user-1")));
  EXPECT_FALSE(AttributesOf(*GetUser(pool_, "alice")).contains("identities"));
  auto own = SignIn(Claims());
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->username, "Upstream_upstream-user-1");
}

TEST_F(FederatedUsersTest, DisabledLinkedUserCannotSignIn) {
  AddNativeUser(pool_, "alice");
  Ok(users().AdminLinkProviderForUser(Link("alice")));
  store::UserRecord alice = *GetUser(pool_, "alice");
  alice.enabled = false;
  ASSERT_TRUE(stores_.users->UpdateUser(alice).ok());
  EXPECT_EQ(SignIn(Claims()).error().message, "User is disabled.");
}

TEST_F(FederatedUsersTest, ALinkDoesNotOutliveItsUser) {
  AddNativeUser(pool_, "alice");
  Ok(users().AdminLinkProviderForUser(Link("alice")));
  ASSERT_TRUE(stores_.users->DeleteUser(pool_, "alice").ok());
  AddNativeUser(pool_, "alice");  // Same name, new user (new sub in real life)...
  store::UserRecord again = *GetUser(pool_, "alice");
  again.sub = "another-sub";
  ASSERT_TRUE(stores_.users->DeleteUser(pool_, "alice").ok());
  ASSERT_TRUE(stores_.users->CreateUser(again, {}).ok());
  auto user = SignIn(Claims());
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->username, "Upstream_upstream-user-1");
}

TEST_F(FederatedUsersTest, LinkRules) {
  AddNativeUser(pool_, "alice");
  AddNativeUser(pool_, "bob");
  // The destination must exist.
  EXPECT_EQ(Fails(users().AdminLinkProviderForUser(Link("nobody"))).type, "UserNotFoundException");
  // The source provider must exist and not be Cognito.
  json::object request = Link("alice");
  request["SourceUser"].as_object()["ProviderName"] = "Missing";
  EXPECT_EQ(Fails(users().AdminLinkProviderForUser(request)).type, "ResourceNotFoundException");
  request["SourceUser"].as_object()["ProviderName"] = "Cognito";
  EXPECT_EQ(Fails(users().AdminLinkProviderForUser(request)).type, "InvalidParameterException");
  // Attribute links only on mapped attributes.
  EXPECT_EQ(Fails(users().AdminLinkProviderForUser(Link("alice", "phone_number", "+1555"))).type,
            "InvalidParameterException");
  // One identity, one user.
  Ok(users().AdminLinkProviderForUser(Link("alice")));
  EXPECT_EQ(Fails(users().AdminLinkProviderForUser(Link("bob"))).type, "AliasExistsException");
  // An identity that already signed in cannot be merged.
  ASSERT_TRUE(SignIn(Claims({{"sub", "already-here"}})).ok());
  Error merge = Fails(users().AdminLinkProviderForUser(Link("bob", "Cognito_Subject", "already-here")));
  EXPECT_EQ(merge.type, "InvalidParameterException");
  EXPECT_NE(merge.message.find("Merging is not currently supported"), std::string::npos);
  // At most five identities per user.
  for (int i = 2; i <= 5; ++i)
    Ok(users().AdminLinkProviderForUser(Link("alice", "Cognito_Subject", "u" + std::to_string(i))));
  EXPECT_EQ(Fails(users().AdminLinkProviderForUser(Link("alice", "Cognito_Subject", "u6"))).type,
            "LimitExceededException");
}

TEST_F(FederatedUsersTest, OidcLinksOnAMappedAttribute) {
  AddNativeUser(pool_, "carol");
  Ok(users().AdminLinkProviderForUser(Link("carol", "email", "upstream.user@example.com")));
  auto user = SignIn(Claims({{"sub", "whoever"}}));
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->username, "carol");
}

TEST_F(FederatedUsersTest, DisableForCognitoUserRemovesPasswordSignIn) {
  AddNativeUser(pool_, "dave");
  Ok(users().AdminDisableProviderForUser(Disable("Cognito", "Cognito_Subject", "dave")));
  store::UserRecord dave = *GetUser(pool_, "dave");
  EXPECT_TRUE(dave.password_hash.empty());
  EXPECT_TRUE(dave.enabled);
  EXPECT_EQ(Fails(users().AdminDisableProviderForUser(Disable("Cognito", "email", "dave"))).type,
            "InvalidParameterException");
  EXPECT_EQ(Fails(users().AdminDisableProviderForUser(Disable("Upstream", "Cognito_Subject", "ghost"))).type,
            "UserNotFoundException");
}

}  // namespace
}  // namespace cognate::federation
