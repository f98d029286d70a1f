#pragma once
// Delivery of codes and invitations. Identity and sign-in services build an OutgoingMessage and
// hand it to a MessageSender; where it goes (a local outbox file, SMTP, a webhook in the shape
// of Cognito's custom sender triggers) is the sender's business. Messages hold codes and
// temporary passwords: senders must never log them.

#include <map>
#include <string>

#include "common/error.h"
#include "common/result.h"

namespace cognate::delivery {

struct OutgoingMessage {
  std::string pool_id;
  std::string username;
  std::string channel;      // "EMAIL" | "SMS" (Cognito's DeliveryMediumType).
  std::string destination;  // Email address or E.164 phone number.
  // "signup" | "resend" | "forgot-password" | "admin-reset" | "verify-attribute" |
  // "update-attribute" | "invitation" | "mfa" (SMS_MFA) | "otp" (EMAIL_OTP); see TriggerSuffix
  // in webhook_event.h for the Cognito trigger source each one maps to.
  std::string purpose;
  std::string code;     // The code or temporary password the message carries.
  std::string subject;  // Email only; empty for SMS.
  std::string body;     // Rendered text, placeholders already substituted.
  // Optional context for senders that pass it on (the webhook event): the app client of the
  // call (empty for admin actions), the user's attributes (name -> value, sub included) and
  // the request's ClientMetadata.
  std::string client_id;
  std::map<std::string, std::string> user_attributes;
  std::map<std::string, std::string> client_metadata;
};

// What Cognito answers when a code or invitation cannot be delivered (RetryingSender gives it
// Cognito's message; network senders use the type with an operator-facing detail message).
inline constexpr char kCodeDeliveryFailure[] = "CodeDeliveryFailureException";
// A message no retry can deliver (e.g. a CR/LF in a header value, an unknown purpose). Never
// reaches the wire: RetryingSender turns it into CodeDeliveryFailureException at once.
inline constexpr char kUndeliverable[] = "UndeliverableMessage";

// Errors for network senders. `detail` is for the operator's log (host, status, curl's
// reason); it never holds the code, the body or a credential.
inline Error DeliveryFailure(std::string detail) {
  return Error::Make(kCodeDeliveryFailure, std::move(detail));
}
inline Error Undeliverable(std::string detail) {
  return Error::Make(kUndeliverable, std::move(detail));
}

class MessageSender {
 public:
  virtual ~MessageSender() = default;
  // Thread-safe; may block on network I/O (callers run on worker threads). An error means the
  // message was not accepted for delivery: CodeDeliveryFailureException (network senders,
  // after RetryingSender's retries) or InternalErrorException (the outbox). The caller undoes
  // what it stored for the message and returns the error.
  virtual Status Send(const OutgoingMessage& message) = 0;
};

}  // namespace cognate::delivery
