#pragma once
// A MessageSender that POSTs each message as a Cognito custom SMS/email sender event
// (webhook_event.h) to an HTTP(S) endpoint, signed with X-Cognate-Signature
// (webhook_signature.h) under a shared secret.
//
// A 2xx answer means delivered; any other status, a connection or TLS failure or a timeout is
// CodeDeliveryFailureException (detail: the endpoint's scheme://host:port and the status or
// curl's reason; never the body, code or secret). No retries here: wrap it in RetryingSender.
// Redirects are not followed.

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "delivery/curl_transfer.h"
#include "delivery/sender.h"

namespace cognate::delivery {

struct WebhookOptions {
  std::string url;     // http:// or https://
  std::string secret;  // HMAC key for X-Cognate-Signature; must not be empty
  std::string region;  // The event's "region"
  std::string ca_file;
  TransferTimeouts timeouts;
};

class WebhookSender final : public MessageSender {
 public:
  // InvalidParameterException for a URL that is not http(s)://host... or an empty secret.
  static Result<std::unique_ptr<WebhookSender>> Create(WebhookOptions options, const Clock& clock);

  Status Send(const OutgoingMessage& message) override;

 private:
  WebhookSender(WebhookOptions options, const Clock& clock);

  const WebhookOptions options_;
  const Clock& clock_;
};

}  // namespace cognate::delivery
