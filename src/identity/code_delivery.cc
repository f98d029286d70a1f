#include "identity/code_delivery.h"

#include <algorithm>
#include <map>
#include <vector>

#include "identity/codes.h"
#include "identity/custom_message.h"
#include "identity/json_fields.h"
#include "identity/user_attributes.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

Error AttemptLimitExceeded() {
  return Error::LimitExceeded("Attempt limit exceeded, please try after some time.");
}
Error CodeMismatch() {
  return Error::Make("CodeMismatchException",
                     "Invalid verification code provided, please try again.");
}
Error ExpiredCode() {
  return Error::Make("ExpiredCodeException", "Invalid code provided, please request a code again.");
}
Error NoRecoveryChannel() {
  return Error::InvalidParameter(
      "Cannot reset password for the user as there is no registered/verified email or "
      "phone_number");
}

bool IsTrue(const json::object& attrs, const std::string& name) {
  return GetString(attrs, name) == "true";
}
bool HasValue(const json::object& attrs, const std::string& name) {
  std::optional<std::string> v = GetString(attrs, name);
  return v && !v->empty();
}
bool IsVerified(const json::object& attrs, const std::string& name) {
  return HasValue(attrs, name) && IsTrue(attrs, name + "_verified");
}

std::vector<std::string> StringsOf(const json::array* a) {
  std::vector<std::string> out;
  if (a)
    for (const json::value& v : *a)
      if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

// The recovery mechanisms in priority order ("verified_email", ...); empty when unset.
std::vector<std::string> RecoveryMechanisms(const json::object& config) {
  std::vector<std::pair<int64_t, std::string>> ranked;
  if (const json::object* setting = GetObject(config, "AccountRecoverySetting"))
    if (const json::array* list = GetArray(*setting, "RecoveryMechanisms"))
      for (const json::value& v : *list)
        if (const json::object* m = v.if_object())
          ranked.emplace_back(GetInt(*m, "Priority").value_or(0),
                              GetString(*m, "Name").value_or(""));
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& r : ranked) out.push_back(std::move(r.second));
  return out;
}

// The message carrying `code` to `value`, all but its text (RenderCustomMessage writes that).
delivery::OutgoingMessage CodeMessage(const PoolContext& pool, const store::UserRecord& user,
                                      const json::object& attributes, std::string_view attribute,
                                      const std::string& value, const std::string& code,
                                      std::string_view purpose) {
  delivery::OutgoingMessage message;
  message.pool_id = pool.id();
  message.username = user.username;
  message.channel = attribute == "email" ? "EMAIL" : "SMS";
  message.destination = value;
  message.purpose = std::string(purpose);
  message.code = code;
  message.user_attributes = StringAttributes(attributes);
  return message;
}

// The pool's verification templates (or Cognito's defaults) for both channels.
MessageTemplates VerificationTemplates(const PoolContext& pool) {
  EmailTemplate email = VerificationEmailTemplate(pool.config);
  return {std::move(email.subject), std::move(email.body), VerificationSmsTemplate(pool.config)};
}

// What the code row holds after `sent` could not be delivered: `previous` with the new send
// window, or a record no code matches when there was none.
store::CodeRecord UnsentCode(const store::CodeRecord* previous, const store::CodeRecord& sent) {
  store::CodeRecord out = previous ? *previous : sent;
  if (!previous) {
    out.code_hash.clear();
    out.expires_ms = sent.created_ms;
  }
  out.window_ms = sent.window_ms;
  out.sends_in_window = sent.sends_in_window;
  return out;
}

// Stores `record` and sends `message`. When delivery fails, nobody received the new code: the
// previous one (if any) stays the valid one, and the attempt still counts against the send
// rate. The delivery error is what the caller needs to see even if that write fails; the unsent
// code then merely stays unknown to anyone.
Status StoreAndSend(store::CodeStore& codes, delivery::MessageSender& sender,
                    const store::CodeRecord& record, const store::CodeRecord* previous,
                    const delivery::OutgoingMessage& message) {
  COGNATE_RETURN_IF_ERROR(codes.PutCode(record));
  Status sent = sender.Send(message);
  if (!sent.ok()) (void)codes.PutCode(UnsentCode(previous, record));
  return sent;
}

}  // namespace

std::map<std::string, std::string> StringAttributes(const json::object& attributes) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : attributes)
    if (const json::string* s = value.if_string()) out.emplace(name, *s);
  return out;
}

std::string MaskEmail(std::string_view email) {
  size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= email.size()) return "***";
  return std::string(1, email[0]) + "***@" + std::string(1, email[at + 1]) + "***";
}

std::string MaskPhone(std::string_view phone) {
  std::string out;
  size_t digits = phone.size() > 0 && phone[0] == '+' ? phone.size() - 1 : phone.size();
  size_t shown = std::min<size_t>(4, digits);
  out += "+";
  out.append(digits - shown, '*');
  out += phone.substr(phone.size() - shown);
  return out;
}

json::object CodeDelivery::Details(std::string_view attribute, std::string_view value) {
  bool email = attribute == "email";
  return json::object{{"Destination", email ? MaskEmail(value) : MaskPhone(value)},
                      {"DeliveryMedium", email ? "EMAIL" : "SMS"},
                      {"AttributeName", attribute}};
}

