#include "identity/codes.h"

#include <sodium.h>

#include <optional>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "identity/json_fields.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

constexpr std::string_view kDigits = "0123456789";
constexpr std::string_view kCodePlaceholder = "{####}";
constexpr std::string_view kUsernamePlaceholder = "{username}";

// The string member `key` of `o` unless o is null or the member is absent or empty.
std::optional<std::string> Text(const json::object* o, std::string_view key) {
  if (o == nullptr) return std::nullopt;
  std::optional<std::string> text = GetString(*o, key);
  if (text && text->empty()) return std::nullopt;
  return text;
}

// The pool's template member, else the legacy top-level member, else `fallback`.
std::string Pick(const json::object* tmpl, std::string_view key, const json::object* legacy,
                 std::string_view legacy_key, std::string_view fallback) {
  if (auto text = Text(tmpl, key)) return *text;
  if (auto text = Text(legacy, legacy_key)) return *text;
  return std::string(fallback);
}

const json::object* InviteTemplate(const json::object& pool_config) {
  const json::object* admin = GetObject(pool_config, "AdminCreateUserConfig");
  return admin ? GetObject(*admin, "InviteMessageTemplate") : nullptr;
}

}  // namespace

std::string VerifyAttributePurpose(std::string_view attribute) {
  return "verify:" + std::string(attribute);
}

int64_t CodeLifetimeMs(std::string_view purpose) {
  if (purpose == kCodePurposeReset) return kForgotPasswordCodeLifetimeMs;
  if (purpose == kCodePurposeSignUp) return kSignUpCodeLifetimeMs;
  return kAttributeCodeLifetimeMs;
}

Result<CodeSendWindow> RecordCodeSend(const CodeSendWindow& current, int64_t now_ms,
                                      int64_t max_sends) {
  // A window that ended (or a clock that went backwards) starts a new one.
  if (current.sends_in_window <= 0 || now_ms < current.window_ms ||
      now_ms - current.window_ms >= kCodeSendWindowMs) {
    return CodeSendWindow{now_ms, 1};
  }
  if (current.sends_in_window >= max_sends) {
    return Error::LimitExceeded("Attempt limit exceeded, please try after some time.");
  }
  return CodeSendWindow{current.window_ms, current.sends_in_window + 1};
}

std::string NewCode() { return crypto::RandomString(kCodeLength, kDigits); }

std::string CodeHashKey(const crypto::KeyEncryptionKey& kek) {
  return kek.Derive("one-time-codes");
}

std::string CodeHash(std::string_view key, std::string_view pool_id,
                     std::string_view username_key, std::string_view purpose,
                     std::string_view code) {
  std::string input;
  input.reserve(pool_id.size() + username_key.size() + purpose.size() + code.size() + 3);
  input.append(pool_id).append("|").append(username_key).append("|").append(purpose);
  input.append("|").append(code);
  std::string hash = crypto::HexEncode(crypto::HmacSha256(key, input));
  sodium_memzero(input.data(), input.size());  // It holds the code in clear.
  return hash;
}

bool CodeMatches(std::string_view key, std::string_view stored_hash, std::string_view pool_id,
                 std::string_view username_key, std::string_view purpose, std::string_view code) {
  return crypto::ConstantTimeEquals(stored_hash,
                                    CodeHash(key, pool_id, username_key, purpose, code));
}

std::string RenderMessage(std::string_view tmpl, std::string_view code, std::string_view username) {
  std::string out;
  out.reserve(tmpl.size() + code.size() + username.size());
  size_t i = 0;
  while (i < tmpl.size()) {
    std::string_view rest = tmpl.substr(i);
    if (rest.starts_with(kCodePlaceholder)) {
      out.append(code);
      i += kCodePlaceholder.size();
    } else if (rest.starts_with(kUsernamePlaceholder)) {
      out.append(username);
      i += kUsernamePlaceholder.size();
    } else {
      out.push_back(tmpl[i++]);
    }
  }
  return out;
}

EmailTemplate VerificationEmailTemplate(const json::object& pool_config) {
  const json::object* tmpl = GetObject(pool_config, "VerificationMessageTemplate");
  return {Pick(tmpl, "EmailSubject", &pool_config, "EmailVerificationSubject",
               kDefaultVerificationSubject),
          Pick(tmpl, "EmailMessage", &pool_config, "EmailVerificationMessage",
               kDefaultVerificationMessage)};
}

std::string VerificationSmsTemplate(const json::object& pool_config) {
  const json::object* tmpl = GetObject(pool_config, "VerificationMessageTemplate");
  return Pick(tmpl, "SmsMessage", &pool_config, "SmsVerificationMessage",
              kDefaultVerificationMessage);
}

EmailTemplate InvitationEmailTemplate(const json::object& pool_config) {
  const json::object* tmpl = InviteTemplate(pool_config);
  return {Pick(tmpl, "EmailSubject", nullptr, "", kDefaultInvitationSubject),
          Pick(tmpl, "EmailMessage", nullptr, "", kDefaultInvitationMessage)};
}

std::string InvitationSmsTemplate(const json::object& pool_config) {
  return Pick(InviteTemplate(pool_config), "SMSMessage", nullptr, "", kDefaultInvitationMessage);
}

}  // namespace cognate::identity
