#pragma once
// What every user-facing service needs before its own rules: the pool and app client a request
// names (with the client's secret opened), how the pool compares usernames, which user a sign-in
// name means (username, email/phone used as username, verified alias, or sub), the unique keys
// a user holds, and Cognito's output shapes for a user. Thread-safe: no mutable state.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/clock.h"
#include "common/result.h"
#include "crypto/kek.h"
#include "events/auth_event_log.h"
#include "store/stores.h"
#include "triggers/trigger_invoker.h"

namespace cognate::identity {

// Parsed settings shared read-only by every request that loads the same stored text
// (config_memo.h): loading a pool or client copies a pointer, not a tree of a few KB. Reads
// through the conversion to const object&; Edit() gives this holder a copy of its own to change.
class SharedConfig {
 public:
  SharedConfig();
  explicit SharedConfig(std::shared_ptr<const boost::json::object> object)
      : object_(std::move(object)) {}
  operator const boost::json::object&() const { return *object_; }
  const boost::json::object& get() const { return *object_; }
  // Copy on write: later reads through this holder see the change, other holders do not.
  boost::json::object& Edit() {
    auto own = std::make_shared<boost::json::object>(*object_);
    object_ = own;
    return *own;
  }

 private:
  std::shared_ptr<const boost::json::object> object_;
};

struct PoolContext {
  store::UserPoolRecord record;
  SharedConfig config;  // As stored: the UserPoolType members (pool_config.h).
  bool case_sensitive = true;  // UsernameConfiguration.CaseSensitive (API default true)
  std::vector<std::string> username_attributes;  // "email", "phone_number"
  std::vector<std::string> alias_attributes;     // "email", "phone_number", "preferred_username"
  const std::string& id() const { return record.id; }
};

struct ClientContext {
  store::AppClientRecord record;
  SharedConfig config;
  std::string secret;  // Plaintext client secret; empty when the client has none.
  const std::string& id() const { return record.client_id; }
};

class UserDirectory {
 public:
  UserDirectory(store::Stores& stores, const crypto::KeyEncryptionKey& kek, const Clock& clock);

  store::Stores& stores() const { return stores_; }
  // The pools' Lambda triggers (triggers/trigger_invoker.h); NoTriggers until set. The invoker
  // must outlive the directory.
  triggers::TriggerInvoker& triggers() const { return *triggers_; }
  void set_triggers(triggers::TriggerInvoker* invoker) { triggers_ = invoker; }
  // Where auth events go (events/auth_event_log.h); null (the default) records none. The log
  // must outlive the directory.
  events::AuthEventLog* events() const { return events_; }
  void set_events(events::AuthEventLog* log) { events_ = log; }
  const Clock& clock() const { return clock_; }
  const crypto::KeyEncryptionKey& kek() const { return kek_; }

  // ResourceNotFoundException "User pool <id> does not exist." when absent.
  Result<PoolContext> LoadPool(const std::string& pool_id) const;
  // ResourceNotFoundException "User pool client <id> does not exist." when absent.
  Result<ClientContext> LoadClient(const std::string& client_id) const;
  // The client must belong to `pool_id` (admin flows name both).
  Result<ClientContext> LoadClient(const std::string& pool_id, const std::string& client_id) const;

  // The name as the pool compares it (lowercased when the pool is case-insensitive).
  static std::string UsernameKey(const PoolContext& pool, std::string_view username);
  // The key of an alias or username-attribute value (emails compare case-insensitively,
  // preferred_username like usernames, phone numbers exactly).
  static std::string AliasKey(const PoolContext& pool, std::string_view kind,
                              std::string_view value);

  // The user a name means: its username; else, when the pool uses email/phone as username or
  // as alias, the holder of that key; else a user whose sub it is. std::nullopt when none.
  Result<std::optional<store::UserRecord>> Find(const PoolContext& pool,
                                                std::string_view name) const;
  // Like Find, but UserNotFoundException "User does not exist." when none.
  Result<store::UserRecord> Require(const PoolContext& pool, std::string_view name) const;

  // The unique keys a user with these attributes holds: its email/phone when they are the
  // pool's username attributes (verified or not), and its verified aliases.
  static std::vector<store::UserKey> KeysFor(const PoolContext& pool,
                                             const boost::json::object& attributes);

  // The attributes of a stored user as a name -> string object (sub included, reserved keys
  // left out).
  static Result<boost::json::object> Attributes(const store::UserRecord& user);
  // [{"Name":..,"Value":..}], sub first, optionally only the names in `only`.
  static boost::json::array AttributeList(const boost::json::object& attributes,
                                          const std::vector<std::string>* only = nullptr);
  // UserType (ListUsers, AdminCreateUser, ListUsersInGroup): Username, Attributes,
  // UserCreateDate, UserLastModifiedDate, Enabled, UserStatus.
  static Result<boost::json::object> UserType(const store::UserRecord& user,
                                              const std::vector<std::string>* only = nullptr);

 private:
  store::Stores& stores_;
  const crypto::KeyEncryptionKey& kek_;
  const Clock& clock_;
  triggers::TriggerInvoker* triggers_;
  events::AuthEventLog* events_ = nullptr;
};

// attributes_json keys under this prefix are Cognate's own bookkeeping (e.g. a new email
// waiting for verification, see self_service.h), never user attributes: every rendering of a
// user's attributes leaves them out.
inline constexpr std::string_view kReservedAttributePrefix = "cognate:";
inline constexpr std::string_view kPendingAttributePrefix = "cognate:pending:";

// email and phone_number: the attributes a code can verify.
bool IsVerifiableAttribute(std::string_view name);
// "cognate:pending:email".
std::string PendingAttributeKey(std::string_view attribute);
bool IsReservedAttribute(std::string_view name);
// Removes every reserved key from an attribute object.
void DropReservedAttributes(boost::json::object& attributes);

// Error helpers with Cognito's wording.
Error UserNotFound();                                  // UserNotFoundException
Error ClientNotFound(const std::string& client_id);    // ResourceNotFoundException

}  // namespace cognate::identity
