// UserService: construction and the helpers every user action shares (loading the call's pool,
// client and user; new-user identities; saving a user with its unique keys).

#include "identity/user_service.h"

#include <boost/json/serialize.hpp>
#include <utility>

#include "crypto/random.h"
#include "identity/json_fields.h"
#include "identity/password_setter.h"
#include "identity/schema.h"
#include "identity/retry.h"
#include "identity/secret_hash.h"
#include "identity/user_attributes.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

bool Has(const std::vector<std::string>& v, std::string_view s) {
  for (const std::string& x : v)
    if (x == s) return true;
  return false;
}

// The message Cognito gives when a UsernameAttributes pool gets a plain username.
std::string UsernameShapeMessage(const std::vector<std::string>& kinds) {
  if (kinds.size() > 1) return "Username should be either an email or a phone number.";
  return kinds.front() == "email" ? "Username should be an email."
                                  : "Username should be a phone number.";
}

}  // namespace

Error AliasConflict(Error store_error) {
  if (!store_error.Is("AliasExistsException")) return store_error;
  const std::string given = "the given ";
  if (size_t at = store_error.message.find(given); at != std::string::npos)
    store_error.message.replace(at, given.size(), "the ");
  return store_error;
}

UserService::UserService(UserDirectory& directory, CodeDelivery& codes,
                         delivery::MessageSender& sender, const auth::PasswordHasher& hasher)
    : directory_(directory), codes_(codes), sender_(sender), hasher_(hasher) {}

Result<std::optional<store::UserRecord>> UserService::FindCallUser(const PublicCall& call) const {
  auto found = directory_.Find(call.pool, call.name);
  if (found.ok() && !found->has_value() && !call.hide_user_existence) return UserNotFound();
  return found;
}

Result<UserService::PublicCall> UserService::OpenPublicCall(const json::object& request) const {
  auto client = directory_.LoadClient(GetString(request, "ClientId").value_or(""));
  if (!client.ok()) return std::move(client).error();
  auto pool = directory_.LoadPool(client->record.pool_id);
  if (!pool.ok()) return std::move(pool).error();
  std::string name = GetString(request, "Username").value_or("");
  COGNATE_RETURN_IF_ERROR(
      CheckSecretHash(client->id(), client->secret, name, GetString(request, "SecretHash")));
  bool hide = GetString(client->config, "PreventUserExistenceErrors") == "ENABLED";
  return PublicCall{std::move(*pool), std::move(*client), std::move(name), hide};
}

Status UserService::CheckWritable(const PoolContext& pool, const ClientContext& client,
                                  const json::object& attributes) {
  std::vector<std::string> names;
  for (const auto& kv : attributes) names.emplace_back(kv.key());
  return CheckClientMayWrite(pool.config, client.config, names);
}

Result<PoolContext> UserService::LoadPool(const json::object& request) const {
  return directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
}

Result<store::UserRecord> UserService::RequireUser(const PoolContext& pool,
                                                   const json::object& request) const {
  return directory_.Require(pool, GetString(request, "Username").value_or(""));
}

Result<UserService::NewIdentity> UserService::NewUserIdentity(const PoolContext& pool,
                                                              const std::string& given,
                                                              json::object& attributes) {
  if (!pool.username_attributes.empty()) {
    const char* kind = nullptr;
    if (Has(pool.username_attributes, "email") && LooksLikeEmail(given)) kind = "email";
    if (Has(pool.username_attributes, "phone_number") && IsE164PhoneNumber(given))
      kind = "phone_number";
    if (kind == nullptr)
      return Error::InvalidParameter(UsernameShapeMessage(pool.username_attributes));
    // The email/phone is an attribute; the username proper is the new user's sub.
    attributes[kind] = given;
    std::string sub = crypto::RandomUuid();
    return NewIdentity{sub, sub, sub};
  }
  if (Has(pool.alias_attributes, "email") && LooksLikeEmail(given)) {
    return Error::InvalidParameter(
        "Username cannot be of email format, since user pool is configured for email alias.");
  }
  if (Has(pool.alias_attributes, "phone_number") && IsE164PhoneNumber(given)) {
    return Error::InvalidParameter(
        "Username cannot be of phone number format, since user pool is configured for phone "
        "number alias.");
  }
  return NewIdentity{given, UserDirectory::UsernameKey(pool, given), crypto::RandomUuid()};
}

store::UserRecord UserService::NewUserRecord(const PoolContext& pool, const NewIdentity& identity,
                                             std::string status, std::string_view password,
                                             const json::object& attributes) const {
  int64_t now_ms = directory_.clock().NowMs();
  store::UserRecord user;
  user.pool_id = pool.id();
  user.username_key = identity.username_key;
  user.username = identity.username;
  user.sub = identity.sub;
  user.status = std::move(status);
  SetPassword(hasher_, directory_.kek(), user, password);
  user.attributes_json = json::serialize(attributes);
  user.created_ms = user.modified_ms = user.password_changed_ms = now_ms;
  return user;
}

