// RFC 5322 message building for SmtpSender: addresses, encoded words, dates, transfer
// encodings and refusal of header injection.

#include "delivery/email_message.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "delivery/sender.h"

namespace cognate::delivery {
namespace {

// The decoded text of "=?UTF-8?B?...?=" words separated by folding, and the words themselves.
std::string DecodeWords(const std::string& header, std::vector<std::string>* words = nullptr) {
  std::string out;
  size_t pos = 0;
  while ((pos = header.find("=?UTF-8?B?", pos)) != std::string::npos) {
    const size_t end = header.find("?=", pos + 10);
    if (words) words->push_back(header.substr(pos, end + 2 - pos));
    auto bytes = crypto::Base64Decode(header.substr(pos + 10, end - pos - 10));
    EXPECT_TRUE(bytes.has_value());
    out += bytes.value_or("");
    pos = end + 2;
  }
  return out;
}

// True when `s` is whole UTF-8 sequences only (no truncated or stray continuation bytes).
bool WholeUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    i += n;
  }
  return true;
}

EmailContent Content() {
  EmailContent c;
  c.from = {"Cognate", "no-reply@example.com"};
  c.to = "alice@example.com";
  c.subject = "Your verification code";
  c.body = "Your code is 123456";
  c.date_ms = 1'700'000'000'000;
  c.message_id = "<abc@example.com>";
  return c;
}

TEST(EmailAddressTest, PlainAddresses) {
  EXPECT_TRUE(IsPlainAddress("alice@example.com"));
  EXPECT_TRUE(IsPlainAddress("a.b+tag@sub.example.co"));
  EXPECT_FALSE(IsPlainAddress(""));
  EXPECT_FALSE(IsPlainAddress("alice"));
  EXPECT_FALSE(IsPlainAddress("@example.com"));
  EXPECT_FALSE(IsPlainAddress("alice@"));
  EXPECT_FALSE(IsPlainAddress("a@b@c"));
  EXPECT_FALSE(IsPlainAddress("alice @example.com"));
  EXPECT_FALSE(IsPlainAddress("alice@example.com\r\nBcc: eve@example.com"));
  EXPECT_FALSE(IsPlainAddress("alice@example.com>"));
  EXPECT_FALSE(IsPlainAddress("\"quoted\"@example.com"));
  EXPECT_FALSE(IsPlainAddress("\xc3\xa9@example.com"));
  EXPECT_FALSE(IsPlainAddress(std::string(250, 'a') + "@b.co"));
}

TEST(EmailAddressTest, ParsesFromWithAndWithoutName) {
  auto plain = ParseMailbox(" no-reply@example.com ");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->address, "no-reply@example.com");
  EXPECT_EQ(plain->display_name, "");
  auto named = ParseMailbox("\"Example, Inc.\" <no-reply@example.com>");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->display_name, "Example, Inc.");
  EXPECT_EQ(named->address, "no-reply@example.com");
  EXPECT_FALSE(ParseMailbox("Name <no-reply@example.com").ok());
  EXPECT_FALSE(ParseMailbox("Name\r\nBcc: x <no-reply@example.com>").ok());
  EXPECT_FALSE(ParseMailbox("Name <not an address>").ok());
}

TEST(EmailHeaderTest, AsciiTextIsUnchanged) {
  EXPECT_EQ(EncodeHeaderText("Your verification code"), "Your verification code");
}

TEST(EmailHeaderTest, NonAsciiBecomesEncodedWords) {
  const std::string subject = "V\xc3\xa9rification \xe2\x80\x94 code";  // "Vérification — code"
  const std::string encoded = EncodeHeaderText(subject);
  EXPECT_TRUE(encoded.starts_with("=?UTF-8?B?")) << encoded;
  EXPECT_EQ(DecodeWords(encoded), subject);
  // Text that looks like an encoded word is encoded too, so it cannot be misread.
  EXPECT_TRUE(EncodeHeaderText("=?x?").starts_with("=?UTF-8?B?"));
}

TEST(EmailHeaderTest, LongTextFoldsWithoutSplittingCharacters) {
  std::string subject;
  for (int i = 0; i < 60; ++i) subject += "\xc3\xa9\xe2\x82\xac";  // "é€" (5 bytes)
  const std::string encoded = EncodeHeaderText(subject);
  std::vector<std::string> words;
  EXPECT_EQ(DecodeWords(encoded, &words), subject);
  ASSERT_GT(words.size(), 1u);
  for (const std::string& w : words) {
    EXPECT_LE(w.size(), 75u) << w;
    auto bytes = crypto::Base64Decode(w.substr(10, w.size() - 12));
    EXPECT_TRUE(WholeUtf8(bytes.value_or("\xff"))) << w;
  }
  EXPECT_NE(encoded.find("\r\n "), std::string::npos) << "words are folded";
}