json::object CodeDelivery::SimulatedDetails(std::string_view name) {
  if (IsE164PhoneNumber(name)) return Details("phone_number", name);
  if (name.find('@') != std::string_view::npos) return Details("email", name);
  // A plain username: an email-shaped destination derived from it.
  return Details("email", std::string(name) + "@example.com");
}

std::optional<std::string> SignUpCodeAttribute(const PoolContext& pool,
                                               const json::object& attributes) {
  std::vector<std::string> auto_verified =
      StringsOf(GetArray(pool.config, "AutoVerifiedAttributes"));
  for (const char* name : {"email", "phone_number"}) {
    if (std::find(auto_verified.begin(), auto_verified.end(), name) != auto_verified.end() &&
        HasValue(attributes, name))
      return std::string(name);
  }
  return std::nullopt;
}

Result<std::string> RecoveryCodeAttribute(const PoolContext& pool, const json::object& attributes) {
  std::vector<std::string> mechanisms = RecoveryMechanisms(pool.config);
  if (mechanisms.empty()) mechanisms = {"verified_phone_number", "verified_email"};  // legacy
  for (const std::string& m : mechanisms) {
    if (m == "admin_only") {
      return Error::NotAuthorized(
          "Cannot reset password for the user as there is no registered/verified email or "
          "phone_number");
    }
    if (m == "verified_email" && IsVerified(attributes, "email")) return std::string("email");
    if (m == "verified_phone_number" && IsVerified(attributes, "phone_number"))
      return std::string("phone_number");
  }
  return NoRecoveryChannel();
}

CodeDelivery::CodeDelivery(UserDirectory& directory, delivery::MessageSender& sender)
    : directory_(directory), sender_(sender) {}

Result<json::object> CodeDelivery::Send(const PoolContext& pool, const store::UserRecord& user,
                                        std::string_view purpose, std::string_view attribute,
                                        std::string_view message_purpose,
                                        std::string_view client_id,
                                        const json::object& client_metadata) const {
  Result<json::object> attrs = UserDirectory::Attributes(user);
  if (!attrs.ok()) return std::move(attrs).error();
  std::string value = GetString(*attrs, attribute).value_or("");
  if (value.empty())
    return Error::InvalidParameter("The user has no " + std::string(attribute) + ".");

  store::CodeStore& codes = *directory_.stores().codes;
  const std::string purpose_s(purpose);
  int64_t now_ms = directory_.clock().NowMs();
  auto previous = codes.GetCode(pool.id(), user.username_key, purpose_s);
  if (!previous.ok()) return std::move(previous).error();
  CodeSendWindow window;
  if (previous->has_value()) window = {(*previous)->window_ms, (*previous)->sends_in_window};
  Result<CodeSendWindow> next = RecordCodeSend(window, now_ms);
  if (!next.ok()) return std::move(next).error();

  // The text comes first: a CustomMessage receiver that fails leaves no code behind and costs
  // no send from the user's allowance.
  std::string code = NewCode();
  delivery::OutgoingMessage message =
      CodeMessage(pool, user, *attrs, attribute, value, code, message_purpose);
  message.client_id = std::string(client_id);
  message.client_metadata = StringAttributes(client_metadata);
  COGNATE_RETURN_IF_ERROR(
      RenderCustomMessage(directory_, pool, user, VerificationTemplates(pool), message));

  store::CodeRecord record{pool.id(),
                           user.username_key,
                           purpose_s,
                           CodeHash(CodeHashKey(directory_.kek()), pool.id(), user.username_key,
                                    purpose, code),
                           now_ms,
                           now_ms + CodeLifetimeMs(purpose),
                           0,
                           next->window_ms,
                           next->sends_in_window};
  COGNATE_RETURN_IF_ERROR(StoreAndSend(codes, sender_, record,
                                       previous->has_value() ? &**previous : nullptr, message));
  return Details(attribute, value);
}

Status CodeDelivery::Verify(const PoolContext& pool, const store::UserRecord& user,
                            std::string_view purpose, std::string_view code) const {
  store::CodeStore& codes = *directory_.stores().codes;
  const std::string purpose_s(purpose);
  int64_t now_ms = directory_.clock().NowMs();
  auto stored = codes.GetCode(pool.id(), user.username_key, purpose_s);
  if (!stored.ok()) return std::move(stored).error();
  if (!stored->has_value() || (*stored)->expires_ms <= now_ms) return ExpiredCode();
  const store::CodeRecord& record = **stored;
  if (record.failed_attempts >= kMaxCodeAttempts) return AttemptLimitExceeded();
  if (!CodeMatches(CodeHashKey(directory_.kek()), record.code_hash, pool.id(), user.username_key,
                   purpose, code)) {
    auto attempts = codes.AddFailedAttempt(pool.id(), user.username_key, purpose_s);
    if (!attempts.ok()) return std::move(attempts).error();
    return CodeMismatch();
  }
  // Consuming is atomic, so of two racing requests with the right code only one succeeds.
  auto consumed =
      codes.ConsumeCode(pool.id(), user.username_key, purpose_s, record.code_hash, now_ms);
  if (!consumed.ok()) return std::move(consumed).error();
  if (!*consumed) return ExpiredCode();
  return OkStatus();
}

}  // namespace cognate::identity
