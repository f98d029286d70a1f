// SelfService: GetUserAttributeVerificationCode, VerifyUserAttribute and the code plumbing that
// UpdateUserAttributes shares with them.

#include <boost/json/serialize.hpp>
#include <utility>

#include "identity/codes.h"
#include "identity/json_fields.h"
#include "identity/self_service.h"
#include "identity/trigger_events.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

constexpr std::string_view kVerifyMessagePurpose = "verify-attribute";

Status CheckVerifiable(const std::string& name) {
  if (IsVerifiableAttribute(name)) return OkStatus();
  return Error::InvalidParameter("Attribute " + name + " cannot be verified.");
}

}  // namespace

Result<json::object> SelfService::SendVerificationCode(const PoolContext& pool,
                                                       const store::UserRecord& user,
                                                       const std::string& attribute,
                                                       const std::string& value,
                                                       std::string_view message_purpose,
                                                       const json::object& request) const {
  // CodeDelivery sends to the user's stored value; a pending value is not stored as the
  // attribute yet, so it gets a copy of the user that holds it.
  auto attributes = ParseStoredObject(user.attributes_json);
  if (!attributes.ok()) return std::move(attributes).error();
  (*attributes)[attribute] = value;
  store::UserRecord target = user;
  target.attributes_json = json::serialize(*attributes);
  return delivery_.Send(pool, target, VerifyAttributePurpose(attribute), attribute,
                        message_purpose, {}, ClientMetadataOf(request));
}

Status SelfService::DiscardCode(const PoolContext& pool, const store::UserRecord& user,
                                const std::string& attribute) const {
  store::CodeStore& codes = *directory_.stores().codes;
  const std::string purpose = VerifyAttributePurpose(attribute);
  auto stored = codes.GetCode(pool.id(), user.username_key, purpose);
  if (!stored.ok()) return std::move(stored).error();
  if (!stored->has_value()) return OkStatus();
  // Replaced by an expired record that no code hashes to, rather than deleted, so the send-rate
  // window survives: changing the address must not reset the limit on codes.
  store::CodeRecord dead = **stored;
  dead.code_hash.clear();
  dead.expires_ms = directory_.clock().NowMs();
  return codes.PutCode(dead);
}

Result<json::object> SelfService::GetUserAttributeVerificationCode(const json::object& request) {
  auto caller = Authenticate(request);
  if (!caller.ok()) return std::move(caller).error();
  const std::string name = GetString(request, "AttributeName").value_or("");
  COGNATE_RETURN_IF_ERROR(CheckVerifiable(name));
  auto attributes = ParseStoredObject(caller->user.attributes_json);
  if (!attributes.ok()) return std::move(attributes).error();
  // A pending new value is the one awaiting verification.
  std::optional<std::string> value = GetString(*attributes, PendingAttributeKey(name));
  if (!value) value = GetString(*attributes, name);
  if (!value || value->empty())
    return Error::InvalidParameter("The user has no " + name + " to verify.");
  auto details = SendVerificationCode(caller->pool, caller->user, name, *value,
                                      kVerifyMessagePurpose, request);
  if (!details.ok()) return std::move(details).error();
  return json::object{{"CodeDeliveryDetails", std::move(*details)}};
}

Result<json::object> SelfService::VerifyUserAttribute(const json::object& request) {
  auto caller = Authenticate(request);
  if (!caller.ok()) return std::move(caller).error();
  const std::string name = GetString(request, "AttributeName").value_or("");
  COGNATE_RETURN_IF_ERROR(CheckVerifiable(name));
  COGNATE_RETURN_IF_ERROR(delivery_.Verify(caller->pool, caller->user, VerifyAttributePurpose(name),
                                           GetString(request, "Code").value_or("")));
  auto updated = EditAttributes(*caller, [&](json::object& attributes) -> Status {
    const std::string pending_key = PendingAttributeKey(name);
    if (std::optional<std::string> pending = GetString(attributes, pending_key)) {
      attributes[name] = *pending;
      attributes.erase(pending_key);
    }
    // Changes and deletions void outstanding codes, so only a race can get here without a value.
    if (GetString(attributes, name).value_or("").empty())
      return Error::InvalidParameter("The user has no " + name + " to verify.");
    attributes[name + "_verified"] = "true";
    return OkStatus();
  });
  if (!updated.ok()) return std::move(updated).error();
  return json::object();
}

}  // namespace cognate::identity
