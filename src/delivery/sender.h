#pragma once
// Delivery of codes and invitations. Identity services build an OutgoingMessage and hand it to a
// MessageSender; where it goes (a local outbox file, SMTP, an SMS gateway) is the sender's
// business. Messages hold codes and temporary passwords: senders must never log them.

#include <string>

#include "common/result.h"

namespace cognate::delivery {

struct OutgoingMessage {
  std::string pool_id;
  std::string username;
  std::string channel;      // "EMAIL" | "SMS" (Cognito's DeliveryMediumType).
  std::string destination;  // Email address or E.164 phone number.
  // "signup" | "resend" | "forgot-password" | "verify-attribute" | "invitation" | "admin-reset"
  std::string purpose;
  std::string code;     // The code or temporary password the message carries.
  std::string subject;  // Email only; empty for SMS.
  std::string body;     // Rendered text, placeholders already substituted.
};

class MessageSender {
 public:
  virtual ~MessageSender() = default;
  // Thread-safe. An error means the message was not accepted for delivery
  // (InternalErrorException); the caller decides whether the operation still succeeds.
  virtual Status Send(const OutgoingMessage& message) = 0;
};

}  // namespace cognate::delivery
