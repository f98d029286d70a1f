#pragma once
// The PreSignUp trigger (cognito-wire.md §7.2): PreSignUp_SignUp from SignUp and
// PreSignUp_AdminCreateUser from AdminCreateUser, called after the request's own checks and
// before anything is stored, so a rejection (UserLambdaValidationException "PreSignUp failed
// with error <message>.") or any other trigger error leaves no user behind.
//
// The event's request is {userAttributes (the new user's, as given; no sub yet),
// validationData? (ValidationData as a name -> value map), clientMetadata?}. Of the response,
// SignUp honours autoConfirmUser (the user is CONFIRMED, no code is sent) and, together with
// it, autoVerifyEmail / autoVerifyPhone (email_verified / phone_number_verified set when the
// attribute is present, absent ones ignored). AdminCreateUser ignores the response, as
// Cognito does. A member that is neither a boolean nor null is InvalidLambdaResponseException.

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/result.h"
#include "identity/user_directory.h"

namespace cognate::identity {

inline constexpr std::string_view kPreSignUpSignUp = "PreSignUp_SignUp";
inline constexpr std::string_view kPreSignUpAdminCreateUser = "PreSignUp_AdminCreateUser";
// A federated user's first sign-in (federation/federated_users.h); the answer is not used.
inline constexpr std::string_view kPreSignUpExternalProvider = "PreSignUp_ExternalProvider";

struct PreSignUpAnswer {
  bool auto_confirm = false;
  bool auto_verify_email = false;
  bool auto_verify_phone = false;
};

// Sends PreSignUp `trigger_source` for a user about to be created: `username` (the stored
// username), `attributes` (validated), the API `request` (ValidationData, ClientMetadata).
// An all-false answer without a call when the pool does not configure the trigger.
Result<PreSignUpAnswer> RunPreSignUp(const UserDirectory& directory, const PoolContext& pool,
                                     std::string_view trigger_source, const std::string& username,
                                     const std::string& client_id,
                                     const boost::json::object& attributes,
                                     const boost::json::object& request);

// SignUp's use of the answer: marks the auto-verified attributes that `attributes` holds
// (only with auto_confirm) and returns the new user's status, CONFIRMED or UNCONFIRMED.
std::string ApplyPreSignUp(const PreSignUpAnswer& answer, boost::json::object& attributes);

}  // namespace cognate::identity
