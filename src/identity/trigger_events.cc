#include "identity/trigger_events.h"

#include "identity/json_fields.h"
#include "identity/user_directory.h"

namespace cognate::identity {
namespace json = boost::json;

Result<json::object> TriggerUserAttributes(const store::UserRecord& user) {
  Result<json::object> attributes = UserDirectory::Attributes(user);
  if (!attributes.ok()) return attributes;
  (*attributes)["cognito:user_status"] = user.status;
  return attributes;
}

json::object ClientMetadataOf(const json::object& request) {
  json::object out;
  if (const json::object* metadata = GetObject(request, "ClientMetadata"))
    for (const auto& [key, value] : *metadata)
      if (value.is_string()) out[key] = value;
  return out;
}

void AddClientMetadata(json::object& request, const json::object& metadata) {
  if (!metadata.empty()) request["clientMetadata"] = metadata;
}

}  // namespace cognate::identity
