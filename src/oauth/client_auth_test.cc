#include "oauth/client_auth.h"

#include <gtest/gtest.h>

#include <string>

#include "crypto/encoding.h"
#include "identity/testing/oauth_config_fixture.h"

namespace cognate::oauth {
namespace {

namespace json = boost::json;

// A secret with a '+', which client_secret_basic must form-encode as %2B.
constexpr char kSecret[] = "abc+def123";

class ClientAuthTest : public identity::fakes::OAuthConfigFixture {
 protected:
  void SetUp() override {
    pool_ = NewPool();
    auto confidential = CreateClient(pool_, R"({"ClientSecret":"abc+def123"})");
    ASSERT_TRUE(confidential.ok()) << confidential.error().message;
    confidential_ = std::string(confidential->at("ClientId").as_string());
    auto public_client = CreateClient(pool_, "{}");
    ASSERT_TRUE(public_client.ok());
    public_ = std::string(public_client->at("ClientId").as_string());
  }

  static Form ParseForm(const std::string& body) {
    auto form = Form::Parse(body);
    EXPECT_TRUE(form.ok()) << body;
    return form.ok() ? *form : Form();
  }
  static std::string Basic(const std::string& id, const std::string& secret) {
    return "Basic " + crypto::Base64Encode(id + ":" + secret);
  }
  Result<identity::ClientContext> Auth(const std::string& body, const std::string& header = "",
                                       const std::string& pool = "") {
    return AuthenticateClient(directory_, ParseForm(body), header, pool);
  }
  void ExpectError(const Result<identity::ClientContext>& r, const std::string& code, int status) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().type, code);
    EXPECT_EQ(r.error().http_status, status);
    EXPECT_EQ(r.error().message.find(kSecret), std::string::npos);
  }

  std::string pool_, confidential_, public_;
};

TEST_F(ClientAuthTest, SecretBasic) {
  auto client = Auth("grant_type=client_credentials", Basic(confidential_, "abc%2Bdef123"));
  ASSERT_TRUE(client.ok()) << client.error().message;
  EXPECT_EQ(client->id(), confidential_);
  EXPECT_EQ(client->secret, kSecret);
  // The scheme is case-insensitive; a repeated, matching client_id in the form is fine.
  EXPECT_TRUE(Auth("client_id=" + confidential_,
                   "basic " + crypto::Base64Encode(confidential_ + ":abc%2Bdef123"))
                  .ok());
  // An unencoded '+' is a space in form encoding, so it is the wrong secret.
  ExpectError(Auth("", Basic(confidential_, kSecret)), "invalid_client", 401);
}

TEST_F(ClientAuthTest, SecretPost) {
  auto client = Auth("client_id=" + confidential_ + "&client_secret=abc%2Bdef123");
  ASSERT_TRUE(client.ok()) << client.error().message;
  EXPECT_EQ(client->id(), confidential_);
}

TEST_F(ClientAuthTest, PublicClientSendsOnlyItsId) {
  auto client = Auth("client_id=" + public_);
  ASSERT_TRUE(client.ok());
  EXPECT_TRUE(client->secret.empty());
  EXPECT_TRUE(Auth("", Basic(public_, "")).ok());
  ExpectError(Auth("client_id=" + public_ + "&client_secret=guess"), "invalid_client", 401);
}

TEST_F(ClientAuthTest, WrongOrMissingSecret) {
  ExpectError(Auth("client_id=" + confidential_ + "&client_secret=abc%2Bdef124"), "invalid_client",
              401);
  ExpectError(Auth("client_id=" + confidential_ + "&client_secret=abc"), "invalid_client", 401);
  ExpectError(Auth("client_id=" + confidential_), "invalid_client", 401);
  ExpectError(Auth("", Basic(confidential_, "wrong")), "invalid_client", 401);
  ExpectError(Auth("", Basic(confidential_, "")), "invalid_client", 401);
}

TEST_F(ClientAuthTest, UnknownClientOrOtherPool) {
  ExpectError(Auth("client_id=nosuchclient0000000000000000&client_secret=x"), "invalid_client",
              401);
  ExpectError(Auth("", Basic("nosuchclient", "x")), "invalid_client", 401);
  ExpectError(Auth("client_id=bad%20id"), "invalid_client", 401);
  ExpectError(Auth("client_id=" + std::string(200, 'a')), "invalid_client", 401);
  ExpectError(Auth("client_id=" + public_, "", "eu-west-1_Other0000"), "invalid_client", 401);
  EXPECT_TRUE(Auth("client_id=" + public_, "", pool_).ok());
}

TEST_F(ClientAuthTest, BothMethodsOrNoneAreInvalidRequests) {
  ExpectError(Auth("client_secret=abc%2Bdef123", Basic(confidential_, "abc%2Bdef123")),
              "invalid_request", 400);
  ExpectError(Auth("client_id=" + public_, Basic(confidential_, "abc%2Bdef123")), "invalid_request",
              400);
  ExpectError(Auth("grant_type=client_credentials"), "invalid_request", 400);
  ExpectError(Auth("client_secret=abc%2Bdef123"), "invalid_request", 400);
}

TEST_F(ClientAuthTest, MalformedAuthorizationHeaders) {
  for (const std::string& header :
       {std::string("Bearer abc"), std::string("Basic"), std::string("Basic !!!"),
        "Basic " + crypto::Base64Encode("no-colon"), "Basic " + crypto::Base64Encode(":secret"),
        "Basic " + crypto::Base64Encode(confidential_ + ":%zz"),
        "Basic " + std::string(5000, 'A')}) {
    ExpectError(Auth("", header), "invalid_client", 401);
  }
}

}  // namespace
}  // namespace cognate::oauth
