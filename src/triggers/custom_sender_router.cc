#include "triggers/custom_sender_router.h"

#include <utility>

#include "delivery/webhook_sender.h"
#include "identity/json_fields.h"
#include "triggers/trigger_secret.h"

namespace cognate::triggers {

std::string CustomSenderTarget(const boost::json::object& pool_config, std::string_view channel) {
  const boost::json::object* lambda = identity::GetObject(pool_config, "LambdaConfig");
  if (lambda == nullptr) return "";
  const boost::json::object* sender = identity::GetObject(
      *lambda, channel == "SMS" ? "CustomSMSSender" : "CustomEmailSender");
  if (sender == nullptr) return "";
  return identity::GetString(*sender, "LambdaArn").value_or("");
}

CustomSenderRouter::CustomSenderRouter(store::PoolStore& pools, const TriggerTargets& targets,
                                       const crypto::KeyEncryptionKey& kek, const Clock& clock,
                                       CustomSenderOptions options,
                                       delivery::MessageSender& fallback)
    : pools_(pools),
      targets_(targets),
      kek_(kek),
      clock_(clock),
      options_(std::move(options)),
      fallback_(fallback) {}

Status CustomSenderRouter::Send(const delivery::OutgoingMessage& message) {
  auto pool = pools_.GetPool(message.pool_id);
  if (!pool.ok()) return std::move(pool).error();
  if (!pool->has_value()) return fallback_.Send(message);
  auto config = identity::ParseStoredObject((*pool)->config_json);
  if (!config.ok()) return std::move(config).error();
  std::string target = CustomSenderTarget(*config, message.channel);
  if (target.empty()) return fallback_.Send(message);
  // The trigger named only matters for the wording of an unmapped ARN's error.
  auto url = targets_.Resolve(Trigger::kCustomMessage, target);
  if (!url.ok()) return delivery::DeliveryFailure("The pool's custom sender has no URL.");
  auto webhook = delivery::WebhookSender::Create(
      {*url, TriggerSecret(kek_, message.pool_id), options_.region, options_.ca_file,
       options_.timeouts},
      clock_);
  if (!webhook.ok()) return delivery::DeliveryFailure("The pool's custom sender is not usable.");
  delivery::RetryingSender retrying(**webhook, options_.retry);
  return retrying.Send(message);
}

}  // namespace cognate::triggers
