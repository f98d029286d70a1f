#pragma once
// Users of a pool: self-service sign-up and confirmation, forgotten passwords, and the admin
// user-management actions (create, get, delete, enable/disable, passwords, attributes, listing).
//
// Like PoolService, each method takes the action's request JSON object (already checked against
// the service model's types and constraints by api/) and returns the response object exactly as
// Cognito shapes it (unset members omitted, dates as epoch seconds), or an Error with Cognito's
// type and message. Thread-safe: holds no mutable state of its own; every read-modify-write of
// a user is an optimistic update retried on conflict (RetryOnConflict).
//
// Rules that live elsewhere: password policy (password_policy.h), attribute validation
// (user_attributes.h), SECRET_HASH (secret_hash.h), code lifetimes/limits and templates
// (codes.h, code_delivery.h), name resolution and unique keys (user_directory.h).
//
// Implementation files: signup.cc (SignUp, ConfirmSignUp, ResendConfirmationCode,
// AdminConfirmSignUp), forgot_password.cc (ForgotPassword, ConfirmForgotPassword,
// AdminResetUserPassword; user_migration.cc its UserMigration), post_confirmation.cc
// (AfterConfirmation), admin_users.cc (AdminCreateUser and the per-user admin actions),
// admin_passwords.cc (AdminSetUserPassword), admin_attributes.cc, list_users.cc, and
// user_service.cc (shared helpers).

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/password_hasher.h"
#include "common/result.h"
#include "delivery/sender.h"
#include "identity/code_delivery.h"
#include "identity/user_directory.h"
#include "store/user_records.h"

namespace cognate::identity {

class UserService {
 public:
  // `sender` carries invitations (AdminCreateUser); codes go through `codes`.
  UserService(UserDirectory& directory, CodeDelivery& codes, delivery::MessageSender& sender,
              const auth::PasswordHasher& hasher);

  // Self-service (ClientId + optional SecretHash; no SigV4).
  Result<boost::json::object> SignUp(const boost::json::object& request);
  Result<boost::json::object> ConfirmSignUp(const boost::json::object& request);
  Result<boost::json::object> ResendConfirmationCode(const boost::json::object& request);
  Result<boost::json::object> ForgotPassword(const boost::json::object& request);
  Result<boost::json::object> ConfirmForgotPassword(const boost::json::object& request);

  // Admin (UserPoolId + Username).
  Result<boost::json::object> AdminCreateUser(const boost::json::object& request);
  Result<boost::json::object> AdminConfirmSignUp(const boost::json::object& request);
  Result<boost::json::object> AdminGetUser(const boost::json::object& request);
  Result<boost::json::object> AdminDeleteUser(const boost::json::object& request);
  Result<boost::json::object> AdminDisableUser(const boost::json::object& request);
  Result<boost::json::object> AdminEnableUser(const boost::json::object& request);
  Result<boost::json::object> AdminSetUserPassword(const boost::json::object& request);
  Result<boost::json::object> AdminResetUserPassword(const boost::json::object& request);
  Result<boost::json::object> AdminUpdateUserAttributes(const boost::json::object& request);
  Result<boost::json::object> AdminDeleteUserAttributes(const boost::json::object& request);
  Result<boost::json::object> ListUsers(const boost::json::object& request);

 private:
  // The actions that are auth events (events/auth_event_log.h), told their user once known;
  // the public methods record the outcome.
  Result<boost::json::object> SignUpStep(const boost::json::object& request,
                                         events::PendingEvent& event);
  Result<boost::json::object> ResendConfirmationCodeStep(const boost::json::object& request,
                                                         events::PendingEvent& event);
  Result<boost::json::object> ForgotPasswordStep(const boost::json::object& request,
                                                 events::PendingEvent& event);
  Result<boost::json::object> ConfirmForgotPasswordStep(const boost::json::object& request,
                                                        events::PendingEvent& event);
  Result<boost::json::object> AdminSetUserPasswordStep(const boost::json::object& request,
                                                       events::PendingEvent& event);

  // A self-service call: the client it names, its pool, and the name the caller gave.
  struct PublicCall {
    PoolContext pool;
    ClientContext client;
    std::string name;
    bool hide_user_existence = false;  // PreventUserExistenceErrors ENABLED
  };
  // Username, username_key and sub of a new user; may move the given name into `attributes`
  // (email/phone used as username).
  struct NewIdentity {
    std::string username;
    std::string username_key;
    std::string sub;
  };

