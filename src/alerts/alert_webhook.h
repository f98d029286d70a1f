#pragma once
// Delivers alerts as signed JSON POSTs (X-Cognate-Signature, delivery/webhook_signature.h, with
// the server's webhook secret) from a thread of its own, so a slow receiver never holds up a
// sign-in. One attempt per alert; a failure is reported to `on_failure` (the log). At most
// kMaxQueued alerts wait; more are dropped and reported.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "alerts/alert_engine.h"
#include "common/clock.h"

namespace cognate::alerts {

// The alert as the webhook body and the log show it.
std::string AlertJson(const Alert& alert);

class AlertWebhook {
 public:
  static constexpr std::size_t kMaxQueued = 1000;
  using OnFailure = std::function<void(const std::string& detail)>;

  AlertWebhook(std::string url, std::string secret, const Clock& clock, OnFailure on_failure);
  ~AlertWebhook();  // Sends what is queued (each within its timeout), then stops.
  AlertWebhook(const AlertWebhook&) = delete;
  AlertWebhook& operator=(const AlertWebhook&) = delete;

  void Post(std::string body);

 private:
  void Run();

  const std::string url_;
  const std::string secret_;
  const Clock& clock_;
  OnFailure on_failure_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::string> queue_;  // guarded by mu_
  bool stopping_ = false;          // guarded by mu_
  std::thread thread_;
};

}  // namespace cognate::alerts
