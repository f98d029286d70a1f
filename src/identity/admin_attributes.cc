// UserService: AdminUpdateUserAttributes and AdminDeleteUserAttributes.

#include <utility>
#include <vector>

#include "identity/codes.h"
#include "identity/json_fields.h"
#include "identity/schema.h"
#include "identity/trigger_events.h"
#include "identity/user_attributes.h"
#include "identity/user_service.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

bool IsContact(std::string_view name) { return name == "email" || name == "phone_number"; }

// Removes `name` (and the verification flag of an email/phone). A required attribute cannot go:
// CheckRequiredAttributes reports it with Cognito's wording.
Status RemoveAttribute(const PoolContext& pool, json::object& attrs, const std::string& name) {
  attrs.erase(name);
  if (IsContact(name)) attrs.erase(name + "_verified");
  if (IsRequiredAttribute(pool.config, name)) return CheckRequiredAttributes(pool.config, attrs);
  return OkStatus();
}

// Applies validated `updates`: an empty value deletes; a changed email/phone becomes unverified
// unless the same request says otherwise. Returns the contacts that changed.
Result<std::vector<std::string>> ApplyUpdates(const PoolContext& pool, const json::object& updates,
                                              json::object& attrs) {
  std::vector<std::string> changed;
  for (const auto& kv : updates) {
    const std::string name(kv.key());
    const std::string value(kv.value().get_string());
    if (value.empty()) {
      COGNATE_RETURN_IF_ERROR(RemoveAttribute(pool, attrs, name));
      continue;
    }
    if (IsContact(name) && GetString(attrs, name) != value) {
      changed.push_back(name);
      if (!updates.contains(name + "_verified")) attrs[name + "_verified"] = "false";
    }
    attrs[name] = value;
  }
  return changed;
}

}  // namespace

Result<json::object> UserService::AdminUpdateUserAttributes(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  const json::array none;
  const json::array* list = GetArray(request, "UserAttributes");
  auto updates =
      ValidateAttributes(pool->config, list ? *list : none, AttributeWriteMode::kAdminUpdate);
  if (!updates.ok()) return std::move(updates).error();
  std::vector<std::string> changed;
  auto saved = UpdateUser(*pool, GetString(request, "Username").value_or(""),
                          [&](store::UserRecord&, json::object& attrs) -> Status {
                            auto applied = ApplyUpdates(*pool, *updates, attrs);
                            if (!applied.ok()) return std::move(applied).error();
                            changed = std::move(*applied);
                            return OkStatus();
                          });
  if (!saved.ok()) return std::move(saved).error();
  // A new unverified address the pool auto-verifies gets a verification code. Best effort: the
  // update stands either way and the user can ask for a code (GetUserAttributeVerificationCode).
  auto attrs = ParseStoredObject(saved->attributes_json);
  if (!attrs.ok()) return json::object();
  const json::array* auto_verified = GetArray(pool->config, "AutoVerifiedAttributes");
  for (const std::string& name : changed) {
    if (GetString(*attrs, name + "_verified") == "true" || !auto_verified ||
        !Contains(*auto_verified, name))
      continue;
    (void)codes_.Send(*pool, *saved, VerifyAttributePurpose(name), name, "update-attribute", "",
                      ClientMetadataOf(request));
  }
  return json::object();
}

Result<json::object> UserService::AdminDeleteUserAttributes(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  std::vector<std::string> names;
  const json::array empty;
  const json::array* schema = GetArray(pool->config, "SchemaAttributes");
  if (const json::array* list = GetArray(request, "UserAttributeNames")) {
    for (const json::value& v : *list) {
      if (!v.is_string()) continue;
      std::string name(v.get_string());
      if (name == "sub") {
        return Error::InvalidParameter(
            "user.sub: Attribute cannot be updated. (changing an immutable attribute)\n");
      }
      if (!SchemaHasAttribute(schema ? *schema : empty, name))
        return Error::InvalidParameter("user." + name +
                                       ": Attribute does not exist in the schema.\n");
      names.push_back(std::move(name));
    }
  }
  auto saved = UpdateUser(*pool, GetString(request, "Username").value_or(""),
                          [&](store::UserRecord&, json::object& attrs) -> Status {
                            for (const std::string& name : names)
                              COGNATE_RETURN_IF_ERROR(RemoveAttribute(*pool, attrs, name));
                            return OkStatus();
                          });
  if (!saved.ok()) return std::move(saved).error();
  return json::object();
}

}  // namespace cognate::identity