  // ClientId's client and pool, with SECRET_HASH checked against `Username`.
  Result<PublicCall> OpenPublicCall(const boost::json::object& request) const;
  // The user a public call names. None: UserNotFoundException, or std::nullopt when the client
  // hides user existence (the caller then answers as it would for an existing user).
  Result<std::optional<store::UserRecord>> FindCallUser(const PublicCall& call) const;
  Result<PoolContext> LoadPool(const boost::json::object& request) const;
  Result<store::UserRecord> RequireUser(const PoolContext& pool,
                                        const boost::json::object& request) const;
  // Checks the given name against UsernameAttributes/AliasAttributes and derives the identity.
  static Result<NewIdentity> NewUserIdentity(const PoolContext& pool, const std::string& given,
                                             boost::json::object& attributes);
  // A new user record (created now) with `password` hashed.
  store::UserRecord NewUserRecord(const PoolContext& pool, const NewIdentity& identity,
                                  std::string status, std::string_view password,
                                  const boost::json::object& attributes) const;
  // ForceAliasCreation for a user about to be created: the verified email/phone aliases
  // `attributes` claim are unverified on their current holders (which drops their keys).
  Status ReleaseAliases(const PoolContext& pool, const std::string& username_key,
                        const boost::json::object& attributes) const;
  // Inserts the user with KeysFor(attributes); UsernameExistsException `exists_message` when
  // the username is taken (the store's AliasExistsException becomes UsernameExistsException
  // for email/phone usernames, and Cognito's alias wording otherwise).
  Status InsertUser(const PoolContext& pool, const store::UserRecord& user,
                    const boost::json::object& attributes, const std::string& exists_message) const;
  // Stores `user` (modified now; `user` is updated to what was stored) with `attributes` and
  // the keys they imply. Keys held by other users fail with AliasExistsException unless
  // `force_alias`: then they move to this user and their former holders' attribute becomes
  // unverified.
  Status SaveUser(const PoolContext& pool, store::UserRecord& user,
                  const boost::json::object& attributes, bool force_alias) const;
  // The keys of `keys` held by a user other than `username_key`, with their holders.
  struct TakenKey {
    store::UserKey key;
    std::string holder_key;  // username_key of the holder
  };
  Result<std::vector<TakenKey>> TakenKeys(const PoolContext& pool, const std::string& username_key,
                                          const std::vector<store::UserKey>& keys) const;
  // Marks `kind` unverified on a former alias holder (ForceAliasCreation).
  Status UnverifyAlias(const PoolContext& pool, const std::string& username_key,
                       const std::string& kind) const;
  // Read-modify-write of the user `name` means: `change` edits the record and its attributes
  // (sub excluded) and may return an Error to stop; the result is saved with SaveUser. The
  // whole attempt re-runs on a concurrent modification. Returns the saved user.
  using UserChange = std::function<Status(store::UserRecord& user, boost::json::object& attrs)>;
  Result<store::UserRecord> UpdateUser(const PoolContext& pool, std::string_view name,
                                       const UserChange& change, bool force_alias = false) const;
  // NotAuthorizedException "A client attempted to write unauthorized attribute" when the client
  // restricts WriteAttributes and `attributes` names one outside them (required ones excepted).
  static Status CheckWritable(const PoolContext& pool, const ClientContext& client,
                              const boost::json::object& attributes);
  // PostConfirmation (post_confirmation.h) after a confirmation saved `saved`. When the trigger
  // fails, `undo` reverts the fields the confirmation changed (an UpdateUser change) and
  // `spent`, the code row the confirmation consumed, is put back; the trigger's error is
  // returned. OK at once when the pool has no PostConfirmation.
  Status AfterConfirmation(const PoolContext& pool, const store::UserRecord& saved,
                           std::string_view trigger_source, std::string_view client_id,
                           const boost::json::object& request, const UserChange& undo,
                           const std::optional<store::CodeRecord>& spent) const;
  // ForgotPassword for a name no user has: UserMigration_ForgotPassword (user_migration.h)
  // creates the user in RESET_REQUIRED. std::nullopt when the pool has no UserMigration or the
  // receiver knows no such user.
  Result<std::optional<store::UserRecord>> MigrateForReset(const PublicCall& call,
                                                           const boost::json::object& request);
  // AdminCreateUser with MessageAction RESEND.
  Result<boost::json::object> ResendInvitation(const PoolContext& pool,
                                               const boost::json::object& request);
  // Sends the invitation with `password` to the mediums the request asks for.
  Status SendInvitation(const PoolContext& pool, const store::UserRecord& user,
                        const boost::json::object& attributes, const std::string& password,
                        const boost::json::object& request) const;

  UserDirectory& directory_;
  CodeDelivery& codes_;
  delivery::MessageSender& sender_;
  const auth::PasswordHasher& hasher_;
};

// Cognito's alias wording for a store AliasExistsException ("An account with the email already
// exists."); other errors pass through.
Error AliasConflict(Error store_error);

}  // namespace cognate::identity
