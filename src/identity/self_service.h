#pragma once
// The signed-in user's own actions, authorised by an access token (auth::AccessGuard): GetUser,
// UpdateUserAttributes, DeleteUserAttributes, GetUserAttributeVerificationCode,
// VerifyUserAttribute, ChangePassword, DeleteUser and GlobalSignOut; plus the SigV4 admin action
// AdminUserGlobalSignOut, which has GlobalSignOut's effect.
//
// Like PoolService: each method takes the action's request object (already checked against the
// service model) and returns Cognito's response object or an Error with Cognito's type and
// message. The request's AccessToken is what is authenticated. Read-modify-write updates of the
// user re-read and retry on ConcurrentModificationException (retry.h). Thread-safe.
//
// App client permissions (the client is the token's client_id): GetUser shows only the client's
// ReadAttributes (sub always); writes are limited to its WriteAttributes (required attributes
// always pass). Absent lists permit everything.
//
// Email and phone changes (UpdateUserAttributes):
// - A changed email/phone_number becomes unverified; when the pool auto-verifies that attribute
//   (AutoVerifiedAttributes) a code is sent to the new value ("verify:<attr>") and its delivery
//   is listed in CodeDeliveryDetailsList. A change that sends no code, and a deletion, discard
//   any outstanding code, so an old code can never verify a value it was not sent to.
// - When the pool lists the attribute in UserAttributeUpdateSettings.
//   AttributesRequireVerificationBeforeUpdate and the user has a current value, the current
//   value (and its verified flag) stays active; the new value waits in attributes_json under
//   the reserved key "cognate:pending:<attr>" (kPendingAttributePrefix) until VerifyUserAttribute
//   applies it. Reserved keys are never returned by this service; anything that renders
//   attributes_json elsewhere must drop them (IsReservedAttribute / DropReservedAttributes).
// - Verification codes are sent to the pending value when there is one.
//
// ChangePassword checks ProposedPassword against the policy first (cheap, reveals nothing),
// then PreviousPassword (NotAuthorizedException "Incorrect username or password."; omitting it
// works only for a user without a password). Failures do not count toward the sign-in lockout.
// GlobalSignOut / AdminUserGlobalSignOut set tokens_valid_after_ms to now (AccessGuard then
// refuses every access token issued up to that second) and revoke all refresh tokens.

#include <boost/json/object.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/access_guard.h"
#include "auth/password_hasher.h"
#include "common/result.h"
#include "identity/code_delivery.h"
#include "identity/user_directory.h"

namespace cognate::identity {

class SelfService {
 public:
  // All must outlive the service.
  SelfService(UserDirectory& directory, auth::AccessGuard& guard,
              const auth::PasswordHasher& hasher, CodeDelivery& delivery);

  Result<boost::json::object> GetUser(const boost::json::object& request);
  Result<boost::json::object> UpdateUserAttributes(const boost::json::object& request);
  Result<boost::json::object> DeleteUserAttributes(const boost::json::object& request);
  Result<boost::json::object> GetUserAttributeVerificationCode(const boost::json::object& request);
  Result<boost::json::object> VerifyUserAttribute(const boost::json::object& request);
  Result<boost::json::object> ChangePassword(const boost::json::object& request);
  Result<boost::json::object> DeleteUser(const boost::json::object& request);
  Result<boost::json::object> GlobalSignOut(const boost::json::object& request);
  Result<boost::json::object> AdminUserGlobalSignOut(const boost::json::object& request);

 private:
  // The actions that are auth events (events/auth_event_log.h), told their user once known;
  // the public methods record the outcome.
  Result<boost::json::object> ChangePasswordStep(const boost::json::object& request,
                                                 events::PendingEvent& event);
  Result<boost::json::object> GlobalSignOutStep(const boost::json::object& request,
                                                events::PendingEvent& event);
  Result<boost::json::object> AdminUserGlobalSignOutStep(const boost::json::object& request,
                                                         events::PendingEvent& event);
  // Edits the attributes of a stored user (reserved keys included); may fail to abort.
  using AttributeEdit = std::function<Status(boost::json::object& attributes)>;

  Result<auth::AuthenticatedUser> Authenticate(const boost::json::object& request) const;
  // The config of the token's app client. NotAuthorizedException "Invalid Access Token" when the
  // client was deleted since.
  Result<SharedConfig> ClientConfig(const auth::AuthenticatedUser& caller) const;
  // NotAuthorizedException unless the client may write every attribute in `names`.
  Status CheckWritable(const auth::AuthenticatedUser& caller,
                       const std::vector<std::string>& names) const;
  // Re-reads the user, applies `edit`, recomputes its keys (AliasExistsException on a clash)
  // and stores it; the whole attempt is retried on a concurrent change.
  Result<store::UserRecord> EditAttributes(const auth::AuthenticatedUser& caller,
                                           const AttributeEdit& edit) const;
  // Sends a verification code for `attribute` to `value` (not necessarily the stored one);
  // `message_purpose` is "update-attribute" after a change, else "verify-attribute";
  // `request` is the action's, whose ClientMetadata goes to CustomMessage.
  Result<boost::json::object> SendVerificationCode(const PoolContext& pool,
                                                   const store::UserRecord& user,
                                                   const std::string& attribute,
                                                   const std::string& value,
                                                   std::string_view message_purpose,
                                                   const boost::json::object& request) const;
  // Makes the outstanding "verify:<attribute>" code unusable, keeping its send-rate window.
  Status DiscardCode(const PoolContext& pool, const store::UserRecord& user,
                     const std::string& attribute) const;
  // Refuses every token issued so far and every refresh token of the user.
  Status SignOutEverywhere(const PoolContext& pool, const store::UserRecord& user) const;

  UserDirectory& directory_;
  auth::AccessGuard& guard_;
  const auth::PasswordHasher& hasher_;
  CodeDelivery& delivery_;
};

}  // namespace cognate::identity
