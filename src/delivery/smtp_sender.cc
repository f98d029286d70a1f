#include "delivery/smtp_sender.h"

#include <curl/curl.h>
#include <sodium.h>

#include <cstring>
#include <utility>

#include "crypto/encoding.h"
#include "crypto/random.h"

namespace cognate::delivery {
namespace {

// libcurl pulls the DATA payload through this callback.
struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t ReadPayload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

std::string Domain(const std::string& address) { return address.substr(address.find('@') + 1); }

}  // namespace

Result<std::unique_ptr<SmtpSender>> SmtpSender::Create(SmtpOptions options, const Clock& clock) {
  if (!IsUrlWithScheme(options.url, {"smtp", "smtps"}))
    return Error::InvalidParameter(
        "the SMTP URL must be smtp://host[:port] or smtps://host[:port]");
  Result<Mailbox> from = ParseMailbox(options.from);
  if (!from.ok()) return std::move(from).error();
  return std::unique_ptr<SmtpSender>(new SmtpSender(std::move(options), std::move(*from), clock));
}

SmtpSender::SmtpSender(SmtpOptions options, Mailbox from, const Clock& clock)
    : options_(std::move(options)), from_(std::move(from)), clock_(clock) {}

Result<std::string> SmtpSender::Compose(const OutgoingMessage& message) const {
  if (message.channel != "EMAIL")
    return Undeliverable("SMTP: cannot send a " + message.channel.substr(0, 16) + " message");
  EmailContent content;
  content.from = from_;
  content.to = message.destination;
  content.subject = message.subject;
  content.body = message.body;
  content.date_ms = clock_.NowMs();
  content.message_id =
      "<" + crypto::HexEncode(crypto::RandomBytes(16)) + "@" + Domain(from_.address) + ">";
  return BuildEmail(content);
}

Status SmtpSender::Send(const OutgoingMessage& message) {
  Result<std::string> payload = Compose(message);
  if (!payload.ok()) return std::move(payload).error();
  Status sent = Transmit(message, *payload);
  sodium_memzero(payload->data(), payload->size());  // It holds the code.
  return sent;
}

Status SmtpSender::Transmit(const OutgoingMessage& message, std::string& payload) const {
  const std::string where = "SMTP " + RedactedUrl(options_.url);
  CurlHandle handle = NewCurlHandle("smtp,smtps", options_.timeouts, options_.ca_file);
  CurlList recipients;
  if (!handle || !Append(recipients, "<" + message.destination + ">"))
    return DeliveryFailure(where + ": out of memory");
  CURL* h = handle.get();
  const std::string mail_from = "<" + from_.address + ">";
  Upload upload{payload, 0};
  curl_easy_setopt(h, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(h, CURLOPT_USE_SSL,
                   options_.require_starttls || options_.url.starts_with("smtps:")
                       ? static_cast<long>(CURLUSESSL_ALL)
                       : static_cast<long>(CURLUSESSL_TRY));
  if (!options_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, &ReadPayload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  const CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OK) return OkStatus();
  long smtp_status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &smtp_status);
  std::string detail = where + ": " + curl_easy_strerror(rc);
  if (smtp_status != 0) detail += " (last reply " + std::to_string(smtp_status) + ")";
  return DeliveryFailure(std::move(detail));
}

}  // namespace cognate::delivery