TEST(EmailHeaderTest, DateIsRfc5322InUtc) {
  EXPECT_EQ(FormatRfc5322Date(1'700'000'000'000), "Tue, 14 Nov 2023 22:13:20 +0000");
  EXPECT_EQ(FormatRfc5322Date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
}

TEST(QuotedPrintableTest, EncodesWhatMustBeEncoded) {
  EXPECT_EQ(QuotedPrintable("caf\xc3\xa9"), "caf=C3=A9");
  EXPECT_EQ(QuotedPrintable("a=b"), "a=3Db");
  EXPECT_EQ(QuotedPrintable("trailing \r\nspace\t"), "trailing=20\r\nspace=09");
  EXPECT_EQ(QuotedPrintable("in between"), "in between");
}

TEST(QuotedPrintableTest, LongLinesGetSoftBreaks) {
  const std::string line(200, 'a');
  const std::string qp = QuotedPrintable(line + "\xc3\xa9");
  std::string joined;
  size_t start = 0;
  while (true) {
    const size_t eol = qp.find("\r\n", start);
    const std::string piece = qp.substr(start, eol - start);
    EXPECT_LE(piece.size(), 76u);
    if (eol == std::string::npos) {
      joined += piece;
      break;
    }
    ASSERT_TRUE(piece.ends_with("=")) << "only soft breaks expected: " << piece;
    joined += piece.substr(0, piece.size() - 1);
    start = eol + 2;
  }
  EXPECT_EQ(joined, line + "=C3=A9");
}

TEST(BuildEmailTest, HeaderAndSevenBitBody) {
  auto m = BuildEmail(Content());
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(*m,
            "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
            "From: Cognate <no-reply@example.com>\r\n"
            "To: alice@example.com\r\n"
            "Subject: Your verification code\r\n"
            "Message-ID: <abc@example.com>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 7bit\r\n"
            "Auto-Submitted: auto-generated\r\n"
            "\r\n"
            "Your code is 123456\r\n");
}

TEST(BuildEmailTest, LineEndingsBecomeCrlfAndDotsAreLeftToSmtp) {
  EmailContent c = Content();
  c.body = "line one\n.dot line\rline three\r\n";
  auto m = BuildEmail(c);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->ends_with("\r\n\r\nline one\r\n.dot line\r\nline three\r\n")) << *m;
  for (size_t i = 0; i < m->size(); ++i) {
    if ((*m)[i] == '\n') EXPECT_EQ((*m)[i - 1], '\r') << "bare LF at " << i;
    if ((*m)[i] == '\r') EXPECT_EQ((*m)[i + 1], '\n') << "bare CR at " << i;
  }
}

TEST(BuildEmailTest, NonAsciiBodyAndSubjectAreEncoded) {
  EmailContent c = Content();
  c.subject =
      "C\xc3\xb3"
      "digo";
  c.body =
      "Tu c\xc3\xb3"
      "digo es 123456";
  c.from.display_name = "\xc3\x89quipe";
  auto m = BuildEmail(c);
  ASSERT_TRUE(m.ok());
  EXPECT_NE(m->find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
  EXPECT_NE(m->find("\r\n\r\nTu c=C3=B3digo es 123456\r\n"), std::string::npos) << *m;
  EXPECT_NE(m->find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(m->find("From: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(m->find("?= <no-reply@example.com>\r\n"), std::string::npos);
}

TEST(BuildEmailTest, HeaderInjectionIsRefused) {
  const std::string injections[] = {"\r\nBcc: eve@example.com", "\nBcc: eve@example.com", "\rX: y",
                                    std::string("\0x", 2)};
  for (const std::string& evil : injections) {
    EmailContent subject = Content();
    subject.subject += evil;
    EmailContent to = Content();
    to.to += evil;
    EmailContent name = Content();
    name.from.display_name += evil;
    for (const EmailContent& c : {subject, to, name}) {
      auto m = BuildEmail(c);
      ASSERT_FALSE(m.ok()) << *m;
      EXPECT_EQ(m.error().type, kUndeliverable);
    }
  }
}

}  // namespace
}  // namespace cognate::delivery
