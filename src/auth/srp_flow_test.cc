// USER_SRP_AUTH end to end through SignInService, with the client's half of SRP computed here
// as amazon-cognito-identity-js does it (cognito-wire.md §4.3).

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <ctime>
#include <string>

#include "auth/access_guard.h"
#include "auth/srp/srp_group.h"
#include "auth/srp/srp_verifier.h"
#include "auth/testing/sign_in_env.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "identity/code_delivery.h"
#include "identity/password_setter.h"
#include "identity/self_service.h"
#include "identity/testing/user_service_fixture.h"
#include "identity/user_service.h"

namespace cognate::auth {
namespace {
namespace json = boost::json;
using srp::BigNum;
using testing::TestClient;

constexpr char kIncorrect[] = "Incorrect username or password.";

BigNum ModExp(const BIGNUM* base, const BIGNUM* e) {
  BigNum out = srp::NewBigNum();
  srp::BnCtx ctx = srp::NewBnCtx();
  EXPECT_EQ(BN_mod_exp(out.get(), base, e, srp::GroupN(), ctx.get()), 1);
  return out;
}

// "EEE MMM d HH:mm:ss UTC yyyy", day unpadded, as the clients format TIMESTAMP.
std::string Timestamp(int64_t now_ms) {
  std::time_t t = now_ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char head[16], tail[32];
  std::strftime(head, sizeof head, "%a %b", &tm);
  std::strftime(tail, sizeof tail, "%H:%M:%S UTC %Y", &tm);
  return std::string(head) + " " + std::to_string(tm.tm_mday) + " " + tail;
}

// The client's half: a random a, A = g^a, and the claim over the server's challenge.
struct SrpClient {
  std::string a_hex = crypto::HexEncode(crypto::RandomBytes(128));
  std::string A() const {
    return srp::ToHex(ModExp(srp::GroupG(), srp::ParseHex(a_hex).get()).get());
  }

  // S = (B - k*g^x)^(a + u*x), K = HKDF(S, u), signature = HMAC(K, pool || user || block || ts).
  std::string Sign(const std::string& pool_id, const json::object& params,
                   const std::string& password, const std::string& timestamp) const {
    auto member = [&](const char* name) { return std::string(params.at(name).as_string()); };
    const std::string pool_name = identity::SrpPoolName(pool_id);
    const std::string user = member("USER_ID_FOR_SRP");
    srp::BnCtx ctx = srp::NewBnCtx();
    BigNum a = srp::ParseHex(a_hex);
    BigNum a_pub = ModExp(srp::GroupG(), a.get());
    BigNum b_pub = srp::ParseHex(member("SRP_B"));
    BigNum u = srp::ComputeU(a_pub.get(), b_pub.get());
    srp::SecretBigNum x = srp::ComputeX(member("SALT"), pool_name, user, password);
    BigNum kgx = srp::NewBigNum(), base = srp::NewBigNum(), e = srp::NewBigNum(),
           s = srp::NewBigNum();
    BN_mod_mul(kgx.get(), srp::GroupK(), ModExp(srp::GroupG(), x.get()).get(), srp::GroupN(),
               ctx.get());
    BN_mod_sub(base.get(), b_pub.get(), kgx.get(), srp::GroupN(), ctx.get());
    BN_mul(e.get(), u.get(), x.get(), ctx.get());
    BN_add(e.get(), e.get(), a.get());
    BN_mod_exp(s.get(), base.get(), e.get(), srp::GroupN(), ctx.get());
    const std::string message =
        pool_name + user + *crypto::Base64Decode(member("SECRET_BLOCK")) + timestamp;
    return crypto::Base64Encode(crypto::HmacSha256(srp::DeriveKey(u.get(), s.get()), message));
  }
};

class SrpFlowTest : public testing::SignInTest {
 protected:
  SrpFlowTest()
      : codes_(directory_, sender_),
        users_(directory_, codes_, sender_, hasher_),
        guard_(directory_, tokens_),
        self_(directory_, guard_, hasher_, codes_) {
    pool_ = NewPool();
    client_ = SrpClientOf(pool_);
  }

