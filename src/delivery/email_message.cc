#include "delivery/email_message.h"

#include <cstdio>
#include <ctime>

#include "crypto/encoding.h"
#include "delivery/sender.h"

namespace cognate::delivery {
namespace {

constexpr size_t kMaxLineOctets = 998;  // RFC 5322 2.1.1
constexpr size_t kMaxWordBytes = 45;    // 60 base64 characters: a 72-character encoded word
constexpr size_t kMaxQpLine = 76;       // RFC 2045 6.7 (5)

bool IsControl(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

bool HasControl(std::string_view s) {
  for (char c : s)
    if (IsControl(static_cast<unsigned char>(c))) return true;
  return false;
}

bool IsPrintableAscii(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || IsControl(u)) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The display name as a header phrase: atoms as they are, quoted when it has specials,
// encoded words when it is not ASCII.
std::string Phrase(std::string_view name) {
  if (!IsPrintableAscii(name)) return EncodeHeaderText(name);
  if (name.find_first_of("()<>[]:;@\\,.\"") == std::string_view::npos) return std::string(name);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return quoted + "\"";
}

std::string FormatMailbox(const Mailbox& m) {
  if (m.display_name.empty()) return m.address;
  return Phrase(m.display_name) + " <" + m.address + ">";
}

// CRLF line endings for any mix of CRLF, CR and LF.
std::string NormaliseLineEndings(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' || text[i] == '\n') {
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out.append("\r\n");
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// True when CRLF-separated `text` can go as 7bit: ASCII, no NUL or other controls, short lines.
bool FitsSevenBit(std::string_view text) {
  size_t line = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      line = 0;
      ++i;
      continue;
    }
    if (u >= 0x80 || IsControl(u) || ++line > kMaxLineOctets) return false;
  }
  return true;
}

void AppendQpLine(std::string& out, std::string_view line) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  size_t width = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const auto u = static_cast<unsigned char>(line[i]);
    const bool last = i + 1 == line.size();
    const bool literal = (u >= 33 && u <= 126 && u != '=') || ((u == ' ' || u == '\t') && !last);
    const size_t need = literal ? 1 : 3;
    // Keep room for the '=' of a soft break unless this is the line's last token.
    if (width + need > (last ? kMaxQpLine : kMaxQpLine - 1)) {
      out.append("=\r\n");
      width = 0;
    }
    if (literal) {
      out.push_back(static_cast<char>(u));
    } else {
      out.push_back('=');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xf]);
    }
    width += need;
  }
}

}  // namespace

bool IsPlainAddress(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  const size_t at = address.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 == address.size() || at > 64 ||
      address.find('@', at + 1) != std::string_view::npos)
    return false;
  for (char c : address) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return false;
    if (std::string_view("<>(),;:\"\\[]").find(c) != std::string_view::npos) return false;
  }
  return true;
}

Result<Mailbox> ParseMailbox(std::string_view text) {
  text = Trim(text);
  Mailbox m;
  if (const size_t open = text.find('<'); open != std::string_view::npos) {
    if (!text.ends_with('>')) return Error::InvalidParameter("From: missing '>'");
    m.address = std::string(text.substr(open + 1, text.size() - open - 2));
    std::string_view name = Trim(text.substr(0, open));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
      name = name.substr(1, name.size() - 2);
    if (HasControl(name)) return Error::InvalidParameter("From: control characters in the name");
    m.display_name = std::string(name);
  } else {
    m.address = std::string(text);
  }
  if (!IsPlainAddress(m.address))
    return Error::InvalidParameter("From: not a plain address: " + m.address.substr(0, 254));
  return m;
}

std::string EncodeHeaderText(std::string_view text) {
  if (IsPrintableAscii(text) && text.size() <= 900 && text.find("=?") == std::string_view::npos)
    return std::string(text);
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = std::min(text.size(), i + kMaxWordBytes);
    // Back off to a character boundary (never start the next word on a continuation byte).
    while (end < text.size() && end > i + 1 &&
           (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80)
      --end;
    if (!out.empty()) out.append("\r\n ");
    out += "=?UTF-8?B?" + crypto::Base64Encode(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string FormatRfc5322Date(int64_t ms) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int64_t seconds = ms / 1000 - (ms % 1000 < 0 ? 1 : 0);
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string QuotedPrintable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  while (true) {
    const size_t eol = text.find("\r\n");
    AppendQpLine(out, text.substr(0, eol));
    if (eol == std::string_view::npos) break;
    out.append("\r\n");
    text.remove_prefix(eol + 2);
  }
  return out;
}

Result<std::string> BuildEmail(const EmailContent& c) {
  if (!IsPlainAddress(c.from.address) || !IsPlainAddress(c.to))
    return Undeliverable("SMTP: the sender or recipient is not a plain email address");
  if (HasControl(c.subject) || HasControl(c.from.display_name) || HasControl(c.message_id))
    return Undeliverable("SMTP: control characters (CR/LF) in a header value");
  const std::string body = NormaliseLineEndings(c.body);
  const bool seven_bit = FitsSevenBit(body);
  std::string m;
  m.reserve(512 + body.size() * (seven_bit ? 1 : 3));
  m += "Date: " + FormatRfc5322Date(c.date_ms) + "\r\n";
  m += "From: " + FormatMailbox(c.from) + "\r\n";
  m += "To: " + c.to + "\r\n";
  m += "Subject: " + EncodeHeaderText(c.subject) + "\r\n";
  m += "Message-ID: " + c.message_id + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\n";
  m += std::string("Content-Transfer-Encoding: ") + (seven_bit ? "7bit" : "quoted-printable") +
       "\r\n";
  m += "Auto-Submitted: auto-generated\r\n";  // RFC 3834: no vacation auto-replies.
  m += "\r\n";
  m += seven_bit ? body : QuotedPrintable(body);
  if (!m.ends_with("\r\n")) m += "\r\n";
  return m;
}

}  // namespace cognate::delivery
