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

Result<boost::json::object> NoTriggers::Invoke(const std::string&, const boost::json::object&,
                                               Trigger trigger, const TriggerCall&) {
  return Error::Make("UnexpectedLambdaException",
                     std::string(TriggerName(trigger)) + " is not configured.");
}

}  // namespace cognate::triggers
