#pragma once
// The UserMigration trigger's answer (cognito-wire.md §7.2): a receiver that knows a user the
// pool does not answers {userAttributes, finalUserStatus, messageAction, desiredDeliveryMediums,
// forceAliasCreation, enableSMSMFA}; one that does not know it answers an empty response.
//
// UserMigration_ForgotPassword (ForgotPassword for an unknown name; UserService::MigrateForReset
// in user_migration.cc): the event's request is {userAttributes: {}, clientMetadata?} (the
// ForgotPassword request carries no ValidationData) and the envelope's userName is the name
// given. A user the receiver knows is created without a password in RESET_REQUIRED, whatever
// finalUserStatus says (a CONFIRMED user without a password could never sign in), and the reset
// code goes to it as to an existing user. messageAction and desiredDeliveryMediums concern the
// welcome message of a migration at sign-in; in this flow the reset code is the only message,
// sent where the pool's AccountRecoverySetting says, so they are checked but have no effect;
// enableSMSMFA is checked and ignored. A user the reset code cannot reach (no verified email or
// phone the recovery setting allows) is not created: the call fails as for an existing user;
// neither is one whose reset code cannot be delivered. An empty answer is UserNotFoundException,
// or the simulated CodeDeliveryDetails with PreventUserExistenceErrors; the invoker's errors
// (a rejection, an unreachable receiver) reach the client either way.

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace cognate::identity {

struct MigrationAnswer {
  boost::json::object attributes;  // validated against the schema, as AdminCreateUser does
  std::string final_status;        // "CONFIRMED", "RESET_REQUIRED" or "" (not given)
  std::string message_action;      // "SUPPRESS", "RESEND" or ""
  std::vector<std::string> delivery_mediums;  // "EMAIL" / "SMS"
  bool force_alias_creation = false;
  bool enable_sms_mfa = false;
};

// Reads a UserMigration response. std::nullopt when it names no user: empty, or without
// userAttributes (absent or null). Errors: InvalidLambdaResponseException "Invalid lambda
// function output : ..." for a member of the wrong type or value (userAttributes not an object
// of strings, finalUserStatus other than CONFIRMED/RESET_REQUIRED, messageAction other than
// SUPPRESS/RESEND, a medium other than EMAIL/SMS, non-boolean flags); attributes the schema
// refuses fail with ValidateAttributes' InvalidParameterException (user_attributes.h).
Result<std::optional<MigrationAnswer>> ReadMigrationAnswer(const boost::json::object& pool_config,
                                                           const boost::json::object& response);

}  // namespace cognate::identity
