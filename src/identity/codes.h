#pragma once
// One-time codes sent by email or SMS (sign-up confirmation, password reset, attribute
// verification, invitations), their lifetimes and limits, and the messages that carry them.
//
// Codes are 6 decimal digits drawn uniformly. Only CodeHash() of a code is stored
// (store::CodeRecord); the hash binds the code to its pool, user and purpose, so a code can never
// be replayed for another user or another purpose. Lifetimes and limits follow Cognito's
// non-adjustable quotas (cognito-wire.md §10.2).
//
// Messages: a pool's own template when it has one (an empty string counts as none), else the
// text Cognito sends by default. RenderMessage() substitutes the placeholders in a single pass,
// so a code or username that itself contains "{####}" or "{username}" is inserted verbatim.
// Email verification by link (DefaultEmailOption CONFIRM_WITH_LINK, {##Verify Email##}) is not
// handled here: links need the pool's domain.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/kek.h"

namespace cognate::identity {

inline constexpr size_t kCodeLength = 6;

// Purposes as stored in CodeRecord.purpose (see VerifyAttributePurpose for attributes).
inline constexpr std::string_view kCodePurposeSignUp = "signup";
inline constexpr std::string_view kCodePurposeReset = "reset";
// "verify:email", "verify:phone_number".
std::string VerifyAttributePurpose(std::string_view attribute);

inline constexpr int64_t kHourMs = 60 * 60 * 1000;
inline constexpr int64_t kSignUpCodeLifetimeMs = 24 * kHourMs;
inline constexpr int64_t kAttributeCodeLifetimeMs = 24 * kHourMs;
inline constexpr int64_t kForgotPasswordCodeLifetimeMs = 1 * kHourMs;
// Lifetime of a code for `purpose`: reset 1 h, sign-up and attribute verification 24 h.
int64_t CodeLifetimeMs(std::string_view purpose);

// After this many wrong answers a code is dead: even the right one is refused until a new code
// is sent.
inline constexpr int64_t kMaxCodeAttempts = 5;

// Send rate per user and purpose: at most kMaxCodeSendsPerWindow codes in a fixed window of
// kCodeSendWindowMs that starts with the first send.
inline constexpr int64_t kMaxCodeSendsPerWindow = 5;
inline constexpr int64_t kCodeSendWindowMs = kHourMs;

// Mirrors CodeRecord's window_ms / sends_in_window.
struct CodeSendWindow {
  int64_t window_ms = 0;
  int64_t sends_in_window = 0;
};

// The window after one more send at now_ms, or LimitExceededException ("Attempt limit exceeded,
// please try after some time.") when the current window already holds `max_sends`.
Result<CodeSendWindow> RecordCodeSend(const CodeSendWindow& current, int64_t now_ms,
                                      int64_t max_sends = kMaxCodeSendsPerWindow);

// A fresh code: kCodeLength digits from the CSPRNG, leading zeros allowed.
std::string NewCode();

// The key of CodeHash, derived from the key-encryption key: without it, a stored hash of a
// 6-digit code cannot be reversed by trying the 10^6 codes.
std::string CodeHashKey(const crypto::KeyEncryptionKey& kek);

// Hex HMAC-SHA256 under `key` (CodeHashKey) of "<pool_id>|<username_key>|<purpose>|<code>".
std::string CodeHash(std::string_view key, std::string_view pool_id,
                     std::string_view username_key, std::string_view purpose,
                     std::string_view code);

// True when `code` hashes to `stored_hash`; compared in constant time.
bool CodeMatches(std::string_view key, std::string_view stored_hash, std::string_view pool_id,
                 std::string_view username_key, std::string_view purpose, std::string_view code);

// `tmpl` with every "{####}" replaced by `code` and every "{username}" by `username`.
std::string RenderMessage(std::string_view tmpl, std::string_view code, std::string_view username);

// Cognito's default texts (the trailing space is Cognito's).
inline constexpr std::string_view kDefaultVerificationSubject = "Your verification code";
inline constexpr std::string_view kDefaultVerificationMessage =
    "Your verification code is {####}. ";
inline constexpr std::string_view kDefaultInvitationSubject = "Your temporary password";
inline constexpr std::string_view kDefaultInvitationMessage =
    "Your username is {username} and temporary password is {####}. ";

struct EmailTemplate {
  std::string subject;
  std::string body;
};

// VerificationMessageTemplate.{EmailSubject,EmailMessage}, else the legacy
// EmailVerificationSubject/EmailVerificationMessage, else the defaults (each member on its own).
EmailTemplate VerificationEmailTemplate(const boost::json::object& pool_config);
// VerificationMessageTemplate.SmsMessage, else SmsVerificationMessage, else the default.
std::string VerificationSmsTemplate(const boost::json::object& pool_config);
// AdminCreateUserConfig.InviteMessageTemplate.{EmailSubject,EmailMessage}, else the defaults.
EmailTemplate InvitationEmailTemplate(const boost::json::object& pool_config);
// AdminCreateUserConfig.InviteMessageTemplate.SMSMessage, else the default invitation text.
std::string InvitationSmsTemplate(const boost::json::object& pool_config);

}  // namespace cognate::identity
