#pragma once
// One-time codes sent to a user's email or phone: sign-up confirmation ("signup"), password
// reset ("reset") and attribute verification ("verify:email", "verify:phone_number").
//
// Send() makes a fresh 6-digit code for (user, purpose), replacing any earlier one, stores only
// its hash with the purpose's lifetime, enforces the per-user send rate, renders the pool's
// message template (or Cognito's default; either rewritten by the pool's CustomMessage trigger)
// and hands the message to the MessageSender. Verify() checks and consumes a code exactly once.
// Thread-safe: holds no mutable state of its own.
//
// Also here: which attribute a pool sends sign-up and recovery codes to, and Cognito's masked
// destinations ("a***@e***", "+*******1234").

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "delivery/sender.h"
#include "identity/user_directory.h"
#include "store/user_records.h"

namespace cognate::identity {

class CodeDelivery {
 public:
  CodeDelivery(UserDirectory& directory, delivery::MessageSender& sender);

  // Creates and sends a code for (user, purpose) to the value of `attribute` ("email" -> EMAIL,
  // "phone_number" -> SMS); `message_purpose` labels the outgoing message ("signup",
  // "forgot-password", "verify-attribute", ...). Returns CodeDeliveryDetailsType
  // {Destination (masked), DeliveryMedium, AttributeName}.
  // Errors: LimitExceededException "Attempt limit exceeded, please try after some time." when the
  // user asked for too many codes of this purpose in the window; InvalidParameterException when
  // the user has no value for `attribute`; the sender's error when delivery fails
  // (CodeDeliveryFailureException): then the previous code, if any, is restored (the failed
  // attempt still counts against the send rate) and the new one never works.
  // `client_id` is the app client of a public call (the webhook event's callerContext.clientId);
  // empty for admin actions. `client_metadata` is the request's ClientMetadata (string values
  // are passed on). The text goes through the pool's CustomMessage trigger when it has one
  // (custom_message.h), before anything is stored: the trigger's errors leave no code and do
  // not count against the send rate.
  Result<boost::json::object> Send(const PoolContext& pool, const store::UserRecord& user,
                                   std::string_view purpose, std::string_view attribute,
                                   std::string_view message_purpose,
                                   std::string_view client_id = {},
                                   const boost::json::object& client_metadata = {}) const;

  // Checks `code` against the stored one and consumes it when it matches (a code works once).
  // CodeMismatchException "Invalid verification code provided, please try again." for a wrong
  // code (the attempt is counted); after kMaxCodeAttempts wrong attempts every further try, even
  // with the right code, gets LimitExceededException "Attempt limit exceeded, please try after
  // some time." until a new code is sent; ExpiredCodeException "Invalid code provided, please
  // request a code again." when there is no code (never sent, already used) or it expired.
  Status Verify(const PoolContext& pool, const store::UserRecord& user, std::string_view purpose,
                std::string_view code) const;

  // The CodeDeliveryDetails Cognito shows for an unknown user when the client sets
  // PreventUserExistenceErrors: a plausible masked destination, nothing sent. `name` is the
  // name the caller gave (used as the destination when it looks like an email or a phone); the
  // answer depends on nothing else, so it reveals nothing about the pool's users.
  static boost::json::object SimulatedDetails(std::string_view name);

  // CodeDeliveryDetailsType for sending to `attribute` with value `value` (masked).
  static boost::json::object Details(std::string_view attribute, std::string_view value);

 private:
  UserDirectory& directory_;
  delivery::MessageSender& sender_;
};

// The string-valued members of an attribute object (OutgoingMessage::user_attributes).
std::map<std::string, std::string> StringAttributes(const boost::json::object& attributes);

// Cognito's masking: "alice@example.com" -> "a***@e***"; "+15551234567" -> "+*******4567"
// (every digit but the last four starred).
std::string MaskEmail(std::string_view email);
std::string MaskPhone(std::string_view phone);

// The attribute SignUp/ResendConfirmationCode sends the confirmation code to: one of the pool's
// AutoVerifiedAttributes the user has a value for; email is preferred when both qualify.
// std::nullopt when the pool auto-verifies nothing the user has.
std::optional<std::string> SignUpCodeAttribute(const PoolContext& pool,
                                               const boost::json::object& attributes);

// The attribute ForgotPassword/AdminResetUserPassword sends the reset code to, following the
// pool's AccountRecoverySetting priorities (verified_email / verified_phone_number; without the
// setting: a verified phone first, then a verified email). InvalidParameterException "Cannot
// reset password for the user as there is no registered/verified email or phone_number" when no
// mechanism applies; NotAuthorizedException when recovery is admin_only.
Result<std::string> RecoveryCodeAttribute(const PoolContext& pool,
                                          const boost::json::object& attributes);

}  // namespace cognate::identity
