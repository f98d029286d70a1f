// SelfService: UpdateUserAttributes, DeleteUserAttributes and the attribute edit they share.

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <utility>

#include "identity/json_fields.h"
#include "identity/retry.h"
#include "identity/schema.h"
#include "identity/self_service.h"
#include "identity/user_attributes.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

bool Listed(const json::array* list, std::string_view name) {
  return list != nullptr && Contains(*list, name);
}

// Whether a user may remove `name` (DeleteUserAttributes, or an empty value in
// UpdateUserAttributes). Messages as ValidateAttributes words them for user updates.
Status CheckDeletable(const json::object& pool_config, const std::string& name) {
  if (name.empty()) return Error::InvalidParameter("Attribute name is missing.");
  const json::object* entry = FindSchemaAttribute(pool_config, name);
  if (entry == nullptr)
    return Error::InvalidParameter("user." + name + ": Attribute does not exist in the schema.\n");
  if (name == "sub" || name == "identities" || !GetBool(*entry, "Mutable").value_or(true)) {
    return Error::InvalidParameter("user." + name +
                                   ": Attribute cannot be updated. (changing an immutable "
                                   "attribute)\n");
  }
  if (name == "email_verified" || name == "phone_number_verified" ||
      GetBool(*entry, "DeveloperOnlyAttribute").value_or(false)) {
    return Error::NotAuthorized("A client attempted to write unauthorized attribute");
  }
  if (GetBool(*entry, "Required").value_or(false))
    return Error::InvalidParameter("user." + name + ": Required attribute cannot be deleted.\n");
  return OkStatus();
}

// Removes an attribute with what hangs on it: its verified flag and a pending new value.
void RemoveAttribute(json::object& attributes, const std::string& name) {
  attributes.erase(name);
  if (IsVerifiableAttribute(name)) {
    attributes.erase(name + "_verified");
    attributes.erase(PendingAttributeKey(name));
  }
}

// What an edit of email/phone_number leaves to do once it is stored.
struct CodeWork {
  std::vector<std::pair<std::string, std::string>> send;  // attribute, value to verify
  std::vector<std::string> discard;                       // attributes whose code is void
};

// Sets email/phone_number to `value`: unverified in place, or pending while the current value
// stays active (AttributesRequireVerificationBeforeUpdate).
void ChangeVerifiable(const json::object& pool_config, json::object& attributes,
                      const std::string& name, const std::string& value, CodeWork& work) {
  const std::string pending_key = PendingAttributeKey(name);
  const std::string current = GetString(attributes, name).value_or("");
  if (current == value) {
    // Back to the active value: a pending change, and the code sent for it, are abandoned.
    if (attributes.erase(pending_key) != 0) work.discard.push_back(name);
    return;
  }
  const json::object* settings = GetObject(pool_config, "UserAttributeUpdateSettings");
  bool keep_current =
      !current.empty() && settings &&
      Listed(GetArray(*settings, "AttributesRequireVerificationBeforeUpdate"), name);
  if (keep_current) {
    attributes[pending_key] = value;
  } else {
    attributes[name] = value;
    attributes[name + "_verified"] = "false";
    attributes.erase(pending_key);
  }
  if (Listed(GetArray(pool_config, "AutoVerifiedAttributes"), name))
    work.send.emplace_back(name, value);
  else
    work.discard.push_back(name);
}

// UpdateUserAttributes' list split by what it does. An empty value deletes the attribute:
// deletions skip the value checks but not the others.
struct SplitList {
  json::array values;
  std::vector<std::string> deletions;
  std::vector<std::string> names;  // all of them, in request order
};

Result<SplitList> SplitUpdate(const json::object& request) {
  SplitList out;
  const json::array* list = GetArray(request, "UserAttributes");
  if (list == nullptr) return out;
  for (const json::value& item : *list) {
    const json::object* attribute = item.if_object();
    std::string name = attribute ? GetString(*attribute, "Name").value_or("") : "";
    const json::value* value = attribute ? attribute->if_contains("Value") : nullptr;
    bool remove = attribute && (!value || (value->is_string() && value->get_string().empty()));
    if (std::find(out.names.begin(), out.names.end(), name) != out.names.end())
      return Error::InvalidParameter("Duplicate attribute name: " + name + ".");
    if (remove)
      out.deletions.push_back(name);
    else
      out.values.push_back(item);
    out.names.push_back(std::move(name));
  }
  return out;
}

}  // namespace