  TestClient SrpClientOf(const std::string& pool_id, json::object request = {}) {
    request["ExplicitAuthFlows"] = {"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                                    "ALLOW_REFRESH_TOKEN_AUTH"};
    return NewClient(pool_id, std::move(request));
  }

  // A user with kPassword set through the one password setter (hash and verifier).
  store::UserRecord AddSrpUser(const std::string& username, json::object attrs = {},
                               std::string status = "CONFIRMED") {
    store::UserRecord user = AddUser(pool_, username, std::move(attrs), std::move(status));
    EditUser(pool_, user.username_key, [&](store::UserRecord& u) {
      identity::SetPassword(hasher_, kek_, u, testing::kPassword);
    });
    return GetUser(pool_, user.username_key);
  }

  Result<json::object> Start(const std::string& username, const std::string& srp_a,
                             const TestClient* client = nullptr) {
    return service_.InitiateAuth(
        {{"AuthFlow", "USER_SRP_AUTH"},
         {"ClientId", (client ? *client : client_).id},
         {"AuthParameters", json::object{{"USERNAME", username}, {"SRP_A", srp_a}}}});
  }

  json::object Responses(const SrpClient& srp, const json::object& params,
                         const std::string& password, int64_t signed_at_ms) {
    std::string ts = Timestamp(signed_at_ms);
    return {{"USERNAME", params.at("USER_ID_FOR_SRP")},
            {"PASSWORD_CLAIM_SECRET_BLOCK", params.at("SECRET_BLOCK")},
            {"TIMESTAMP", ts},
            {"PASSWORD_CLAIM_SIGNATURE", srp.Sign(pool_, params, password, ts)}};
  }

  Result<json::object> Answer(const json::object& responses) {
    return service_.RespondToAuthChallenge({{"ClientId", client_.id},
                                            {"ChallengeName", "PASSWORD_VERIFIER"},
                                            {"ChallengeResponses", responses}});
  }

  // The whole exchange; the answer's result.
  Result<json::object> SrpSignIn(const std::string& username,
                                 const std::string& password = testing::kPassword) {
    SrpClient srp;
    json::object challenge = Ok(Start(username, srp.A()));
    if (!challenge.contains("ChallengeParameters")) return Error::Internal("no challenge");
    const json::object& params = challenge.at("ChallengeParameters").as_object();
    return Answer(Responses(srp, params, password, clock_.NowMs()));
  }

  static void ExpectError(const Error& e, const std::string& type, const std::string& message) {
    EXPECT_EQ(e.type, type);
    EXPECT_EQ(e.message, message);
  }

  identity::fakes::CapturingSender sender_;
  identity::CodeDelivery codes_;
  identity::UserService users_;
  AccessGuard guard_;
  identity::SelfService self_;
  std::string pool_;
  TestClient client_;
};

TEST_F(SrpFlowTest, GoodPasswordGetsTokens) {
  AddSrpUser("alice");
  SrpClient srp;
  json::object challenge = Ok(Start("alice", srp.A()));
  EXPECT_EQ(Member(challenge, "ChallengeName"), "PASSWORD_VERIFIER");
  const json::object& params = challenge.at("ChallengeParameters").as_object();
  for (const char* name : {"SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP", "USERNAME"}) {
    ASSERT_TRUE(params.contains(name) && params.at(name).is_string()) << name;
  }
  EXPECT_EQ(Member(params, "SALT").size(), 32u);
  EXPECT_EQ(Member(params, "USER_ID_FOR_SRP"), "alice");
  EXPECT_EQ(Member(params, "USERNAME"), "alice");
  json::object tokens =
      TokensOf(Answer(Responses(srp, params, testing::kPassword, clock_.NowMs())));
  EXPECT_FALSE(Member(tokens, "AccessToken").empty());
  EXPECT_FALSE(Member(tokens, "RefreshToken").empty());
  EXPECT_EQ(Claims(Member(tokens, "IdToken"))["cognito:username"], "alice");
}

TEST_F(SrpFlowTest, SignsInByVerifiedEmailAlias) {
  std::string pool = NewPool({{"PoolName", "alias"}, {"AliasAttributes", json::array{"email"}}});
  pool_ = pool;
  client_ = SrpClientOf(pool);
  AddSrpUser("bob", {{"email", "bob@example.com"}, {"email_verified", "true"}});
  TokensOf(SrpSignIn("bob@example.com"));
}

TEST_F(SrpFlowTest, WrongPasswordFailsAndCountsAFailure) {
  store::UserRecord user = AddSrpUser("alice");
  ExpectError(Fails(SrpSignIn("alice", "Wrong0rd!")), "NotAuthorizedException", kIncorrect);
  EXPECT_EQ(GetUser(pool_, user.username_key).failed_sign_ins, 1);
  TokensOf(SrpSignIn("alice"));
  EXPECT_EQ(GetUser(pool_, user.username_key).failed_sign_ins, 0);
}

TEST_F(SrpFlowTest, LockedOutUserIsRefusedAtTheStart) {
  AddSrpUser("alice");
  for (int i = 0; i < 5; ++i) Fails(SrpSignIn("alice", "Wrong0rd!"));
  SrpClient srp;
  ExpectError(Fails(Start("alice", srp.A())), "NotAuthorizedException",
              "Password attempts exceeded");
}

TEST_F(SrpFlowTest, AnswerWorksOnce) {
  AddSrpUser("alice");
  SrpClient srp;
  json::object challenge = Ok(Start("alice", srp.A()));
  json::object responses = Responses(srp, challenge.at("ChallengeParameters").as_object(),
                                     testing::kPassword, clock_.NowMs());
  TokensOf(Answer(responses));
  ExpectError(Fails(Answer(responses)), "NotAuthorizedException",
              "Invalid session for the user, session can only be used once.");
}

TEST_F(SrpFlowTest, TamperedSecretBlockIsRefused) {
  AddSrpUser("alice");
  SrpClient srp;
  json::object challenge = Ok(Start("alice", srp.A()));
  json::object params = challenge.at("ChallengeParameters").as_object();
  std::string block = Member(params, "SECRET_BLOCK");
  block[10] = block[10] == 'A' ? 'B' : 'A';
  params["SECRET_BLOCK"] = block;
  ExpectError(Fails(Answer(Responses(srp, params, testing::kPassword, clock_.NowMs()))),
              "NotAuthorizedException", "Invalid session for the user.");
}

TEST_F(SrpFlowTest, StaleTimestampOrExpiredBlockIsRefused) {
  AddSrpUser("alice");
  SrpClient srp;
  json::object challenge = Ok(Start("alice", srp.A()));
  const json::object& params = challenge.at("ChallengeParameters").as_object();
  ExpectError(
      Fails(Answer(Responses(srp, params, testing::kPassword, clock_.NowMs() - 10 * 60 * 1000))),
      "NotAuthorizedException", kIncorrect);

  json::object later = Ok(Start("alice", srp.A()));
  clock_.AdvanceMs(4 * 60 * 1000);  // past the default AuthSessionValidity of 3 minutes
  ExpectError(Fails(Answer(Responses(srp, later.at("ChallengeParameters").as_object(),
                                     testing::kPassword, clock_.NowMs()))),
              "NotAuthorizedException", "Invalid session for the user, session is expired.");
}

TEST_F(SrpFlowTest, RejectsAZeroModN) {
  AddSrpUser("alice");
  EXPECT_EQ(Fails(Start("alice", "0")).type, "InvalidParameterException");
  EXPECT_EQ(Fails(Start("alice", std::string(srp::GroupNHex()))).type,
            "InvalidParameterException");
}

TEST_F(SrpFlowTest, ClientMustAllowSrp) {
  AddSrpUser("alice");
  TestClient password_only = NewClient(pool_);
  SrpClient srp;
  ExpectError(Fails(Start("alice", srp.A(), &password_only)), "InvalidParameterException",
              "Auth flow not enabled for this client");
}

TEST_F(SrpFlowTest, UnknownUserWithLegacyErrors) {
  SrpClient srp;
  ExpectError(Fails(Start("nobody", srp.A())), "UserNotFoundException", "User does not exist.");
}

TEST_F(SrpFlowTest, UnknownUserGetsAStableFakeChallenge) {
  client_ = SrpClientOf(pool_, {{"PreventUserExistenceErrors", "ENABLED"}});
  SrpClient srp;
  json::object first = Ok(Start("nobody", srp.A()));
  json::object second = Ok(Start("nobody", srp.A()));
  const json::object& params = first.at("ChallengeParameters").as_object();
  EXPECT_EQ(Member(first, "ChallengeName"), "PASSWORD_VERIFIER");
  EXPECT_EQ(Member(params, "SALT"), Member(second.at("ChallengeParameters").as_object(), "SALT"));
  EXPECT_EQ(Member(params, "USER_ID_FOR_SRP"), "nobody");
  ExpectError(Fails(Answer(Responses(srp, params, testing::kPassword, clock_.NowMs()))),
              "NotAuthorizedException", kIncorrect);
}

TEST_F(SrpFlowTest, TemporaryPasswordAsksForANewOne) {
  AddSrpUser("alice", {}, "FORCE_CHANGE_PASSWORD");
  json::object out = Ok(SrpSignIn("alice"));
  EXPECT_EQ(Member(out, "ChallengeName"), "NEW_PASSWORD_REQUIRED");
  EXPECT_FALSE(Member(out, "Session").empty());
}

TEST_F(SrpFlowTest, UnconfirmedUserIsToldAfterTheClaim) {
  AddSrpUser("alice", {}, "UNCONFIRMED");
  ExpectError(Fails(SrpSignIn("alice")), "UserNotConfirmedException", "User is not confirmed.");
}

TEST_F(SrpFlowTest, PasswordSignInAddsAMissingVerifier) {
  AddUser(pool_, "old");  // a password from before SRP: hash only
  ExpectError(Fails(SrpSignIn("old")), "NotAuthorizedException", kIncorrect);
  TokensOf(PasswordSignIn(client_, "old"));
  TokensOf(SrpSignIn("old"));
}

TEST_F(SrpFlowTest, SignUpAndAdminSetPasswordLeaveVerifiers) {
  Ok(users_.SignUp({{"ClientId", client_.id}, {"Username", "sam"}, {"Password", "SignUp0rd!"}}));
  Ok(users_.AdminConfirmSignUp({{"UserPoolId", pool_}, {"Username", "sam"}}));
  TokensOf(SrpSignIn("sam", "SignUp0rd!"));

  Ok(users_.AdminCreateUser({{"UserPoolId", pool_}, {"Username", "ann"},
                             {"MessageAction", "SUPPRESS"},
                             {"TemporaryPassword", "Temp0rary!"}}));
  EXPECT_EQ(Member(Ok(SrpSignIn("ann", "Temp0rary!")), "ChallengeName"), "NEW_PASSWORD_REQUIRED");
  Ok(users_.AdminSetUserPassword({{"UserPoolId", pool_},
                                  {"Username", "ann"},
                                  {"Password", "Admin0rd!"},
                                  {"Permanent", true}}));
  TokensOf(SrpSignIn("ann", "Admin0rd!"));
  ExpectError(Fails(SrpSignIn("ann", "Temp0rary!")), "NotAuthorizedException", kIncorrect);
}

TEST_F(SrpFlowTest, ChangeAndResetPasswordLeaveVerifiers) {
  AddSrpUser("alice", {{"email", "alice@example.com"}, {"email_verified", "true"}});
  json::object tokens = TokensOf(SrpSignIn("alice"));
  Ok(self_.ChangePassword({{"AccessToken", Member(tokens, "AccessToken")},
                           {"PreviousPassword", testing::kPassword},
                           {"ProposedPassword", "Changed0rd!"}}));
  TokensOf(SrpSignIn("alice", "Changed0rd!"));

  Ok(users_.ForgotPassword({{"ClientId", client_.id}, {"Username", "alice"}}));
  Ok(users_.ConfirmForgotPassword({{"ClientId", client_.id},
                                   {"Username", "alice"},
                                   {"ConfirmationCode", sender_.last().code},
                                   {"Password", "Reset0rd!"}}));
  TokensOf(SrpSignIn("alice", "Reset0rd!"));
  ExpectError(Fails(SrpSignIn("alice", "Changed0rd!")), "NotAuthorizedException", kIncorrect);
}

TEST_F(SrpFlowTest, NewPasswordAnswerLeavesAVerifier) {
  AddSrpUser("alice", {}, "FORCE_CHANGE_PASSWORD");
  json::object challenge = Ok(SrpSignIn("alice"));
  TokensOf(service_.RespondToAuthChallenge(
      {{"ClientId", client_.id},
       {"ChallengeName", "NEW_PASSWORD_REQUIRED"},
       {"Session", challenge.at("Session")},
       {"ChallengeResponses", json::object{{"USERNAME", "alice"}, {"NEW_PASSWORD", "New0rd!!"}}}}));
  TokensOf(SrpSignIn("alice", "New0rd!!"));
}

}  // namespace
}  // namespace cognate::auth
