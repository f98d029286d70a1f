// The checks of /oauth2/authorize: which failures may go back to the client, and which must not.

#include "oauth/authorize_request.h"

#include "auth/testing/sign_in_env.h"
#include "oauth/web.h"

namespace cognate::oauth {
namespace {

constexpr char kCallback[] = "https://app.example/cb";
constexpr char kChallenge[] = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

class AuthorizeCheckTest : public auth::testing::SignInTest {
 protected:
  void SetUp() override {
    pool_ = NewPool();
    public_ = NewClient(pool_, OAuthClient(false)).id;
    confidential_ = NewClient(pool_, OAuthClient(true)).id;
  }
  static boost::json::object OAuthClient(bool secret) {
    return {{"AllowedOAuthFlowsUserPoolClient", true},
            {"AllowedOAuthFlows", {"code"}},
            {"AllowedOAuthScopes", {"openid", "email", "phone"}},
            {"CallbackURLs", {kCallback}},
            {"GenerateSecret", secret}};
  }
  AuthorizeCheck Check(const std::string& query) {
    auto form = Form::Parse(query);
    EXPECT_TRUE(form.ok());
    return CheckAuthorize(directory_, pool_, *form);
  }
  std::string Base(const std::string& client) {
    return "client_id=" + client + "&response_type=code&redirect_uri=" + UrlEncode(kCallback);
  }
  std::string Pkce() { return std::string("&code_challenge=") + kChallenge +
                              "&code_challenge_method=S256"; }
  static void ExpectPage(const AuthorizeCheck& c, std::string_view text) {
    ASSERT_TRUE(c.failure.has_value());
    EXPECT_FALSE(c.failure->to_client);
    EXPECT_NE(c.failure->error.message.find(text), std::string::npos) << c.failure->error.message;
  }
  static void ExpectToClient(const AuthorizeCheck& c, std::string_view code) {
    ASSERT_TRUE(c.failure.has_value());
    EXPECT_TRUE(c.failure->to_client);
    EXPECT_EQ(c.failure->error.type, code);
  }
  std::string pool_, public_, confidential_;
};

TEST_F(AuthorizeCheckTest, AcceptsAPkceRequestAndGrantsAllowedScopes) {
  AuthorizeCheck c = Check(Base(public_) + Pkce() + "&scope=openid%20email%20profile%20nope" +
                           "&state=s&nonce=n");
  ASSERT_TRUE(c.context.has_value()) << c.failure->error.message;
  EXPECT_EQ(c.context->request.Scope(), "openid email");
  EXPECT_EQ(c.context->request.state, "s");
  EXPECT_EQ(c.context->request.code_challenge, kChallenge);
  // No scope asked: everything the client allows.
  EXPECT_EQ(Check(Base(public_) + Pkce()).context->request.Scope(), "openid email phone");
  // The carried query checks again the same way.
  auto again = Form::Parse(AuthorizeQuery(c.context->request));
  EXPECT_TRUE(CheckAuthorize(directory_, pool_, *again).context.has_value());
}

TEST_F(AuthorizeCheckTest, UntrustedClientOrRedirectNeverGoesBack) {
  ExpectPage(Check("response_type=code"), "client_id");
  ExpectPage(Check(Base("nosuchclient") + Pkce()), "client_id");
  std::string other_pool = NewPool();
  std::string foreign = NewClient(other_pool, OAuthClient(false)).id;
  ExpectPage(Check(Base(foreign) + Pkce()), "client_id");
  for (std::string uri : {"https://app.example/cb/", "https://APP.example/cb",
                          "https://app.example/cb?x=1", "https://evil.example/cb", ""}) {
    ExpectPage(Check("client_id=" + public_ + "&response_type=code&redirect_uri=" +
                     UrlEncode(uri) + Pkce()),
               "redirect_uri");
  }
  std::string plain = NewClient(pool_).id;  // no OAuth
  ExpectPage(Check(Base(plain) + Pkce()), "not enabled");
  ExpectPage(Check(Base(public_) + Pkce() + "&state=" + std::string(3000, 's')), "state");
}

TEST_F(AuthorizeCheckTest, PkceIsS256OnlyAndRequiredForPublicClients) {
  ExpectToClient(Check(Base(public_)), "invalid_request");
  ExpectToClient(Check(Base(public_) + "&code_challenge=" + kChallenge +
                       "&code_challenge_method=plain"),
                 "invalid_request");
  ExpectToClient(Check(Base(public_) + "&code_challenge=" + kChallenge), "invalid_request");
  ExpectToClient(Check(Base(public_) + "&code_challenge=short&code_challenge_method=S256"),
                 "invalid_request");
  EXPECT_TRUE(Check(Base(confidential_)).context.has_value());
  ExpectToClient(Check(Base(confidential_) + "&code_challenge_method=plain&code_challenge=" +
                       kChallenge),
                 "invalid_request");
}

TEST_F(AuthorizeCheckTest, OtherProblemsGoBackToTheClient) {
  ExpectToClient(Check("client_id=" + public_ + "&response_type=token&redirect_uri=" +
                       UrlEncode(kCallback) + Pkce()),
                 "unsupported_response_type");
  ExpectToClient(Check(Base(public_) + Pkce() + "&scope=profile"), "invalid_scope");
  ExpectToClient(Check(Base(public_) + Pkce() + "&scope=email"), "invalid_scope");  // no openid
  ExpectToClient(Check(Base(public_) + Pkce() + "&identity_provider=Google"), "invalid_request");
  EXPECT_TRUE(Check(Base(public_) + Pkce() + "&identity_provider=COGNITO").context.has_value());
  ExpectToClient(Check(Base(public_) + Pkce() + "&nonce=" + std::string(600, 'n')),
                 "invalid_request");
}

}  // namespace
}  // namespace cognate::oauth
