#pragma once
// Which sender carries a message: a server-wide default per channel (EMAIL, SMS) and per-pool
// overrides, read from the --delivery-config file:
//
//   {"pools":{"us-east-1_Abc":{"email":"outbox","sms":"webhook"},
//             "us-east-1_Def":{"email":"smtp"}}}
//
// email: "smtp" | "webhook" | "outbox"; sms: "webhook" | "outbox"; a channel a pool does not
// name uses the default. Unknown members and values are refused, so a typo fails at start-up
// instead of silently sending elsewhere.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "delivery/sender.h"

namespace cognate::delivery {

enum class SenderKind { kOutbox, kSmtp, kWebhook };

std::string_view SenderKindName(SenderKind kind);  // "outbox", "smtp", "webhook"

struct PoolDelivery {
  std::optional<SenderKind> email;
  std::optional<SenderKind> sms;
};

struct DeliveryConfig {
  std::map<std::string, PoolDelivery> pools;  // By pool id.
};

// Parses the file's text; InvalidParameterException naming the offending member.
Result<DeliveryConfig> ParseDeliveryConfig(std::string_view json_text);

// The senders one channel can use, by kind (only the configured ones), and its default.
struct ChannelChoices {
  std::map<SenderKind, MessageSender*> senders;
  SenderKind default_kind = SenderKind::kOutbox;
};

class RoutingSender final : public MessageSender {
 public:
  struct Route {
    MessageSender* email = nullptr;
    MessageSender* sms = nullptr;
  };

  // Resolves every pool's choice against what is configured; InvalidParameterException when
  // a pool (or a default) names a kind the channel has no sender for ("email":"smtp" without
  // an SMTP URL). The senders must outlive the router.
  static Result<RoutingSender> Create(const DeliveryConfig& config, const ChannelChoices& email,
                                      const ChannelChoices& sms);

  // Sends through the pool's sender for the message's channel; InternalErrorException for a
  // channel other than EMAIL or SMS.
  Status Send(const OutgoingMessage& message) override;

  // The sender a message of `pool_id` on `channel` goes to (null for an unknown channel).
  MessageSender* SenderFor(const std::string& pool_id, std::string_view channel) const;

 private:
  RoutingSender(Route defaults, std::map<std::string, Route> pools);

  Route defaults_;
  std::map<std::string, Route> pools_;
};

}  // namespace cognate::delivery
