#include "triggers/trigger_event.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace cognate::triggers {
namespace json = boost::json;
namespace {

constexpr size_t kMaxMessageBytes = 1024;

// Lambda's error payload ({"errorType": ..., "errorMessage": ..., "trace": [...]}): the text to
// put in the error, or "" when `answer` is not one. An answer that carries a `response` is
// an event, whatever else it holds.
std::string ErrorPayloadMessage(const json::object& answer) {
  if (answer.contains("response")) return "";
  for (std::string_view key : {"errorMessage", "errorType"}) {
    const json::value* v = answer.if_contains(key);
    if (v != nullptr && v->is_string() && !v->as_string().empty())
      return BoundedText(v->as_string(), kMaxMessageBytes);
  }
  return "";
}

const json::object* ParseObject(std::string_view body, json::value& storage) {
  boost::system::error_code ec;
  storage = json::parse(body, ec);
  return ec || !storage.is_object() ? nullptr : &storage.as_object();
}

Error StatusRejection(Trigger trigger, const ReceiverAnswer& answer) {
  json::value storage;
  if (const json::object* o = answer.truncated ? nullptr : ParseObject(answer.body, storage)) {
    if (std::string message = ErrorPayloadMessage(*o); !message.empty())
      return TriggerRejected(trigger, message);
  }
  std::string text = "HTTP " + std::to_string(answer.status);
  std::string body = BoundedText(answer.body, kMaxMessageBytes - text.size() - 2);
  while (!body.empty() && body.back() == ' ') body.pop_back();
  if (!body.empty()) text += ": " + body;
  return TriggerRejected(trigger, text);
}

}  // namespace

std::string EventJson(std::string_view region, std::string_view pool_id, const TriggerCall& call) {
  json::object event;
  event["version"] = call.version;
  event["triggerSource"] = call.trigger_source;
  event["region"] = region;
  event["userPoolId"] = pool_id;
  event["userName"] = call.user_name;
  event["callerContext"] = json::object{
      {"awsSdkVersion", kAwsSdkVersion},
      {"clientId", call.client_id.empty() ? std::string(kNoClientId) : call.client_id}};
  event["request"] = call.request;
  event["response"] = json::object();
  return json::serialize(event);
}

Result<json::object> ReadAnswer(Trigger trigger, const ReceiverAnswer& answer) {
  if (answer.status < 200 || answer.status > 299) return StatusRejection(trigger, answer);
  if (answer.truncated) return TriggerInvalidResponse("Response too large");
  json::value storage;
  const json::object* event = ParseObject(answer.body, storage);
  if (event == nullptr) return TriggerInvalidResponse("Invalid JSON");
  if (std::string message = ErrorPayloadMessage(*event); !message.empty())
    return TriggerRejected(trigger, message);
  const json::value* response = event->if_contains("response");
  if (response == nullptr || !response->is_object()) return TriggerInvalidResponse();
  return response->as_object();
}

std::string BoundedText(std::string_view text, size_t max_bytes) {
  size_t end = std::min(text.size(), max_bytes);
  // Step back over continuation bytes so a multi-byte character is never split.
  if (end < text.size()) {
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  }
  std::string out(text.substr(0, end));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return out;
}

}  // namespace cognate::triggers