Status SelfService::CheckWritable(const auth::AuthenticatedUser& caller,
                                  const std::vector<std::string>& names) const {
  auto client = ClientConfig(caller);
  if (!client.ok()) return std::move(client).error();
  return CheckClientMayWrite(caller.pool.config, *client, names);
}

Result<store::UserRecord> SelfService::EditAttributes(const auth::AuthenticatedUser& caller,
                                                      const AttributeEdit& edit) const {
  store::UserStore& users = *directory_.stores().users;
  return RetryOnConflict([&]() -> Result<store::UserRecord> {
    auto fresh = users.GetUser(caller.pool.id(), caller.user.username_key);
    if (!fresh.ok()) return std::move(fresh).error();
    if (!fresh->has_value() || (*fresh)->sub != caller.user.sub)
      return Error::NotAuthorized("User does not exist.");
    store::UserRecord& user = **fresh;
    auto attributes = ParseStoredObject(user.attributes_json);
    if (!attributes.ok()) return std::move(attributes).error();
    COGNATE_RETURN_IF_ERROR(edit(*attributes));
    const std::vector<store::UserKey> keys = UserDirectory::KeysFor(caller.pool, *attributes);
    user.attributes_json = json::serialize(*attributes);
    user.modified_ms = directory_.clock().NowMs();
    COGNATE_RETURN_IF_ERROR(users.UpdateUser(user, &keys));
    return std::move(user);
  });
}

Result<json::object> SelfService::UpdateUserAttributes(const json::object& request) {
  auto caller = Authenticate(request);
  if (!caller.ok()) return std::move(caller).error();
  const json::object& config = caller->pool.config;
  auto split = SplitUpdate(request);
  if (!split.ok()) return std::move(split).error();
  const auto& [values, deletions, names] = *split;
  auto validated = ValidateAttributes(config, values, AttributeWriteMode::kUserUpdate);
  if (!validated.ok()) return std::move(validated).error();
  for (const std::string& name : deletions) COGNATE_RETURN_IF_ERROR(CheckDeletable(config, name));
  COGNATE_RETURN_IF_ERROR(CheckWritable(*caller, names));

  CodeWork work;
  auto updated = EditAttributes(*caller, [&](json::object& attributes) -> Status {
    work = CodeWork();  // the edit may run again after a conflict
    for (const std::string& name : deletions) {
      RemoveAttribute(attributes, name);
      if (IsVerifiableAttribute(name)) work.discard.push_back(name);
    }
    for (const auto& [key, value] : *validated) {
      const std::string name(key);
      const std::string text(value.get_string());
      if (IsVerifiableAttribute(name))
        ChangeVerifiable(config, attributes, name, text, work);
      else
        attributes[name] = text;
    }
    return OkStatus();
  });
  if (!updated.ok()) return std::move(updated).error();
  for (const std::string& name : work.discard)
    COGNATE_RETURN_IF_ERROR(DiscardCode(caller->pool, *updated, name));
  json::array deliveries;
  for (const auto& [name, value] : work.send) {
    auto details = SendVerificationCode(caller->pool, *updated, name, value,
                                        "update-attribute", request);
    if (!details.ok()) return std::move(details).error();
    deliveries.push_back(std::move(*details));
  }
  if (deliveries.empty()) return json::object();
  return json::object{{"CodeDeliveryDetailsList", std::move(deliveries)}};
}

Result<json::object> SelfService::DeleteUserAttributes(const json::object& request) {
  auto caller = Authenticate(request);
  if (!caller.ok()) return std::move(caller).error();
  std::vector<std::string> names;
  if (const json::array* list = GetArray(request, "UserAttributeNames"))
    for (const json::value& name : *list)
      if (name.is_string()) names.emplace_back(name.get_string());
  for (const std::string& name : names)
    COGNATE_RETURN_IF_ERROR(CheckDeletable(caller->pool.config, name));
  COGNATE_RETURN_IF_ERROR(CheckWritable(*caller, names));
  auto updated = EditAttributes(*caller, [&](json::object& attributes) -> Status {
    for (const std::string& name : names) RemoveAttribute(attributes, name);
    return OkStatus();
  });
  if (!updated.ok()) return std::move(updated).error();
  for (const std::string& name : names)
    if (IsVerifiableAttribute(name))
      COGNATE_RETURN_IF_ERROR(DiscardCode(caller->pool, *updated, name));
  return json::object();
}

}  // namespace cognate::identity
