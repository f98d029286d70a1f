#pragma once
// RFC 5322 messages for SmtpSender: header fields, RFC 2047 encoded words, the body's
// transfer encoding. Pure functions, unit-tested without a server.
//
// Header injection is impossible by construction: every value placed in a header is checked
// for CR, LF and other control characters first (a message that fails is UndeliverableMessage),
// and addresses must be plain ASCII addr-specs.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cognate::delivery {

struct Mailbox {
  std::string display_name;  // May be empty; any UTF-8 (encoded when needed).
  std::string address;       // addr-spec: local@domain, printable ASCII, no spaces.
};

// "alice@example.com" or "Alice Example <alice@example.com>" (the name optionally quoted).
// InvalidParameterException when malformed.
Result<Mailbox> ParseMailbox(std::string_view text);

// True for a plain ASCII addr-spec of at most 254 characters: one '@' with text on both
// sides, printable characters only, none of space, '<', '>', '(', ')', ',', ';', ':', '"', '\'.
bool IsPlainAddress(std::string_view address);

// `text` as header field content: unchanged when it is printable ASCII (tabs allowed) and
// short enough, else RFC 2047 "=?UTF-8?B?...?=" words of at most 75 characters, folded onto
// continuation lines, never splitting a UTF-8 sequence. Callers reject CR/LF first.
std::string EncodeHeaderText(std::string_view text);

// "Tue, 14 Nov 2023 22:13:20 +0000" for epoch milliseconds `ms` (RFC 5322 date-time, UTC).
std::string FormatRfc5322Date(int64_t ms);

struct EmailContent {
  Mailbox from;
  std::string to;       // addr-spec
  std::string subject;  // UTF-8, no CR/LF
  std::string body;     // UTF-8 text; any line ending (normalised to CRLF)
  int64_t date_ms = 0;
  std::string message_id;  // "<unique@domain>"
};

// The whole message (header, blank line, body), CRLF line endings, text/plain; charset=utf-8.
// The body is sent as 7bit when it is ASCII with lines of at most 998 octets, else as
// quoted-printable. Dot-stuffing is left to the SMTP client (libcurl escapes "\r\n." in DATA).
// UndeliverableMessage when an address is not plain or a header value holds CR, LF or another
// control character.
Result<std::string> BuildEmail(const EmailContent& content);

// Quoted-printable (RFC 2045 6.7) of CRLF-separated `text`: lines of at most 76 characters,
// soft breaks "=\r\n", trailing white space encoded.
std::string QuotedPrintable(std::string_view text);

}  // namespace cognate::delivery
