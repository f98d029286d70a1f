// SignInService: challenges answered with a code the server sends (SMS_MFA, EMAIL_OTP as a
// second factor, and SMS_OTP/EMAIL_OTP as the first factor of USER_AUTH). The code lives only
// as the hash of the session's row (session_spend.cc) and expires with the session
// (AuthSessionValidity, cognito-wire.md §10.2); a failed send leaves no row behind.

#include <utility>

#include "auth/sign_in_service.h"
#include "identity/code_delivery.h"
#include "identity/custom_message.h"
#include "identity/codes.h"
#include "identity/json_fields.h"
#include "identity/user_directory.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

// Sign-in codes a user can be sent per window (identity::kCodeSendWindowMs): enough for many
// sign-ins, too few to use Cognate against a phone or mailbox (USER_AUTH needs only a name).
constexpr int64_t kMaxSignInCodesPerWindow = 10;
constexpr std::string_view kSendWindowPurpose = "sign-in-code-sends";

constexpr std::string_view kDefaultAuthMessage = "Your authentication code is {####}. ";
constexpr std::string_view kDefaultAuthSubject = "Your authentication code";

bool IsSms(std::string_view challenge) {
  return challenge == "SMS_MFA" || challenge == "SMS_OTP";
}

// SmsMfaConfiguration.SmsAuthenticationMessage, else SmsAuthenticationMessage, else the default.
std::string SmsTemplate(const json::object& config) {
  if (const json::object* mfa = identity::GetObject(config, "SmsMfaConfiguration")) {
    std::string text = identity::GetString(*mfa, "SmsAuthenticationMessage").value_or("");
    if (!text.empty()) return text;
  }
  std::string text = identity::GetString(config, "SmsAuthenticationMessage").value_or("");
  return text.empty() ? std::string(kDefaultAuthMessage) : text;
}

// EmailMfaConfiguration.{Subject,Message}, each falling back to the default.
std::pair<std::string, std::string> EmailTemplate(const json::object& config) {
  std::string subject, message;
  if (const json::object* mfa = identity::GetObject(config, "EmailMfaConfiguration")) {
    subject = identity::GetString(*mfa, "Subject").value_or("");
    message = identity::GetString(*mfa, "Message").value_or("");
  }
  if (subject.empty()) subject = kDefaultAuthSubject;
  if (message.empty()) message = kDefaultAuthMessage;
  return {subject, message};
}

}  // namespace

// Counts one more sign-in code for the user; LimitExceededException once the window is full.
// Two racing sends may both pass: the limit is approximate by one or two, which is fine here.
Status SignInService::CountSignInCode(const Call& call, const store::UserRecord& user) {
  store::CodeStore& codes = *directory_.stores().codes;
  const std::string purpose(kSendWindowPurpose);
  auto row = codes.GetCode(call.pool.id(), user.username_key, purpose);
  if (!row.ok()) return std::move(row).error();
  identity::CodeSendWindow window;
  if (row->has_value()) window = {(*row)->window_ms, (*row)->sends_in_window};
  const int64_t now_ms = clock_.NowMs();
  auto next = identity::RecordCodeSend(window, now_ms, kMaxSignInCodesPerWindow);
  if (!next.ok()) return std::move(next).error();
  store::CodeRecord record;
  record.pool_id = call.pool.id();
  record.username_key = user.username_key;
  record.purpose = purpose;
  record.code_hash = "-";  // matches no code: the row only counts
  record.created_ms = now_ms;
  record.expires_ms = next->window_ms + identity::kCodeSendWindowMs;
  record.window_ms = next->window_ms;
  record.sends_in_window = next->sends_in_window;
  return codes.PutCode(record);
}

Result<json::object> SignInService::CodeChallenge(const Call& call, const store::UserRecord& user,
                                                  std::string_view name, std::string detail) {
  auto attrs = identity::ParseStoredObject(user.attributes_json);
  if (!attrs.ok()) return std::move(attrs).error();
  const bool sms = IsSms(name);
  const std::string attribute = sms ? "phone_number" : "email";
  std::string destination = identity::GetString(*attrs, attribute).value_or("");
  if (destination.empty()) {
    return Error::Make("MFAMethodNotFoundException",
                       "No " + attribute + " is registered for the user.");
  }
  COGNATE_RETURN_IF_ERROR(CountSignInCode(call, user));
  delivery::OutgoingMessage message;
  message.pool_id = call.pool.id();
  message.username = user.username;
  message.channel = sms ? "SMS" : "EMAIL";
  message.destination = destination;
  message.purpose = name.ends_with("_MFA") ? "mfa" : "otp";
  message.code = identity::NewCode();
  message.client_id = call.client.id();
  message.client_metadata = identity::StringAttributes(TriggerMetadata(call, false));
  // The pool's texts, or what its CustomMessage trigger (CustomMessage_Authentication) makes of
  // them; before the session is stored, so a failing trigger leaves nothing behind.
  auto [subject, body] = EmailTemplate(call.pool.config);
  COGNATE_RETURN_IF_ERROR(identity::RenderCustomMessage(
      directory_, call.pool, user, {subject, body, SmsTemplate(call.pool.config)}, message));
  (*attrs)["sub"] = user.sub;
  message.user_attributes = identity::StringAttributes(*attrs);
  json::object parameters{
      {"CODE_DELIVERY_DELIVERY_MEDIUM", message.channel},
      {"CODE_DELIVERY_DESTINATION",
       sms ? identity::MaskPhone(destination) : identity::MaskEmail(destination)}};
  return SessionChallenge(call, user, name, std::move(parameters), std::move(detail),
                          message.code, &message);
}

}  // namespace cognate::auth
