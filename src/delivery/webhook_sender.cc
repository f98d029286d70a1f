#include "delivery/webhook_sender.h"

#include <sodium.h>

#include <utility>
#include <vector>

#include "delivery/webhook_event.h"
#include "delivery/webhook_signature.h"

namespace cognate::delivery {

Result<std::unique_ptr<WebhookSender>> WebhookSender::Create(WebhookOptions options,
                                                             const Clock& clock) {
  if (!IsUrlWithScheme(options.url, {"http", "https"}))
    return Error::InvalidParameter("the webhook URL must be http(s)://host[:port][/path]");
  if (options.secret.empty()) return Error::InvalidParameter("the webhook secret is empty");
  return std::unique_ptr<WebhookSender>(new WebhookSender(std::move(options), clock));
}

WebhookSender::WebhookSender(WebhookOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

Status WebhookSender::Send(const OutgoingMessage& message) {
  Result<std::string> body = SenderEventJson(message, options_.region);
  if (!body.ok()) return std::move(body).error();
  const std::vector<std::string> headers = {
      "Content-Type: application/json",
      std::string(kSignatureHeader) + ": " +
          SignWebhook(options_.secret, clock_.NowSeconds(), *body)};
  Result<HttpReply> reply =
      HttpPost(options_.url, headers, *body, {options_.timeouts, options_.ca_file, 64 * 1024});
  sodium_memzero(body->data(), body->size());  // It holds the code.
  if (!reply.ok()) return std::move(reply).error();
  if (reply->status < 200 || reply->status > 299) {
    return DeliveryFailure("Webhook " + RedactedUrl(options_.url) + ": HTTP status " +
                           std::to_string(reply->status));
  }
  return OkStatus();
}

}  // namespace cognate::delivery
