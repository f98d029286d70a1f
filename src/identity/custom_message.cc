#include "identity/custom_message.h"

#include <boost/json/string.hpp>
#include <optional>
#include <string>
#include <utility>

#include "delivery/webhook_event.h"
#include "identity/codes.h"
#include "identity/trigger_events.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

using triggers::Trigger;
using triggers::TriggerInvalidResponse;

constexpr std::string_view kAdminCreateUserSource = "CustomMessage_AdminCreateUser";

// Code points of UTF-8 text (continuation bytes not counted).
size_t CodePoints(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool HasControlCharacter(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7F) return true;
  return false;
}

// The answer's `member`: nullopt when absent or null; an error when it is not a string.
Result<std::optional<std::string>> Member(const json::object& response, std::string_view member) {
  auto it = response.find(member);
  if (it == response.end() || it->value().is_null()) return std::optional<std::string>();
  if (!it->value().is_string())
    return TriggerInvalidResponse(std::string(member) + " must be a string or null.");
  return std::optional<std::string>(std::string(it->value().get_string()));
}

// A replacement message body: within `max` characters and carrying the placeholders the user
// needs (the code; for an invitation also the username).
Status CheckBody(std::string_view member, const std::string& text, size_t max,
                 bool needs_username) {
  if (CodePoints(text) > max) {
    return TriggerInvalidResponse(std::string(member) + " is longer than " + std::to_string(max) +
                                  " characters.");
  }
  if (text.find(kCodeParameter) == std::string::npos)
    return TriggerInvalidResponse(std::string(member) + " must contain the codeParameter {####}.");
  if (needs_username && text.find(kUsernameParameter) == std::string::npos) {
    return TriggerInvalidResponse(std::string(member) +
                                  " must contain the usernameParameter {username}.");
  }
  return OkStatus();
}

Status CheckSubject(const std::string& text) {
  if (text.empty() || CodePoints(text) > kMaxCustomEmailSubject || HasControlCharacter(text)) {
    return TriggerInvalidResponse(
        "emailSubject must be 1 to 140 characters without control characters.");
  }
  return OkStatus();
}

// Applies a checked answer to `templates`.
Status ApplyAnswer(const json::object& response, bool invitation, MessageTemplates& templates) {
  auto sms = Member(response, "smsMessage");
  if (!sms.ok()) return std::move(sms).error();
  auto email = Member(response, "emailMessage");
  if (!email.ok()) return std::move(email).error();
  auto subject = Member(response, "emailSubject");
  if (!subject.ok()) return std::move(subject).error();
  if (*sms)
    COGNATE_RETURN_IF_ERROR(CheckBody("smsMessage", **sms, kMaxCustomSmsMessage, invitation));
  if (*email) {
    COGNATE_RETURN_IF_ERROR(CheckBody("emailMessage", **email, kMaxCustomEmailMessage, invitation));
  }
  if (*subject) COGNATE_RETURN_IF_ERROR(CheckSubject(**subject));
  if (*sms) templates.sms_message = std::move(**sms);
  if (*email) templates.email_message = std::move(**email);
  if (*subject) templates.email_subject = std::move(**subject);
  return OkStatus();
}

json::object EventRequest(const json::object& user_attributes, const json::object& metadata,
                          bool invitation) {
  json::object request{{"userAttributes", user_attributes},
                       {"codeParameter", kCodeParameter},
                       {"linkParameter", kLinkParameter},
                       {"usernameParameter", nullptr}};
  if (invitation) request["usernameParameter"] = kUsernameParameter;
  AddClientMetadata(request, metadata);
  return request;
}

}  // namespace

std::string CustomMessageSource(std::string_view purpose) {
  std::string_view suffix = delivery::TriggerSuffix(purpose);
  return suffix.empty() ? std::string() : "CustomMessage_" + std::string(suffix);
}

Result<MessageTemplates> CustomizeMessages(const UserDirectory& directory, const PoolContext& pool,
                                           const MessageContext& context,
                                           MessageTemplates templates) {
  triggers::TriggerInvoker& invoker = directory.triggers();
  if (!invoker.Configured(pool.config, Trigger::kCustomMessage)) return templates;
  std::string source = CustomMessageSource(context.purpose);
  if (source.empty()) return Error::Internal("No CustomMessage trigger source for this message.");
  auto attributes = TriggerUserAttributes(context.user);
  if (!attributes.ok()) return std::move(attributes).error();
  const bool invitation = source == kAdminCreateUserSource;
  triggers::TriggerCall call{std::move(source), context.user.username,
                             std::string(context.client_id),
                             EventRequest(*attributes, context.client_metadata, invitation)};
  auto response = invoker.Invoke(pool.id(), pool.config, Trigger::kCustomMessage, call);
  if (!response.ok()) return std::move(response).error();
  COGNATE_RETURN_IF_ERROR(ApplyAnswer(*response, invitation, templates));
  return templates;
}

void RenderTemplates(const MessageTemplates& texts, delivery::OutgoingMessage& message) {
  if (message.channel == "EMAIL") {
    message.subject = texts.email_subject;
    message.body = RenderMessage(texts.email_message, message.code, message.username);
  } else {
    message.subject.clear();
    message.body = RenderMessage(texts.sms_message, message.code, message.username);
  }
}

Status RenderCustomMessage(const UserDirectory& directory, const PoolContext& pool,
                           const store::UserRecord& user, const MessageTemplates& templates,
                           delivery::OutgoingMessage& message) {
  json::object metadata;
  for (const auto& [key, value] : message.client_metadata) metadata[key] = value;
  auto texts = CustomizeMessages(directory, pool,
                                 {user, message.purpose, message.client_id, metadata}, templates);
  if (!texts.ok()) return std::move(texts).error();
  RenderTemplates(*texts, message);
  return OkStatus();
}

}  // namespace cognate::identity
