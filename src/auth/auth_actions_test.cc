// RegisterAuthActions: the sign-in actions reachable through the Cognito protocol edge.

#include "api/cognito/auth_actions.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/cognito/access_keys.h"
#include "auth/testing/sign_in_env.h"

namespace cognate::auth {
namespace {

namespace json = boost::json;

class AuthActionsTest : public testing::SignInTest {
 protected:
  AuthActionsTest()
      : authorizer_(*stores_.access_keys, kek_, clock_), dispatcher_(authorizer_, clock_) {
    api::RegisterAuthActions(dispatcher_, service_);
  }

  http::Response Post(const std::string& action, const json::object& body) {
    http::Request r;
    r.method = "POST";
    r.target = "/";
    r.headers = {{"Host", "127.0.0.1:9330"},
                 {"Content-Type", "application/x-amz-json-1.1"},
                 {"X-Amz-Target", "AWSCognitoIdentityProviderService." + action}};
    r.body = json::serialize(body);
    return dispatcher_.Handle(r);
  }

  api::AccessKeyAuthorizer authorizer_;
  api::CognitoDispatcher dispatcher_;
};

TEST_F(AuthActionsTest, RegistersEverySignInAction) {
  for (const char* action :
       {"InitiateAuth", "AdminInitiateAuth", "RespondToAuthChallenge",
        "AdminRespondToAuthChallenge", "GetTokensFromRefreshToken", "RevokeToken"}) {
    EXPECT_TRUE(dispatcher_.Has(action)) << action;
  }
}

TEST_F(AuthActionsTest, PublicFlowsOverTheWire) {
  std::string pool = NewPool();
  testing::TestClient client = NewClient(pool);
  AddUser(pool, "alice");
  http::Response signed_in = Post("InitiateAuth", {{"ClientId", client.id},
                                                   {"AuthFlow", "USER_PASSWORD_AUTH"},
                                                   {"AuthParameters", PasswordParams("alice")}});
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  json::object out = json::parse(signed_in.body).as_object();
  std::string refresh(out.at("AuthenticationResult").at("RefreshToken").as_string());
  http::Response refreshed =
      Post("GetTokensFromRefreshToken", {{"ClientId", client.id}, {"RefreshToken", refresh}});
  EXPECT_EQ(refreshed.status, 200) << refreshed.body;
  http::Response revoked = Post("RevokeToken", {{"ClientId", client.id}, {"Token", refresh}});
  EXPECT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(json::parse(revoked.body), json::object());

  http::Response wrong =
      Post("InitiateAuth", {{"ClientId", client.id},
                            {"AuthFlow", "USER_PASSWORD_AUTH"},
                            {"AuthParameters", PasswordParams("alice", "Nope1!xx")}});
  EXPECT_EQ(wrong.status, 400);
  json::object error = json::parse(wrong.body).as_object();
  EXPECT_EQ(error.at("__type"), "NotAuthorizedException");
  EXPECT_EQ(error.at("message"), "Incorrect username or password.");
}

TEST_F(AuthActionsTest, AdminFlowsNeedSignatures) {
  http::Response r = Post("AdminInitiateAuth", {{"UserPoolId", "eu-west-1_abcdefghi"},
                                                {"ClientId", "abc"},
                                                {"AuthFlow", "ADMIN_USER_PASSWORD_AUTH"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body).at("__type"), "MissingAuthenticationTokenException");
}

}  // namespace
}  // namespace cognate::auth
