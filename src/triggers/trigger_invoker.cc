#include "triggers/trigger_invoker.h"

namespace cognate::triggers {

std::string_view TriggerName(Trigger trigger) {
  switch (trigger) {
    case Trigger::kPreSignUp: return "PreSignUp";
    case Trigger::kPostConfirmation: return "PostConfirmation";
    case Trigger::kPreAuthentication: return "PreAuthentication";
    case Trigger::kPostAuthentication: return "PostAuthentication";
    case Trigger::kPreTokenGeneration: return "PreTokenGeneration";
    case Trigger::kCustomMessage: return "CustomMessage";
    case Trigger::kUserMigration: return "UserMigration";
    case Trigger::kDefineAuthChallenge: return "DefineAuthChallenge";
    case Trigger::kCreateAuthChallenge: return "CreateAuthChallenge";
    case Trigger::kVerifyAuthChallengeResponse: return "VerifyAuthChallengeResponse";
  }
  return "";
}

Error TriggerRejected(Trigger trigger, std::string_view message) {
  return Error::Make("UserLambdaValidationException", std::string(TriggerName(trigger)) +
                                                          " failed with error " +
                                                          std::string(message) + ".");
}

Error TriggerUnreachable(Trigger trigger, std::string_view reason) {
  return Error::Make("UnexpectedLambdaException", std::string(TriggerName(trigger)) +
                                                      " invocation failed due to error " +
                                                      std::string(reason) + ".");
}

Error TriggerInvalidResponse(std::string_view detail) {
  if (detail.empty()) return Error::Make("InvalidLambdaResponseException",
                                         "Unrecognizable lambda output");
  return Error::Make("InvalidLambdaResponseException",
                     "Invalid lambda function output : " + std::string(detail));
}

Result<boost::json::object> NoTriggers::Invoke(const std::string&, const boost::json::object&,
                                               Trigger trigger, const TriggerCall&) {
  return TriggerUnreachable(trigger, "ResourceNotFoundException");
}

}  // namespace cognate::triggers
