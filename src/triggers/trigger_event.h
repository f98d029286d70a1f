#pragma once
// The wire form of one trigger invocation (cognito-wire.md §7.1): the event JSON a Lambda
// function would receive, and how a receiver's HTTP answer is read back, the way Cognito reads
// a function's result.

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/result.h"
#include "triggers/trigger_invoker.h"

namespace cognate::triggers {

// callerContext.awsSdkVersion: Cognate does not know the caller's SDK (same value as the custom
// sender webhooks).
inline constexpr char kAwsSdkVersion[] = "aws-sdk-unknown-unknown";
// callerContext.clientId of admin calls, as in Cognito's events.
inline constexpr char kNoClientId[] = "CLIENT_ID_NOT_APPLICABLE";

// {"version","triggerSource","region","userPoolId","userName","callerContext":{"awsSdkVersion",
//  "clientId"},"request","response":{}} in that order, serialised.
std::string EventJson(std::string_view region, std::string_view pool_id, const TriggerCall& call);

// A receiver's HTTP answer.
struct ReceiverAnswer {
  long status = 0;
  std::string_view body;
  bool truncated = false;  // The body was longer than the invoker reads.
};

// The event's `response` object, or the error Cognito gives for such a function result:
//   non-2xx status, or a JSON object with Lambda's error payload (a string errorMessage or
//   errorType and no `response`): UserLambdaValidationException (TriggerRejected) with the
//   errorMessage, else "HTTP <status>: <start of the body>" (at most 1024 characters)
//   2xx with a body that is not a JSON object or was too long: InvalidLambdaResponseException
//   "Invalid lambda function output : Invalid JSON" / "... : Response too large"
//   2xx with an object whose `response` is missing or not an object:
//   InvalidLambdaResponseException "Unrecognizable lambda output"
Result<boost::json::object> ReadAnswer(Trigger trigger, const ReceiverAnswer& answer);

// `text` cut to at most `max_bytes` without splitting a UTF-8 sequence, control characters
// turned into spaces (for receiver text that ends up in an error message).
std::string BoundedText(std::string_view text, size_t max_bytes);

}  // namespace cognate::triggers
