#pragma once
// The JSON body WebhookSender posts: the event Cognito gives a custom SMS sender or custom
// email sender Lambda trigger (cognito-wire.md section 7), so a function written for Cognito
// can be put behind an HTTP endpoint with little change:
//
//   {"version":"1","triggerSource":"CustomSMSSender_SignUp","region":"us-east-1",
//    "userPoolId":"us-east-1_Abc","userName":"alice",
//    "callerContext":{"awsSdkVersion":"aws-sdk-unknown-unknown","clientId":"<client id>"},
//    "request":{"type":"customSMSSenderRequestV1","code":"123456","clientMetadata":{},
//               "userAttributes":{"sub":"..","phone_number":"+15555550100",..}},
//    "response":{}}
//
// One deliberate difference: Cognito encrypts `code` with the pool's KMS key (AWS Encryption
// SDK, base64); Cognate sends it in plaintext and relies on TLS (use https://) and the
// X-Cognate-Signature header (webhook_signature.h) instead. clientId is
// "CLIENT_ID_NOT_APPLICABLE" for admin actions, as in Cognito's events.

#include <string>
#include <string_view>

#include "common/result.h"
#include "delivery/sender.h"

namespace cognate::delivery {

// The trigger source suffix for an OutgoingMessage purpose ("signup" -> "SignUp",
// "invitation" -> "AdminCreateUser", "mfa"/"otp" -> "Authentication", ...); empty when the
// purpose is unknown.
std::string_view TriggerSuffix(std::string_view purpose);

// "CustomSMSSender_SignUp" / "CustomEmailSender_ForgotPassword"...; UndeliverableMessage for an
// unknown channel or purpose.
Result<std::string> TriggerSource(const OutgoingMessage& message);

// The serialised event for `message` in `region`. userAttributes holds the message's
// user_attributes with email (EMAIL) or phone_number (SMS) set to its destination.
Result<std::string> SenderEventJson(const OutgoingMessage& message, std::string_view region);

}  // namespace cognate::delivery
