#pragma once
// A user pool's settings: Cognito's defaults and rules for CreateUserPool and UpdateUserPool, and
// the UserPoolType rendering of a stored pool.
//
// What config_json holds (store::UserPoolRecord::config_json): a JSON object with every
// UserPoolType member except Id, Name, Arn, CreationDate, LastModifiedDate and
// EstimatedNumberOfUsers (those come from the record or are computed). Defaults are written out,
// so readers never re-apply them. Other services may keep their own members there (Domain,
// MFA settings, ...): UpdateUserPool rewrites only the members it owns and keeps the rest, and
// DescribeUserPool shows only UserPoolType members.
//
// Defaults where Cognito's documentation is silent or ambiguous:
// - A partial PasswordPolicy: missing Require* flags are false (they are plain booleans in the
//   API), a missing MinimumLength is 8, TemporaryPasswordValidityDays missing or 0 is 7.
// - TemporaryPasswordValidityDays and the legacy AdminCreateUserConfig.UnusedAccountValidityDays
//   are kept equal; giving both with different values is an error, as on Cognito.
// - VerificationMessageTemplate.{EmailMessage,EmailSubject,SmsMessage} and the legacy
//   EmailVerificationMessage/EmailVerificationSubject/SmsVerificationMessage mirror each other;
//   when both are given and differ the template wins.
// - UpdateUserPool resets omitted members to their defaults (Cognito's documented behaviour),
//   except the immutable ones (SchemaAttributes, UsernameAttributes, AliasAttributes,
//   UsernameConfiguration) and UserPoolTags and UserPoolTier, which are kept when omitted because
//   tags have their own API and a tier change should never happen by omission.
// - MfaConfiguration ON/OPTIONAL is accepted without SmsConfiguration. Cognito demands
//   SmsConfiguration there; Cognate offers TOTP and email factors instead of SMS.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "common/result.h"

namespace cognate::identity {

// config_json of a new pool from a CreateUserPool request.
Result<boost::json::object> NewPoolConfig(const boost::json::object& request);

// config_json after an UpdateUserPool request on a pool whose config is `stored`.
Result<boost::json::object> UpdatedPoolConfig(const boost::json::object& stored,
                                              const boost::json::object& request);

// The computed members of UserPoolType.
struct PoolIdentity {
  std::string id;
  std::string name;
  std::string arn;
  int64_t created_ms = 0;
  int64_t modified_ms = 0;
  int64_t estimated_users = 0;
};

// UserPoolType for DescribeUserPool/CreateUserPool, members in Cognito's order.
boost::json::object RenderUserPool(const PoolIdentity& pool, const boost::json::object& config);

}  // namespace cognate::identity
