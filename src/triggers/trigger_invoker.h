#pragma once
// Cognito's Lambda triggers, delivered as HTTP webhooks (cognito-wire.md §7). A pool's
// LambdaConfig names a receiver per trigger; the services build the event's `request` and read
// the `response` the receiver filled in, exactly as a Lambda function would see and answer it.
// How the event travels (envelope, signature, timeout, error mapping) is the invoker's business
// (http_trigger_invoker.h); services only see this interface, so unit tests script it
// (testing/scripted_invoker.h).

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cognate::triggers {

enum class Trigger {
  kPreSignUp,
  kPostConfirmation,
  kPreAuthentication,
  kPostAuthentication,
  kPreTokenGeneration,
  kCustomMessage,
  kUserMigration,
  kDefineAuthChallenge,
  kCreateAuthChallenge,
  kVerifyAuthChallengeResponse,
};

// The LambdaConfig member that configures `trigger`, which is also the name Cognito uses in
// its error messages ("PreSignUp failed with error ...").
std::string_view TriggerName(Trigger trigger);

// The errors of a failed invocation, in Cognito's wording (shared so every trigger and the
// services that check a response's content say it the same way):
//   UserLambdaValidationException "<TriggerName> failed with error <message>."
Error TriggerRejected(Trigger trigger, std::string_view message);
//   UnexpectedLambdaException "<TriggerName> invocation failed due to error <reason>."
//   (reason: "TimeoutError", "ConnectionError", "ResourceNotFoundException"; [unverified])
Error TriggerUnreachable(Trigger trigger, std::string_view reason);
//   InvalidLambdaResponseException "Invalid lambda function output : <detail>" (e.g.
//   "Invalid JSON"), or "Unrecognizable lambda output" when `detail` is empty.
Error TriggerInvalidResponse(std::string_view detail = {});

// One invocation: what the service knows; the invoker adds the envelope (version, region,
// userPoolId, callerContext) and an empty `response`.
struct TriggerCall {
  std::string trigger_source;   // e.g. "PreSignUp_SignUp"
  std::string user_name;        // the envelope's userName
  std::string client_id;        // callerContext.clientId; "" for admin calls
  boost::json::object request;  // the event's `request` (userAttributes, clientMetadata, ...)
  std::string version = "1";    // the envelope's version (PreTokenGeneration V2_0: "2")
};

class TriggerInvoker {
 public:
  virtual ~TriggerInvoker() = default;

  // True when `pool_config`'s LambdaConfig configures `trigger` (for PreTokenGeneration also
  // PreTokenGenerationConfig). Cheap: services ask before they build an event.
  virtual bool Configured(const boost::json::object& pool_config, Trigger trigger) const = 0;

  // Sends the event and returns its `response` member as the receiver answered it (an object,
  // possibly empty). Errors, as Cognito maps a Lambda function's:
  //   UserLambdaValidationException "<TriggerName> failed with error <errorMessage>."  the
  //       receiver rejected the event: a non-2xx status, or a body with Lambda's error payload
  //       {"errorType": ..., "errorMessage": ...}
  //   UnexpectedLambdaException     the receiver is not configured right, unreachable, or took
  //       longer than the 5-second limit
  //   InvalidLambdaResponseException  the answer is not the event JSON with an object response
  virtual Result<boost::json::object> Invoke(const std::string& pool_id,
                                             const boost::json::object& pool_config,
                                             Trigger trigger, const TriggerCall& call) = 0;
};

// For servers and tests without triggers: nothing is configured, Invoke is never reached.
class NoTriggers final : public TriggerInvoker {
 public:
  bool Configured(const boost::json::object&, Trigger) const override { return false; }
  Result<boost::json::object> Invoke(const std::string&, const boost::json::object&, Trigger,
                                     const TriggerCall&) override;
};

}  // namespace cognate::triggers