Status UserService::ReleaseAliases(const PoolContext& pool, const std::string& username_key,
                                   const json::object& attributes) const {
  // Only aliases move; email/phone usernames stay unique (UsernameExistsException).
  if (!pool.username_attributes.empty()) return OkStatus();
  auto taken = TakenKeys(pool, username_key, UserDirectory::KeysFor(pool, attributes));
  if (!taken.ok()) return std::move(taken).error();
  for (const TakenKey& t : *taken)
    if (t.key.kind != "preferred_username")
      COGNATE_RETURN_IF_ERROR(UnverifyAlias(pool, t.holder_key, t.key.kind));
  return OkStatus();
}

Status UserService::InsertUser(const PoolContext& pool, const store::UserRecord& user,
                               const json::object& attributes,
                               const std::string& exists_message) const {
  Status created =
      directory_.stores().users->CreateUser(user, UserDirectory::KeysFor(pool, attributes));
  if (created.ok()) return created;
  Error error = std::move(created).error();
  if (error.Is("UsernameExistsException")) error.message = exists_message;
  // With email/phone as username, a taken key is a taken username.
  bool username_key_taken = false;
  for (const std::string& kind : pool.username_attributes)
    if (error.message.find(" " + kind + " ") != std::string::npos) username_key_taken = true;
  if (error.Is("AliasExistsException") && username_key_taken) {
    error.type = "UsernameExistsException";
    return error;
  }
  return AliasConflict(std::move(error));
}

Result<std::vector<UserService::TakenKey>> UserService::TakenKeys(
    const PoolContext& pool, const std::string& username_key,
    const std::vector<store::UserKey>& keys) const {
  std::vector<TakenKey> taken;
  for (const store::UserKey& key : keys) {
    auto holder = directory_.stores().users->FindByKey(pool.id(), key);
    if (!holder.ok()) return std::move(holder).error();
    if (holder->has_value() && (*holder)->username_key != username_key)
      taken.push_back({key, (*holder)->username_key});
  }
  return taken;
}

Status UserService::UnverifyAlias(const PoolContext& pool, const std::string& username_key,
                                  const std::string& kind) const {
  return RetryOnConflict([&]() -> Status {
    auto holder = directory_.stores().users->GetUser(pool.id(), username_key);
    if (!holder.ok()) return std::move(holder).error();
    if (!holder->has_value()) return OkStatus();  // Deleted meanwhile: nothing to unverify.
    store::UserRecord user = std::move(**holder);
    auto attrs = ParseStoredObject(user.attributes_json);
    if (!attrs.ok()) return std::move(attrs).error();
    (*attrs)[kind + "_verified"] = "false";
    user.attributes_json = json::serialize(*attrs);
    user.modified_ms = directory_.clock().NowMs();
    std::vector<store::UserKey> keys = UserDirectory::KeysFor(pool, *attrs);
    return directory_.stores().users->UpdateUser(user, &keys);
  });
}

Status UserService::SaveUser(const PoolContext& pool, store::UserRecord& user,
                             const json::object& attributes, bool force_alias) const {
  std::vector<store::UserKey> keys = UserDirectory::KeysFor(pool, attributes);
  std::vector<TakenKey> taken;
  if (force_alias) {
    auto found = TakenKeys(pool, user.username_key, keys);
    if (!found.ok()) return std::move(found).error();
    taken = std::move(*found);
  }
  json::object stored = attributes;
  stored.erase("sub");
  user.attributes_json = json::serialize(stored);
  user.modified_ms = directory_.clock().NowMs();
  Status saved = directory_.stores().users->UpdateUser(user, &keys, force_alias);
  if (!saved.ok()) return AliasConflict(std::move(saved).error());
  user.version++;
  // The alias moved: its former holder no longer has it verified.
  for (const TakenKey& t : taken)
    if (t.key.kind != "preferred_username")
      COGNATE_RETURN_IF_ERROR(UnverifyAlias(pool, t.holder_key, t.key.kind));
  return OkStatus();
}

Result<store::UserRecord> UserService::UpdateUser(const PoolContext& pool, std::string_view name,
                                                  const UserChange& change,
                                                  bool force_alias) const {
  return RetryOnConflict([&]() -> Result<store::UserRecord> {
    auto user = directory_.Require(pool, name);
    if (!user.ok()) return std::move(user).error();
    auto attrs = ParseStoredObject(user->attributes_json);
    if (!attrs.ok()) return std::move(attrs).error();
    COGNATE_RETURN_IF_ERROR(change(*user, *attrs));
    COGNATE_RETURN_IF_ERROR(SaveUser(pool, *user, *attrs, force_alias));
    return std::move(*user);
  });
}

}  // namespace cognate::identity
