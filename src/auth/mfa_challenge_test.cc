// The second factor through SignInService: SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP,
// SELECT_MFA_TYPE, MFA_SETUP, single-use sessions and the limits on wrong codes.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "auth/testing/sign_in_env.h"
#include "crypto/totp.h"
#include "identity/user_mfa.h"

namespace cognate::auth {
namespace {
namespace json = boost::json;
using testing::TestClient;

constexpr char kTotpSecret[] = "12345678901234567890";

class MfaChallengeTest : public testing::SignInTest {
 protected:
  void SetUp() override {
    pool_ = NewPool({{"MfaConfiguration", "OPTIONAL"}});
    EnablePoolFactors(R"({"SoftwareTokenMfaConfiguration":{"Enabled":true},
                          "SmsMfaConfiguration":{"SmsAuthenticationMessage":"Code {####}"},
                          "EmailMfaConfiguration":{"Subject":"Sign-in","Message":"Use {####}"}})");
    client_ = NewClient(pool_);
    user_ = AddUser(pool_, "alice",
                    {{"email", "alice@example.com"}, {"email_verified", "true"},
                     {"phone_number", "+15551234567"}, {"phone_number_verified", "true"}});
  }

  void EnablePoolFactors(std::string_view members, std::string_view mode = "") {
    auto pool = stores_.pools->GetPool(pool_);
    ASSERT_TRUE(pool.ok() && pool->has_value());
    store::UserPoolRecord record = **pool;
    json::object config = json::parse(record.config_json).as_object();
    json::value added = json::parse(members);
    for (const auto& kv : added.as_object()) config[kv.key()] = kv.value();
    if (!mode.empty()) config["MfaConfiguration"] = mode;
    record.config_json = json::serialize(config);
    ASSERT_TRUE(stores_.pools->UpdatePool(record).ok());
  }

  void SetUserMfa(bool sms, bool totp, bool email, std::string preferred = "") {
    EditUser(pool_, user_.username_key, [&](store::UserRecord& u) {
      identity::UserMfa mfa;
      mfa.sms_enabled = sms;
      mfa.totp_enabled = totp;
      mfa.email_enabled = email;
      mfa.preferred = std::move(preferred);
      mfa.totp_secret_sealed = identity::SealTotpSecret(kek_, u, kTotpSecret);
      u.mfa_json = identity::SerializeUserMfa(mfa);
    });
  }

  std::string Totp(int64_t offset_steps = 0) {
    return crypto::TotpCode(kTotpSecret,
                            crypto::TotpStep(clock_.NowMs() / 1000) + offset_steps);
  }

  Result<json::object> Answer(const json::object& challenge, std::string_view name,
                              json::object responses) {
    responses["USERNAME"] = "alice";
    return service_.RespondToAuthChallenge({{"ClientId", client_.id},
                                            {"ChallengeName", name},
                                            {"Session", challenge.at("Session")},
                                            {"ChallengeResponses", std::move(responses)}});
  }

  json::object Challenge(std::string_view expected) {
    json::object out = Ok(PasswordSignIn(client_, "alice"));
    EXPECT_EQ(Member(out, "ChallengeName"), expected) << json::serialize(out);
    EXPECT_FALSE(out.contains("AuthenticationResult"));
    return out;
  }

  std::string LastCode() {
    auto sent = sender_.sent();
    return sent.empty() ? "" : sent.back().code;
  }

