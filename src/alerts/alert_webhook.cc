#include "alerts/alert_webhook.h"

#include <boost/json.hpp>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "delivery/curl_transfer.h"
#include "delivery/webhook_signature.h"

namespace cognate::alerts {

std::string AlertJson(const Alert& alert) {
  boost::json::object o{{"alert", alert.rule},
                        {"kind", KindName(alert.kind)},
                        {"pool_id", alert.pool_id},
                        {"failed_sign_ins", alert.failed},
                        {"sign_ins", alert.total},
                        {"window_start", FormatUtc(alert.window_start_ms, "%Y-%m-%dT%H:%M:%SZ")},
                        {"window_end", FormatUtc(alert.window_end_ms, "%Y-%m-%dT%H:%M:%SZ")}};
  if (alert.kind == RuleKind::kFailedPerUser) o["username"] = alert.subject;
  if (!alert.event_id.empty()) o["event_id"] = alert.event_id;
  if (!alert.feedback_token.empty()) o["feedback_token"] = alert.feedback_token;
  if (alert.kind == RuleKind::kFailedPerIp) o["source_ip"] = alert.subject;
  return boost::json::serialize(o);
}

AlertWebhook::AlertWebhook(std::string url, std::string secret, const Clock& clock,
                           OnFailure on_failure)
    : url_(std::move(url)), secret_(std::move(secret)), clock_(clock),
      on_failure_(std::move(on_failure)), thread_([this] { Run(); }) {}

AlertWebhook::~AlertWebhook() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void AlertWebhook::Post(std::string body) {
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= kMaxQueued) {
      on_failure_("alert queue full; alert dropped");
      return;
    }
    queue_.push_back(std::move(body));
  }
  wake_.notify_one();
}

void AlertWebhook::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    std::string body = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    const std::vector<std::string> headers = {
        "Content-Type: application/json",
        std::string(delivery::kSignatureHeader) + ": " +
            delivery::SignWebhook(secret_, clock_.NowSeconds(), body)};
    auto reply = delivery::HttpPost(url_, headers, body, {{2'000, 5'000}, "", 4096});
    if (!reply.ok()) {
      on_failure_(reply.error().message);
    } else if (reply->status < 200 || reply->status > 299) {
      on_failure_(delivery::RedactedUrl(url_) + ": HTTP status " + std::to_string(reply->status));
    }
    lock.lock();
  }
}

}  // namespace cognate::alerts
