#include "identity/pre_sign_up.h"

#include <boost/json/array.hpp>

#include "identity/json_fields.h"
#include "identity/trigger_events.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

// [{"Name":..,"Value":..}] -> {name: value}; entries without a string name are skipped.
json::object NameValueMap(const json::array* list) {
  json::object out;
  if (list == nullptr) return out;
  for (const json::value& item : *list) {
    if (!item.is_object()) continue;
    std::optional<std::string> name = GetString(item.as_object(), "Name");
    if (name) out[*name] = GetString(item.as_object(), "Value").value_or("");
  }
  return out;
}

// A response flag: absent or null is false; anything but a boolean is not Cognito's shape.
Result<bool> Flag(const json::object& response, std::string_view name) {
  const json::value* v = response.if_contains(name);
  if (v == nullptr || v->is_null()) return false;
  if (!v->is_bool()) return triggers::TriggerInvalidResponse();
  return v->as_bool();
}

}  // namespace

Result<PreSignUpAnswer> RunPreSignUp(const UserDirectory& directory, const PoolContext& pool,
                                     std::string_view trigger_source, const std::string& username,
                                     const std::string& client_id, const json::object& attributes,
                                     const json::object& request) {
  triggers::TriggerInvoker& invoker = directory.triggers();
  if (!invoker.Configured(pool.config, triggers::Trigger::kPreSignUp)) return PreSignUpAnswer{};
  triggers::TriggerCall call;
  call.trigger_source = std::string(trigger_source);
  call.user_name = username;
  call.client_id = client_id;
  call.request["userAttributes"] = attributes;
  if (const json::array* validation = GetArray(request, "ValidationData"))
    call.request["validationData"] = NameValueMap(validation);
  AddClientMetadata(call.request, ClientMetadataOf(request));
  auto response = invoker.Invoke(pool.id(), pool.config, triggers::Trigger::kPreSignUp, call);
  if (!response.ok()) return std::move(response).error();
  PreSignUpAnswer answer;
  for (auto [name, field] : {std::pair{"autoConfirmUser", &answer.auto_confirm},
                             std::pair{"autoVerifyEmail", &answer.auto_verify_email},
                             std::pair{"autoVerifyPhone", &answer.auto_verify_phone}}) {
    Result<bool> flag = Flag(*response, name);
    if (!flag.ok()) return std::move(flag).error();
    *field = *flag;
  }
  return answer;
}

std::string ApplyPreSignUp(const PreSignUpAnswer& answer, json::object& attributes) {
  if (!answer.auto_confirm) return "UNCONFIRMED";
  if (answer.auto_verify_email && attributes.contains("email"))
    attributes["email_verified"] = "true";
  if (answer.auto_verify_phone && attributes.contains("phone_number"))
    attributes["phone_number_verified"] = "true";
  return "CONFIRMED";
}

}  // namespace cognate::identity
