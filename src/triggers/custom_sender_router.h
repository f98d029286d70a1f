#pragma once
// A pool's CustomSMSSender / CustomEmailSender (LambdaConfig {LambdaVersion, LambdaArn}): its
// codes go to that receiver, as Cognito's custom sender event signed with the pool's trigger
// secret (trigger_secret.h), instead of the server-wide route. A pool without the setting uses
// `fallback`. Sending is retried like every delivery (delivery/retrying_sender.h); a failure
// that persists is CodeDeliveryFailureException, as from any sender.

#include <string>

#include "common/clock.h"
#include "crypto/kek.h"
#include "delivery/curl_transfer.h"
#include "delivery/retrying_sender.h"
#include "delivery/sender.h"
#include "store/stores.h"
#include "triggers/trigger_targets.h"

namespace cognate::triggers {

struct CustomSenderOptions {
  std::string region;
  std::string ca_file;
  delivery::TransferTimeouts timeouts{5'000, 5'000};
  delivery::RetryPolicy retry;
};

class CustomSenderRouter final : public delivery::MessageSender {
 public:
  // Everything must outlive the router.
  CustomSenderRouter(store::PoolStore& pools, const TriggerTargets& targets,
                     const crypto::KeyEncryptionKey& kek, const Clock& clock,
                     CustomSenderOptions options, delivery::MessageSender& fallback);

  Status Send(const delivery::OutgoingMessage& message) override;

 private:
  store::PoolStore& pools_;
  const TriggerTargets& targets_;
  const crypto::KeyEncryptionKey& kek_;
  const Clock& clock_;
  const CustomSenderOptions options_;
  delivery::MessageSender& fallback_;
};

// The LambdaArn (URL or ARN) of the pool's custom sender for `channel` ("SMS" | "EMAIL"), or
// "" when the pool has none.
std::string CustomSenderTarget(const boost::json::object& pool_config, std::string_view channel);

}  // namespace cognate::triggers
