#pragma once
// A MessageSender that delivers EMAIL messages to an SMTP submission server through libcurl.
//
// - smtp://host[:port] upgrades with STARTTLS: required (the default; a server without it
//   fails the send) or optional (plain text when the server does not offer it; never combine
//   with a password on an untrusted network). smtps://host[:port] is TLS from the first byte.
// - AUTH (PLAIN/LOGIN/...) with `username`/`password` when a username is set; the server
//   certificate is always verified, against `ca_file` when set (private CAs), else the system
//   store.
// - Each Send is one connection with connect and total deadlines; no retries here (wrap it in
//   RetryingSender). Failures are CodeDeliveryFailureException with an operator-facing detail
//   (server, curl's reason, SMTP status), never the password, code or body.
// - The message is built by BuildEmail (email_message.h): RFC 5322 header with an RFC 2047
//   subject, text/plain; charset=utf-8; a CR/LF in any header value is UndeliverableMessage.

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "delivery/curl_transfer.h"
#include "delivery/email_message.h"
#include "delivery/sender.h"

namespace cognate::delivery {

struct SmtpOptions {
  std::string url;               // smtp://host[:port] or smtps://host[:port]
  bool require_starttls = true;  // smtp:// only
  std::string username;          // AUTH when not empty
  std::string password;
  std::string from;  // "addr" or "Display Name <addr>"
  std::string ca_file;
  TransferTimeouts timeouts;
};

class SmtpSender final : public MessageSender {
 public:
  // InvalidParameterException for a URL that is not smtp(s)://host or a malformed From.
  static Result<std::unique_ptr<SmtpSender>> Create(SmtpOptions options, const Clock& clock);

  Status Send(const OutgoingMessage& message) override;

  // The message Send would transmit for `message` (exposed for tests).
  Result<std::string> Compose(const OutgoingMessage& message) const;

 private:
  SmtpSender(SmtpOptions options, Mailbox from, const Clock& clock);
  Status Transmit(const OutgoingMessage& message, std::string& payload) const;

  const SmtpOptions options_;
  const Mailbox from_;
  const Clock& clock_;
};

}  // namespace cognate::delivery
