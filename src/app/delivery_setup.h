#pragma once
// Builds the MessageSender the services use from the delivery flags (start-up only; throws
// std::runtime_error on a bad configuration, like the rest of start-up):
//
//   outbox (always, DATA/outbox.jsonl)
//   SMTP   (--smtp-url)           wrapped in RetryingSender
//   email/SMS webhooks (--*-webhook-url), wrapped in RetryingSender, signed with the secret
//          from --webhook-secret-file or DATA/webhook-secret (generated, mode 0600)
//   RoutingSender over them: defaults per channel, per-pool choices from --delivery-config
//
// Failed attempts are logged (pool, channel, purpose, attempt, the sender's detail; never the
// destination, code or body).

#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "common/clock.h"
#include "delivery/sender.h"

namespace cognate::delivery {
class OutboxSender;
class RoutingSender;
}  // namespace cognate::delivery

namespace cognate::app {

class MessageDelivery {
 public:
  // `clock` must outlive the result.
  static std::unique_ptr<MessageDelivery> Build(const ServeConfig& config, const Clock& clock);
  ~MessageDelivery();

  // The routing sender; lives as long as this object.
  delivery::MessageSender& sender();
  // "email: smtp (smtps://mail.example.com:465), sms: outbox, 2 pool overrides" for the log.
  const std::string& summary() const { return summary_; }

 private:
  MessageDelivery();

  std::vector<std::unique_ptr<delivery::MessageSender>> owned_;  // Inner senders first.
  std::unique_ptr<delivery::RoutingSender> router_;
  std::string summary_;
};

// The webhook HMAC key: the trimmed content of `secret_file` when given, else of
// DATA/webhook-secret, which is created (random, mode 0600) when missing. Throws when a file
// is unreadable or empty.
// The whole file at `path`, at most `limit` bytes; throws std::runtime_error naming `what`.
std::string ReadSmallFile(const std::string& path, size_t limit, const std::string& what);

// The secret in `path` without trailing whitespace; throws std::runtime_error naming `what`
// when it is missing, empty or too large.
std::string ReadSecretFile(const std::string& path, const std::string& what);

std::string LoadOrCreateWebhookSecret(const std::string& data_dir, const std::string& secret_file);

// The SMTP password from COGNATE_SMTP_PASSWORD (`env_value`, may be null) or `password_file`;
// throws when both or, with a user, neither are given.
std::string SmtpPassword(const DeliveryFlags& flags, const char* env_value);

}  // namespace cognate::app
