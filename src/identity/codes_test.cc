#include "identity/codes.h"

#include <gtest/gtest.h>

#include <array>
#include <boost/json/parse.hpp>
#include <set>
#include <string>

namespace cognate::identity {
namespace {

namespace json = boost::json;

TEST(CodesTest, NewCodesAreSixUniformDigits) {
  constexpr int kSamples = 6000;
  std::array<std::array<int, 10>, kCodeLength> counts{};
  std::set<std::string> distinct;
  for (int i = 0; i < kSamples; ++i) {
    std::string code = NewCode();
    ASSERT_EQ(code.size(), 6u);
    for (size_t pos = 0; pos < code.size(); ++pos) {
      ASSERT_TRUE(code[pos] >= '0' && code[pos] <= '9') << code;
      ++counts[pos][code[pos] - '0'];
    }
    distinct.insert(code);
  }
  // Each digit is expected 600 times per position; 450..750 is more than 6 standard deviations.
  for (const auto& position : counts) {
    for (int n : position) {
      EXPECT_GT(n, 450);
      EXPECT_LT(n, 750);
    }
  }
  EXPECT_GT(distinct.size(), 5800u);  // ~18 birthday collisions expected among 10^6 codes.
}

TEST(CodesTest, CodeHashIsHexHmacSha256OfTheJoinedFields) {
  // python3: hmac.new(b"test-key", b"us-east-1_AbCdEf123|alice|signup|012345",
  //                   hashlib.sha256).hexdigest()
  EXPECT_EQ(CodeHash("test-key", "us-east-1_AbCdEf123", "alice", "signup", "012345"),
            "7b23dd90b7d6903e40f233cc668b2a265a2197e1a8929445db3f8384f0c3c1b6");
}

TEST(CodesTest, CodeHashBindsKeyPoolUserAndPurpose) {
  const std::string key = "k1";
  const std::string base = CodeHash(key, "pool_1", "alice", "signup", "123456");
  EXPECT_NE(base, CodeHash("k2", "pool_1", "alice", "signup", "123456"));
  EXPECT_NE(base, CodeHash(key, "pool_2", "alice", "signup", "123456"));
  EXPECT_NE(base, CodeHash(key, "pool_1", "bob", "signup", "123456"));
  EXPECT_NE(base, CodeHash(key, "pool_1", "alice", "reset", "123456"));
  EXPECT_NE(base, CodeHash(key, "pool_1", "alice", "signup", "123457"));
  EXPECT_TRUE(CodeMatches(key, base, "pool_1", "alice", "signup", "123456"));
  EXPECT_FALSE(CodeMatches(key, base, "pool_1", "alice", "signup", "654321"));
  EXPECT_FALSE(CodeMatches(key, base, "pool_1", "alice", "reset", "123456"));
  EXPECT_FALSE(CodeMatches("k2", base, "pool_1", "alice", "signup", "123456"));
  EXPECT_FALSE(CodeMatches(key, "", "pool_1", "alice", "signup", "123456"));
}

TEST(CodesTest, CodeHashKeyComesFromTheKek) {
  const crypto::KeyEncryptionKey a(std::string(32, 'a'));
  const crypto::KeyEncryptionKey b(std::string(32, 'b'));
  EXPECT_EQ(CodeHashKey(a), CodeHashKey(a));
  EXPECT_NE(CodeHashKey(a), CodeHashKey(b));
  EXPECT_GE(CodeHashKey(a).size(), 32u);
}

TEST(CodesTest, LifetimesFollowCognitosQuotas) {
  EXPECT_EQ(kSignUpCodeLifetimeMs, 86'400'000);
  EXPECT_EQ(kAttributeCodeLifetimeMs, 86'400'000);
  EXPECT_EQ(kForgotPasswordCodeLifetimeMs, 3'600'000);
  EXPECT_EQ(CodeLifetimeMs(kCodePurposeSignUp), kSignUpCodeLifetimeMs);
  EXPECT_EQ(CodeLifetimeMs(kCodePurposeReset), kForgotPasswordCodeLifetimeMs);
  EXPECT_EQ(VerifyAttributePurpose("email"), "verify:email");
  EXPECT_EQ(CodeLifetimeMs(VerifyAttributePurpose("phone_number")), kAttributeCodeLifetimeMs);
  EXPECT_EQ(kMaxCodeAttempts, 5);
}

TEST(CodesTest, FiveSendsPerHourThenLimitExceeded) {
  const int64_t t0 = 1'700'000'000'000;
  CodeSendWindow w;
  for (int i = 0; i < 5; ++i) {
    Result<CodeSendWindow> next = RecordCodeSend(w, t0 + i * 60'000);
    ASSERT_TRUE(next.ok()) << "send " << i + 1;
    w = *next;
  }
  EXPECT_EQ(w.window_ms, t0);
  EXPECT_EQ(w.sends_in_window, 5);
  Result<CodeSendWindow> sixth = RecordCodeSend(w, t0 + kCodeSendWindowMs - 1);
  ASSERT_FALSE(sixth.ok());
  EXPECT_EQ(sixth.error().type, "LimitExceededException");
  EXPECT_EQ(sixth.error().message, "Attempt limit exceeded, please try after some time.");

  Result<CodeSendWindow> next_hour = RecordCodeSend(w, t0 + kCodeSendWindowMs);
  ASSERT_TRUE(next_hour.ok());
  EXPECT_EQ(next_hour->window_ms, t0 + kCodeSendWindowMs);
  EXPECT_EQ(next_hour->sends_in_window, 1);

  // A clock that stepped back must not lock the user out for longer than a window.
  Result<CodeSendWindow> backwards = RecordCodeSend(w, t0 - 1000);
  ASSERT_TRUE(backwards.ok());
  EXPECT_EQ(backwards->sends_in_window, 1);
}

TEST(CodesTest, RenderMessageReplacesEveryPlaceholder) {
  EXPECT_EQ(RenderMessage(kDefaultVerificationMessage, "012345", "alice"),
            "Your verification code is 012345. ");
  EXPECT_EQ(RenderMessage(kDefaultInvitationMessage, "Tmp#Pass1word", "alice"),
            "Your username is alice and temporary password is Tmp#Pass1word. ");
  EXPECT_EQ(RenderMessage("{####}{####} {username}/{username}", "1", "u"), "11 u/u");
  EXPECT_EQ(RenderMessage("no placeholders", "1", "u"), "no placeholders");
  EXPECT_EQ(RenderMessage("{###} {#####} {user} {####", "1", "u"), "{###} {#####} {user} {####");
  EXPECT_EQ(RenderMessage("{{####}} {{username}}", "1", "u"), "{1} {u}");
  EXPECT_EQ(RenderMessage("", "1", "u"), "");
  EXPECT_EQ(RenderMessage("héllo {username} ✓", "1", "zoë"), "héllo zoë ✓");
}

TEST(CodesTest, RenderMessageDoesNotExpandInsertedText) {
  EXPECT_EQ(RenderMessage("{username}: {####}", "{username}", "{####}"), "{####}: {username}");
}

TEST(CodesTest, VerificationTemplatesDefaultToCognitosTexts) {
  json::object pool;
  EmailTemplate email = VerificationEmailTemplate(pool);
  EXPECT_EQ(email.subject, "Your verification code");
  EXPECT_EQ(email.body, "Your verification code is {####}. ");
  EXPECT_EQ(VerificationSmsTemplate(pool), "Your verification code is {####}. ");
  // What pool_config.cc writes for a pool created without messages.
  pool["VerificationMessageTemplate"] = {{"DefaultEmailOption", "CONFIRM_WITH_CODE"}};
  EXPECT_EQ(VerificationEmailTemplate(pool).subject, "Your verification code");
  EXPECT_EQ(VerificationSmsTemplate(pool), "Your verification code is {####}. ");
}

TEST(CodesTest, VerificationTemplatesPreferThePoolsTemplateThenLegacyMembers) {
  json::object pool = json::parse(R"({
    "VerificationMessageTemplate": {"EmailMessage": "Code: {####}", "EmailSubject": "",
                                    "SmsMessage": "SMS {####}"},
    "EmailVerificationMessage": "legacy body {####}",
    "EmailVerificationSubject": "legacy subject",
    "SmsVerificationMessage": "legacy sms {####}"})")
                          .as_object();
  EmailTemplate email = VerificationEmailTemplate(pool);
  EXPECT_EQ(email.body, "Code: {####}");
  EXPECT_EQ(email.subject, "legacy subject");  // Empty in the template: the next source wins.
  EXPECT_EQ(VerificationSmsTemplate(pool), "SMS {####}");
  pool.erase("VerificationMessageTemplate");
  EXPECT_EQ(VerificationEmailTemplate(pool).body, "legacy body {####}");
  EXPECT_EQ(VerificationSmsTemplate(pool), "legacy sms {####}");
}

TEST(CodesTest, InvitationTemplatesComeFromAdminCreateUserConfig) {
  json::object pool;
  EXPECT_EQ(InvitationEmailTemplate(pool).subject, "Your temporary password");
  EXPECT_EQ(InvitationEmailTemplate(pool).body,
            "Your username is {username} and temporary password is {####}. ");
  EXPECT_EQ(InvitationSmsTemplate(pool),
            "Your username is {username} and temporary password is {####}. ");
  pool = json::parse(R"({"AdminCreateUserConfig": {"AllowAdminCreateUserOnly": true,
    "InviteMessageTemplate": {"EmailMessage": "Hi {username}, use {####}",
                              "SMSMessage": "{username} {####}"}}})")
             .as_object();
  EXPECT_EQ(InvitationEmailTemplate(pool).subject, "Your temporary password");
  EXPECT_EQ(InvitationEmailTemplate(pool).body, "Hi {username}, use {####}");
  EXPECT_EQ(InvitationSmsTemplate(pool), "{username} {####}");
  // Verification templates never serve invitations and vice versa.
  EXPECT_EQ(VerificationSmsTemplate(pool), "Your verification code is {####}. ");
}

}  // namespace
}  // namespace cognate::identity
