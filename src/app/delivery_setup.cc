#include "app/delivery_setup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <utility>

#include "app/log.h"
#include "crypto/random.h"
#include "delivery/outbox_sender.h"
#include "delivery/retrying_sender.h"
#include "delivery/routing_sender.h"
#include "delivery/smtp_sender.h"
#include "delivery/webhook_sender.h"

namespace cognate::app {
namespace {

using delivery::SenderKind;

constexpr size_t kMaxSecretBytes = 4096;
constexpr size_t kMaxConfigBytes = 1 << 20;



void WriteSecretFile(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + tmp);
  const bool ok =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0)
    throw std::runtime_error("cannot write " + path);
}

void LogFailedAttempt(const delivery::OutgoingMessage& m, int attempt, const Error& error,
                      bool again) {
  Log(again ? LogLevel::kWarn : LogLevel::kError,
      again ? "delivery attempt failed" : "delivery failed",
      {{"pool_id", m.pool_id},
       {"channel", m.channel},
       {"purpose", m.purpose},
       {"attempt", attempt},
       {"error", error.message}});
}

// The senders each channel may use, and the owner of all of them.
struct SenderSet {
  std::vector<std::unique_ptr<delivery::MessageSender>>& owned;
  delivery::ChannelChoices email;
  delivery::ChannelChoices sms;

  // Owns `inner` and a RetryingSender around it; returns the latter.
  delivery::MessageSender* Retried(std::unique_ptr<delivery::MessageSender> inner,
                                   const delivery::RetryPolicy& policy) {
    auto outer = std::make_unique<delivery::RetryingSender>(*inner, policy, &LogFailedAttempt);
    delivery::MessageSender* out = outer.get();
    owned.push_back(std::move(inner));
    owned.push_back(std::move(outer));
    return out;
  }
};

// SMTP and the webhooks the flags configure, each behind a RetryingSender.
void AddNetworkSenders(const ServeConfig& c, const Clock& clock, SenderSet& set) {
  const DeliveryFlags& f = c.delivery;
  const int64_t total_ms = int64_t{f.timeout_seconds} * 1000;
  const delivery::TransferTimeouts timeouts{std::min<int64_t>(5000, total_ms), total_ms};
  delivery::RetryPolicy policy;
  policy.attempts = f.attempts;
  if (!f.smtp_url.empty()) {
    auto smtp = delivery::SmtpSender::Create({f.smtp_url, f.smtp_starttls_required, f.smtp_user,
                                              SmtpPassword(f, std::getenv("COGNATE_SMTP_PASSWORD")),
                                              f.smtp_from, f.smtp_ca_file, timeouts},
                                             clock);
    if (!smtp.ok()) throw std::runtime_error("--smtp-*: " + smtp.error().message);
    if (!f.smtp_user.empty() && !f.smtp_starttls_required && f.smtp_url.starts_with("smtp:"))
      Log(LogLevel::kWarn, "the SMTP password may travel unencrypted (--smtp-starttls optional)");
    set.email.senders[SenderKind::kSmtp] = set.Retried(std::move(*smtp), policy);
  }
  if (f.sms_webhook_url.empty() && f.email_webhook_url.empty()) return;
  const std::string secret = LoadOrCreateWebhookSecret(c.data_dir, f.webhook_secret_file);
  for (auto [url, choices] :
       {std::pair{&f.sms_webhook_url, &set.sms}, std::pair{&f.email_webhook_url, &set.email}}) {
    if (url->empty()) continue;
    auto webhook = delivery::WebhookSender::Create(
        {*url, secret, c.region, f.webhook_ca_file, timeouts}, clock);
    if (!webhook.ok()) throw std::runtime_error("webhook: " + webhook.error().message);
    choices->senders[SenderKind::kWebhook] = set.Retried(std::move(*webhook), policy);
  }
}

}  // namespace

// The whole file, at most `limit` bytes; throws naming `what` otherwise.
std::string ReadSmallFile(const std::string& path, size_t limit, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + what + " " + path);
  std::string text;
  text.resize(limit + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > limit) throw std::runtime_error(what + " " + path + " is too large");
  return text;
}

