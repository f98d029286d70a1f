#pragma once
// The CustomMessage trigger (cognito-wire.md §7.2): before a code, temporary password or MFA
// code goes out, a pool that configures CustomMessage lets its receiver rewrite the text.
//
// The event's request is {userAttributes (sub and cognito:user_status included), codeParameter
// "{####}", linkParameter "{##Click Here##}", usernameParameter ("{username}" for
// CustomMessage_AdminCreateUser, else null), clientMetadata?}; the receiver answers smsMessage,
// emailMessage and emailSubject. A member that is absent or null keeps the pool's template (or
// Cognito's default); a string replaces it, and the code (and username) placeholders are then
// substituted as in a template (codes.h RenderMessage).
//
// What Cognate refuses, as InvalidLambdaResponseException "Invalid lambda function output :
// ...", so that nothing is stored or sent: a member that is neither a string nor null; an
// emailMessage or smsMessage without the codeParameter (and, for AdminCreateUser, without the
// usernameParameter: the invited user needs both); an emailMessage over 20,000 characters, an
// smsMessage over 1,600 or an emailSubject over 140 or with control characters (a line break
// would forge mail headers). Cognito checks the same rules against its template constraints and
// answers a validation error (InvalidParameterException "... 'emailBody' failed to satisfy
// constraint: Member must satisfy regular expression pattern ...\{####\}..."), or falls back
// to its default text for an over-long message; Cognate reports it as the trigger's fault.
//
// The trigger source follows the message's purpose (delivery::TriggerSuffix): "signup" ->
// CustomMessage_SignUp, "resend" -> _ResendCode, "forgot-password" and "admin-reset" ->
// _ForgotPassword, "verify-attribute" -> _VerifyUserAttribute, "update-attribute" ->
// _UpdateUserAttribute, "invitation" -> _AdminCreateUser, "mfa" and "otp" -> _Authentication.

#include <boost/json/object.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"
#include "delivery/sender.h"
#include "identity/user_directory.h"
#include "store/user_records.h"

namespace cognate::identity {

inline constexpr std::string_view kCodeParameter = "{####}";
inline constexpr std::string_view kUsernameParameter = "{username}";
inline constexpr std::string_view kLinkParameter = "{##Click Here##}";

inline constexpr size_t kMaxCustomEmailMessage = 20000;
inline constexpr size_t kMaxCustomSmsMessage = 1600;
inline constexpr size_t kMaxCustomEmailSubject = 140;

// A message's texts before the code goes in: the pool's templates or Cognito's defaults, with
// "{####}" (and "{username}") still in them.
struct MessageTemplates {
  std::string email_subject;
  std::string email_message;
  std::string sms_message;
};

// Whom and what a message is for; the event's triggerSource, userName, userAttributes,
// callerContext.clientId and clientMetadata come from here.
struct MessageContext {
  const store::UserRecord& user;  // as the event should show it (for an address change, the
                                  // copy that holds the new address)
  std::string_view purpose;       // the OutgoingMessage purpose ("signup", "invitation", ...)
  std::string_view client_id;     // "" for admin actions
  const boost::json::object& client_metadata;  // the request's ClientMetadata; may be empty
};

// `templates` as the pool's CustomMessage receiver rewrites them (one call, whatever the
// channels); unchanged, without building an event, when the pool does not configure the
// trigger. Errors: the invoker's (UserLambdaValidationException, UnexpectedLambdaException,
// InvalidLambdaResponseException), the answer checks above, and InternalErrorException for a
// purpose without a trigger source.
Result<MessageTemplates> CustomizeMessages(const UserDirectory& directory, const PoolContext& pool,
                                           const MessageContext& context,
                                           MessageTemplates templates);

// Writes message.body (and message.subject for EMAIL; cleared for SMS) from `texts`, with the
// code and username placeholders substituted (message.code, message.username).
void RenderTemplates(const MessageTemplates& texts, delivery::OutgoingMessage& message);

// One message: CustomizeMessages for `user` and the message's purpose, client_id and
// client_metadata, then RenderTemplates. `message` must already carry channel, purpose, code,
// username, client_id and client_metadata. This is the call for every message of a single
// channel (codes, SMS MFA: "mfa" -> CustomMessage_Authentication).
Status RenderCustomMessage(const UserDirectory& directory, const PoolContext& pool,
                           const store::UserRecord& user, const MessageTemplates& templates,
                           delivery::OutgoingMessage& message);

// "CustomMessage_<suffix>" for an OutgoingMessage purpose; "" when the purpose has none.
std::string CustomMessageSource(std::string_view purpose);

}  // namespace cognate::identity
