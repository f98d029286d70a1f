#include "delivery/webhook_event.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

namespace cognate::delivery {
namespace json = boost::json;
namespace {

constexpr std::string_view kAwsSdkVersion = "aws-sdk-unknown-unknown";
constexpr std::string_view kNoClient = "CLIENT_ID_NOT_APPLICABLE";

json::object StringMap(const std::map<std::string, std::string>& values) {
  json::object out;
  for (const auto& [name, value] : values) out[name] = value;
  return out;
}

}  // namespace

std::string_view TriggerSuffix(std::string_view purpose) {
  static constexpr std::pair<std::string_view, std::string_view> kSuffixes[] = {
      {"signup", "SignUp"},
      {"resend", "ResendCode"},
      {"forgot-password", "ForgotPassword"},
      {"admin-reset", "ForgotPassword"},  // AdminResetUserPassword sends a reset code.
      {"verify-attribute", "VerifyUserAttribute"},
      {"update-attribute", "UpdateUserAttribute"},
      {"invitation", "AdminCreateUser"},
      {"mfa", "Authentication"},
      {"otp", "Authentication"},
  };
  for (const auto& [p, suffix] : kSuffixes)
    if (p == purpose) return suffix;
  return {};
}

Result<std::string> TriggerSource(const OutgoingMessage& message) {
  std::string_view prefix;
  if (message.channel == "SMS") {
    prefix = "CustomSMSSender_";
  } else if (message.channel == "EMAIL") {
    prefix = "CustomEmailSender_";
  } else {
    return Undeliverable("Webhook: unknown channel '" + message.channel.substr(0, 16) + "'");
  }
  std::string_view suffix = TriggerSuffix(message.purpose);
  if (suffix.empty())
    return Undeliverable("Webhook: unknown purpose '" + message.purpose.substr(0, 32) + "'");
  return std::string(prefix) + std::string(suffix);
}

Result<std::string> SenderEventJson(const OutgoingMessage& message, std::string_view region) {
  Result<std::string> trigger = TriggerSource(message);
  if (!trigger.ok()) return std::move(trigger).error();
  const bool sms = message.channel == "SMS";
  json::object attributes = StringMap(message.user_attributes);
  // A custom sender reads the address from here, so it is the one this message goes to (for
  // an attribute update that is the new, not yet verified value).
  attributes[sms ? "phone_number" : "email"] = message.destination;
  json::object request{{"type", sms ? "customSMSSenderRequestV1" : "customEmailSenderRequestV1"},
                       {"code", message.code},
                       {"clientMetadata", StringMap(message.client_metadata)},
                       {"userAttributes", std::move(attributes)}};
  json::object event{
      {"version", "1"},
      {"triggerSource", *trigger},
      {"region", region},
      {"userPoolId", message.pool_id},
      {"userName", message.username},
      {"callerContext",
       {{"awsSdkVersion", kAwsSdkVersion},
        {"clientId", message.client_id.empty() ? std::string(kNoClient) : message.client_id}}},
      {"request", std::move(request)},
      {"response", json::object()}};
  return json::serialize(event);
}

}  // namespace cognate::delivery