  std::string pool_;
  TestClient client_;
  store::UserRecord user_;
};

TEST_F(MfaChallengeTest, NoFactorMeansTokensInAnOptionalPool) {
  EXPECT_FALSE(TokensOf(PasswordSignIn(client_, "alice")).empty());
}

TEST_F(MfaChallengeTest, SoftwareTokenCodeSignsInOnceAndNeverAgain) {
  SetUserMfa(false, true, false);
  json::object challenge = Challenge("SOFTWARE_TOKEN_MFA");
  EXPECT_TRUE(challenge.at("ChallengeParameters").as_object().empty());
  std::string code = Totp();
  json::object tokens = TokensOf(Answer(challenge, "SOFTWARE_TOKEN_MFA",
                                        {{"SOFTWARE_TOKEN_MFA_CODE", code}}));
  EXPECT_FALSE(tokens.empty());
  // The session is spent, and the code cannot open another one.
  EXPECT_EQ(Fails(Answer(challenge, "SOFTWARE_TOKEN_MFA", {{"SOFTWARE_TOKEN_MFA_CODE", code}}))
                .message,
            "Invalid session for the user, session can only be used once.");
  json::object again = Challenge("SOFTWARE_TOKEN_MFA");
  Error replay = Fails(Answer(again, "SOFTWARE_TOKEN_MFA", {{"SOFTWARE_TOKEN_MFA_CODE", code}}));
  EXPECT_EQ(replay.type, "CodeMismatchException");
  // One step of drift is fine.
  EXPECT_FALSE(TokensOf(Answer(again, "SOFTWARE_TOKEN_MFA",
                               {{"SOFTWARE_TOKEN_MFA_CODE", Totp(1)}})).empty());
}

TEST_F(MfaChallengeTest, WrongCodesAreMismatchesAndThreeEndTheSession) {
  SetUserMfa(false, true, false);
  json::object challenge = Challenge("SOFTWARE_TOKEN_MFA");
  std::string wrong = Totp(5);
  for (int i = 0; i < 3; ++i) {
    Error e = Fails(Answer(challenge, "SOFTWARE_TOKEN_MFA", {{"SOFTWARE_TOKEN_MFA_CODE", wrong}}));
    EXPECT_EQ(e.type, "CodeMismatchException");
    EXPECT_EQ(e.message, "Invalid code received for user");
  }
  // Even the right code no longer works with this session.
  Error dead = Fails(Answer(challenge, "SOFTWARE_TOKEN_MFA", {{"SOFTWARE_TOKEN_MFA_CODE", Totp()}}));
  EXPECT_EQ(dead.type, "NotAuthorizedException");
  EXPECT_EQ(GetUser(pool_, user_.username_key).failed_sign_ins, 3);
}

TEST_F(MfaChallengeTest, WrongCodesCountTowardsLockoutAcrossSessions) {
  SetUserMfa(false, true, false);
  for (int session = 0; session < 2; ++session) {
    json::object challenge = Challenge("SOFTWARE_TOKEN_MFA");
    for (int i = 0; i < 3; ++i) {
      Fails(Answer(challenge, "SOFTWARE_TOKEN_MFA", {{"SOFTWARE_TOKEN_MFA_CODE", Totp(7)}}));
    }
  }
  // Six failures: the right password no longer even reaches the second factor.
  EXPECT_EQ(Fails(PasswordSignIn(client_, "alice")).message, "Password attempts exceeded");
}

TEST_F(MfaChallengeTest, SmsCodeIsSentMaskedAndExpiresWithTheSession) {
  SetUserMfa(true, false, false);
  json::object challenge = Challenge("SMS_MFA");
  const json::object& params = challenge.at("ChallengeParameters").as_object();
  EXPECT_EQ(Member(params, "CODE_DELIVERY_DELIVERY_MEDIUM"), "SMS");
  EXPECT_EQ(Member(params, "CODE_DELIVERY_DESTINATION"), "+*******4567");
  ASSERT_EQ(sender_.calls(), 1u);
  delivery::OutgoingMessage sms = sender_.sent().back();
  EXPECT_EQ(sms.channel, "SMS");
  EXPECT_EQ(sms.destination, "+15551234567");
  EXPECT_EQ(sms.purpose, "mfa");
  EXPECT_EQ(sms.body, "Code " + sms.code);
  EXPECT_EQ(sms.client_id, client_.id);
  clock_.AdvanceMs(4 * 60 * 1000);  // AuthSessionValidity defaults to 3 minutes
  EXPECT_EQ(Fails(Answer(challenge, "SMS_MFA", {{"SMS_MFA_CODE", sms.code}})).message,
            "Invalid session for the user, session is expired.");
}

TEST_F(MfaChallengeTest, SmsWrongThenRightCode) {
  SetUserMfa(true, false, false);
  json::object challenge = Challenge("SMS_MFA");
  std::string code = LastCode();
  std::string wrong = code == "000000" ? "000001" : "000000";
  EXPECT_EQ(Fails(Answer(challenge, "SMS_MFA", {{"SMS_MFA_CODE", wrong}})).type,
            "CodeMismatchException");
  EXPECT_FALSE(TokensOf(Answer(challenge, "SMS_MFA", {{"SMS_MFA_CODE", code}})).empty());
  EXPECT_EQ(GetUser(pool_, user_.username_key).failed_sign_ins, 0);  // cleared by success
}

TEST_F(MfaChallengeTest, EmailOtpGoesToTheEmailWithThePoolTemplate) {
  SetUserMfa(false, false, true);
  json::object challenge = Challenge("EMAIL_OTP");
  EXPECT_EQ(Member(challenge.at("ChallengeParameters").as_object(), "CODE_DELIVERY_DESTINATION"),
            "a***@e***");
  delivery::OutgoingMessage mail = sender_.sent().back();
  EXPECT_EQ(mail.channel, "EMAIL");
  EXPECT_EQ(mail.subject, "Sign-in");
  EXPECT_EQ(mail.body, "Use " + mail.code);
  EXPECT_FALSE(TokensOf(Answer(challenge, "EMAIL_OTP", {{"EMAIL_OTP_CODE", mail.code}})).empty());
}

TEST_F(MfaChallengeTest, CustomMessageTriggerWritesTheSms) {
  SetUserMfa(true, false, false);
  triggers_.On(triggers::Trigger::kCustomMessage,
               [](const triggers::TriggerCall& call) -> Result<json::object> {
                 EXPECT_EQ(call.trigger_source, "CustomMessage_Authentication");
                 return json::object{{"smsMessage", "Your ACME code: {####}"}};
               });
  Challenge("SMS_MFA");
  delivery::OutgoingMessage sms = sender_.sent().back();
  EXPECT_EQ(sms.body, "Your ACME code: " + sms.code);
  triggers_.On(triggers::Trigger::kCustomMessage, [](const triggers::TriggerCall&) {
    return Result<json::object>(
        Error::Make("UserLambdaValidationException", "CustomMessage failed with error no."));
  });
  EXPECT_EQ(Fails(PasswordSignIn(client_, "alice")).type, "UserLambdaValidationException");
  EXPECT_EQ(sender_.calls(), 1u);  // nothing sent for the failed one
}

TEST_F(MfaChallengeTest, FailedSendLeavesNoSession) {
  SetUserMfa(true, false, false);
  sender_.FailAlways(Error::Make("CodeDeliveryFailureException", "Unable to deliver"));
  EXPECT_EQ(Fails(PasswordSignIn(client_, "alice")).type, "CodeDeliveryFailureException");
  auto row = stores_.codes->GetCode(pool_, user_.username_key, "session:x");
  EXPECT_TRUE(row.ok() && !row->has_value());
}

TEST_F(MfaChallengeTest, SeveralFactorsWithoutPreferenceAskToSelect) {
  SetUserMfa(true, true, false);
  json::object select = Challenge("SELECT_MFA_TYPE");
  EXPECT_EQ(Member(select.at("ChallengeParameters").as_object(), "MFAS_CAN_CHOOSE"),
            R"(["SMS_MFA","SOFTWARE_TOKEN_MFA"])");
  EXPECT_EQ(Fails(Answer(select, "SELECT_MFA_TYPE", {{"ANSWER", "EMAIL_OTP"}})).type,
            "InvalidParameterException");
  json::object totp = Ok(Answer(select, "SELECT_MFA_TYPE", {{"ANSWER", "SOFTWARE_TOKEN_MFA"}}));
  EXPECT_EQ(Member(totp, "ChallengeName"), "SOFTWARE_TOKEN_MFA");
  EXPECT_EQ(sender_.calls(), 0u);  // no SMS for a TOTP choice
  EXPECT_FALSE(TokensOf(Answer(totp, "SOFTWARE_TOKEN_MFA",
                               {{"SOFTWARE_TOKEN_MFA_CODE", Totp()}})).empty());
  // The preferred factor skips the choice.
  SetUserMfa(true, true, false, "SMS_MFA");
  Challenge("SMS_MFA");
}

TEST_F(MfaChallengeTest, RequiredMfaUsesThePhoneOrSetsUpATotp) {
  EnablePoolFactors("{}", "ON");
  Challenge("SMS_MFA");  // a phone number is enough for SMS
  EditUser(pool_, user_.username_key, [](store::UserRecord& u) { u.attributes_json = "{}"; });
  json::object setup = Challenge("MFA_SETUP");
  EXPECT_EQ(Member(setup.at("ChallengeParameters").as_object(), "MFAS_CAN_SETUP"),
            R"(["SOFTWARE_TOKEN_MFA"])");
  // Answering before a token is verified is refused.
  EXPECT_EQ(Fails(Answer(setup, "MFA_SETUP", {})).type, "InvalidParameterException");
}

TEST_F(MfaChallengeTest, MfaSetupAssociatesVerifiesAndSignsIn) {
  EnablePoolFactors("{}", "ON");
  EditUser(pool_, user_.username_key, [](store::UserRecord& u) { u.attributes_json = "{}"; });
  json::object setup = Challenge("MFA_SETUP");
  json::object associated =
      Ok(service_.AssociateSoftwareTokenInSession({{"Session", setup.at("Session")}}));
  std::string secret_b32(associated.at("SecretCode").as_string());
  EXPECT_EQ(secret_b32.size(), 32u);
  // The first session is spent by the association.
  EXPECT_FALSE(service_.AssociateSoftwareTokenInSession({{"Session", setup.at("Session")}}).ok());
  std::string secret = *crypto::Base32Decode(secret_b32);
  std::string code = crypto::TotpCode(secret, crypto::TotpStep(clock_.NowMs() / 1000));
  json::object verified = Ok(service_.VerifySoftwareTokenInSession(
      {{"Session", associated.at("Session")}, {"UserCode", code}}));
  EXPECT_EQ(Member(verified, "Status"), "SUCCESS");
  json::object tokens = TokensOf(Answer(verified, "MFA_SETUP", {}));
  EXPECT_FALSE(tokens.empty());
  auto mfa = identity::ParseUserMfa(GetUser(pool_, user_.username_key).mfa_json);
  ASSERT_TRUE(mfa.ok());
  EXPECT_TRUE(mfa->totp_enabled);
  // From now on the user answers SOFTWARE_TOKEN_MFA with that secret (a new code).
  clock_.AdvanceMs(30 * 1000);
  json::object next = Challenge("SOFTWARE_TOKEN_MFA");
  std::string later = crypto::TotpCode(secret, crypto::TotpStep(clock_.NowMs() / 1000));
  EXPECT_FALSE(TokensOf(Answer(next, "SOFTWARE_TOKEN_MFA",
                               {{"SOFTWARE_TOKEN_MFA_CODE", later}})).empty());
}

TEST_F(MfaChallengeTest, SessionsAreBoundToTheirChallengeAndClient) {
  SetUserMfa(false, true, false);
  json::object challenge = Challenge("SOFTWARE_TOKEN_MFA");
  EXPECT_EQ(Fails(Answer(challenge, "SMS_MFA", {{"SMS_MFA_CODE", "123456"}})).message,
            "Invalid session for the user.");
  TestClient other = NewClient(pool_);
  Error e = Fails(service_.RespondToAuthChallenge(
      {{"ClientId", other.id},
       {"ChallengeName", "SOFTWARE_TOKEN_MFA"},
       {"Session", challenge.at("Session")},
       {"ChallengeResponses", {{"USERNAME", "alice"}, {"SOFTWARE_TOKEN_MFA_CODE", Totp()}}}}));
  EXPECT_EQ(e.message, "Invalid session for the user.");
}

}  // namespace
}  // namespace cognate::auth