std::string ReadSecretFile(const std::string& path, const std::string& what) {
  std::string secret = ReadSmallFile(path, kMaxSecretBytes, what);
  while (!secret.empty() && std::isspace(static_cast<unsigned char>(secret.back())))
    secret.pop_back();
  if (secret.empty()) throw std::runtime_error(what + " " + path + " is empty");
  return secret;
}

std::string LoadOrCreateWebhookSecret(const std::string& data_dir, const std::string& secret_file) {
  if (!secret_file.empty()) return ReadSecretFile(secret_file, "webhook secret file");
  const std::string path = data_dir + "/webhook-secret";
  if (::access(path.c_str(), F_OK) == 0) {
    ::chmod(path.c_str(), 0600);  // It is a key: keep it private even if loosened by hand.
    return ReadSecretFile(path, "webhook secret file");
  }
  std::string secret = crypto::RandomString(48, crypto::kAlnum);
  WriteSecretFile(path, secret + "\n");
  Log(LogLevel::kInfo, "generated the webhook signing secret", {{"file", path}});
  return secret;
}

std::string SmtpPassword(const DeliveryFlags& flags, const char* env_value) {
  const bool from_env = env_value != nullptr && *env_value != '\0';
  if (from_env && !flags.smtp_password_file.empty())
    throw std::runtime_error("set COGNATE_SMTP_PASSWORD or --smtp-password-file, not both");
  if (flags.smtp_user.empty()) {
    if (from_env || !flags.smtp_password_file.empty())
      throw std::runtime_error("an SMTP password needs --smtp-user");
    return "";
  }
  if (from_env) return env_value;
  if (flags.smtp_password_file.empty())
    throw std::runtime_error("--smtp-user needs COGNATE_SMTP_PASSWORD or --smtp-password-file");
  return ReadSecretFile(flags.smtp_password_file, "SMTP password file");
}

MessageDelivery::MessageDelivery() = default;
MessageDelivery::~MessageDelivery() = default;

delivery::MessageSender& MessageDelivery::sender() { return *router_; }

std::unique_ptr<MessageDelivery> MessageDelivery::Build(const ServeConfig& c, const Clock& clock) {
  std::unique_ptr<MessageDelivery> d(new MessageDelivery());
  const DeliveryFlags& f = c.delivery;
  SenderSet set{d->owned_, {}, {}};

  auto outbox = delivery::OutboxSender::Open(c.data_dir + "/outbox.jsonl", clock);
  if (!outbox.ok()) throw std::runtime_error("cannot open the outbox: " + outbox.error().message);
  set.email.senders[SenderKind::kOutbox] = set.sms.senders[SenderKind::kOutbox] = outbox->get();
  d->owned_.push_back(std::move(*outbox));
  AddNetworkSenders(c, clock, set);
  set.email.default_kind = !f.smtp_url.empty()            ? SenderKind::kSmtp
                           : !f.email_webhook_url.empty() ? SenderKind::kWebhook
                                                          : SenderKind::kOutbox;
  set.sms.default_kind = f.sms_webhook_url.empty() ? SenderKind::kOutbox : SenderKind::kWebhook;

  delivery::DeliveryConfig config;
  if (!f.config_file.empty()) {
    auto parsed = delivery::ParseDeliveryConfig(
        ReadSmallFile(f.config_file, kMaxConfigBytes, "--delivery-config"));
    if (!parsed.ok())
      throw std::runtime_error("--delivery-config " + f.config_file + ": " +
                               parsed.error().message);
    config = std::move(*parsed);
  }
  auto router = delivery::RoutingSender::Create(config, set.email, set.sms);
  if (!router.ok()) throw std::runtime_error("message delivery: " + router.error().message);
  d->router_ = std::make_unique<delivery::RoutingSender>(std::move(*router));
  d->summary_ = "email: " + std::string(SenderKindName(set.email.default_kind)) +
                ", sms: " + std::string(SenderKindName(set.sms.default_kind)) + ", " +
                std::to_string(config.pools.size()) + " pool override(s)";
  return d;
}

}  // namespace cognate::app
