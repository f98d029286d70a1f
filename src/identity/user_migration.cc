// UserMigration answers, and UserService::MigrateForReset (UserMigration_ForgotPassword).

#include "identity/user_migration.h"

#include <boost/json/serialize.hpp>
#include <string_view>
#include <utility>

#include "identity/code_delivery.h"
#include "identity/json_fields.h"
#include "identity/trigger_events.h"
#include "identity/user_attributes.h"
#include "identity/user_service.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

using triggers::Trigger;
using triggers::TriggerInvalidResponse;

constexpr std::string_view kResetRequired = "RESET_REQUIRED";

// The string member `name` when it is one of `allowed`; "" when absent or null.
Result<std::string> OneOf(const json::object& response, std::string_view name,
                          std::initializer_list<std::string_view> allowed) {
  auto it = response.find(name);
  if (it == response.end() || it->value().is_null()) return std::string();
  if (const json::string* s = it->value().if_string())
    for (std::string_view a : allowed)
      if (*s == a) return std::string(a);
  return TriggerInvalidResponse("invalid " + std::string(name) + ".");
}

Result<bool> Flag(const json::object& response, std::string_view name) {
  auto it = response.find(name);
  if (it == response.end() || it->value().is_null()) return false;
  if (!it->value().is_bool())
    return TriggerInvalidResponse(std::string(name) + " must be a boolean.");
  return it->value().get_bool();
}

Result<std::vector<std::string>> Mediums(const json::object& response) {
  std::vector<std::string> out;
  auto it = response.find("desiredDeliveryMediums");
  if (it == response.end() || it->value().is_null()) return out;
  const json::array* list = it->value().if_array();
  if (!list) return TriggerInvalidResponse("desiredDeliveryMediums must be an array.");
  for (const json::value& v : *list) {
    if (!v.is_string() || (v.get_string() != "EMAIL" && v.get_string() != "SMS"))
      return TriggerInvalidResponse("desiredDeliveryMediums must hold EMAIL or SMS.");
    out.emplace_back(v.get_string());
  }
  return out;
}

// Everything of the answer but the attributes.
Status ReadOptions(const json::object& response, MigrationAnswer& answer) {
  auto status = OneOf(response, "finalUserStatus", {"CONFIRMED", kResetRequired});
  if (!status.ok()) return std::move(status).error();
  auto action = OneOf(response, "messageAction", {"SUPPRESS", "RESEND"});
  if (!action.ok()) return std::move(action).error();
  auto mediums = Mediums(response);
  if (!mediums.ok()) return std::move(mediums).error();
  auto force = Flag(response, "forceAliasCreation");
  if (!force.ok()) return std::move(force).error();
  auto sms_mfa = Flag(response, "enableSMSMFA");
  if (!sms_mfa.ok()) return std::move(sms_mfa).error();
  answer.final_status = std::move(*status);
  answer.message_action = std::move(*action);
  answer.delivery_mediums = std::move(*mediums);
  answer.force_alias_creation = *force;
  answer.enable_sms_mfa = *sms_mfa;
  return OkStatus();
}

// userAttributes as an AttributeType list for ValidateAttributes.
Result<json::array> AttributeList(const json::object& attributes) {
  json::array list;
  for (const auto& [name, value] : attributes) {
    if (!value.is_string()) return TriggerInvalidResponse("userAttributes values must be strings.");
    list.push_back(json::object{{"Name", name}, {"Value", value}});
  }
  return list;
}

// Sends UserMigration_ForgotPassword for `name`.
Result<json::object> InvokeForReset(const UserDirectory& directory, const PoolContext& pool,
                                    std::string_view client_id, const std::string& name,
                                    const json::object& request) {
  json::object event_request{{"userAttributes", json::object()}};
  AddClientMetadata(event_request, ClientMetadataOf(request));
  triggers::TriggerCall call{"UserMigration_ForgotPassword", name, std::string(client_id),
                             std::move(event_request)};
  return directory.triggers().Invoke(pool.id(), pool.config, Trigger::kUserMigration, call);
}

}  // namespace

Result<std::optional<MigrationAnswer>> ReadMigrationAnswer(const json::object& pool_config,
                                                           const json::object& response) {
  auto it = response.find("userAttributes");
  if (it == response.end() || it->value().is_null()) return std::optional<MigrationAnswer>();
  const json::object* given = it->value().if_object();
  if (!given) return TriggerInvalidResponse("userAttributes must be an object.");
  auto list = AttributeList(*given);
  if (!list.ok()) return std::move(list).error();
  MigrationAnswer answer;
  auto attributes = ValidateAttributes(pool_config, *list, AttributeWriteMode::kAdminCreate);
  if (!attributes.ok()) return std::move(attributes).error();
  answer.attributes = std::move(*attributes);
  COGNATE_RETURN_IF_ERROR(ReadOptions(response, answer));
  return std::optional<MigrationAnswer>(std::move(answer));
}

Result<std::optional<store::UserRecord>> UserService::MigrateForReset(const PublicCall& call,
                                                                      const json::object& request) {
  const PoolContext& pool = call.pool;
  if (!directory_.triggers().Configured(pool.config, Trigger::kUserMigration))
    return std::optional<store::UserRecord>();
  auto response = InvokeForReset(directory_, pool, call.client.id(), call.name, request);
  if (!response.ok()) return std::move(response).error();
  auto answer = ReadMigrationAnswer(pool.config, *response);
  if (!answer.ok()) return std::move(answer).error();
  if (!answer->has_value()) return std::optional<store::UserRecord>();
  json::object& attributes = (*answer)->attributes;
  auto identity = NewUserIdentity(pool, call.name, attributes);
  if (!identity.ok()) return std::move(identity).error();
  // A user the reset code cannot reach is not created.
  COGNATE_RETURN_IF_ERROR(RecoveryCodeAttribute(pool, attributes));
  if ((*answer)->force_alias_creation)
    COGNATE_RETURN_IF_ERROR(ReleaseAliases(pool, identity->username_key, attributes));
  store::UserRecord user;  // No password: RESET_REQUIRED users cannot sign in.
  user.pool_id = pool.id();
  user.username_key = identity->username_key;
  user.username = identity->username;
  user.sub = identity->sub;
  user.status = std::string(kResetRequired);
  user.attributes_json = json::serialize(attributes);
  user.created_ms = user.modified_ms = user.password_changed_ms = directory_.clock().NowMs();
  Status inserted = InsertUser(pool, user, attributes, "User already exists");
  // A concurrent ForgotPassword migrated the same name first: that user is the one.
  if (!inserted.ok() && inserted.error().Is("UsernameExistsException"))
    return directory_.Find(pool, call.name);
  if (!inserted.ok()) return std::move(inserted).error();
  return std::optional<store::UserRecord>(std::move(user));
}

}  // namespace cognate::identity
