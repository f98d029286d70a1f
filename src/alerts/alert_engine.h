#pragma once
// Counts sign-in outcomes in fixed windows per rule and key, and reports an Alert the first
// time a rule's condition holds in a window (alert_rules.h). In-process: in a cluster each node
// alerts on the sign-ins it served. Thread-safe; `notify` runs outside the lock, on the thread
// that observed the outcome. Memory is bounded: at most kMaxKeys keys per rule, expired windows
// dropped first.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "alerts/alert_rules.h"
#include "common/clock.h"

namespace cognate::alerts {

struct SignInOutcome {
  std::string pool_id;
  std::string username;   // as the client gave it; empty when unknown
  std::string source_ip;  // empty when unknown
  bool succeeded = false;
  std::string event_id;      // the attempt's auth event; empty when none was recorded
  std::string username_key;  // the user the event belongs to
};

struct Alert {
  std::string rule;
  RuleKind kind = RuleKind::kFailedPerUser;
  std::string pool_id;
  std::string subject;  // the user, the address, or the pool
  int64_t failed = 0;
  int64_t total = 0;
  int64_t window_start_ms = 0;
  int64_t window_end_ms = 0;
  // Per-user rules: the auth event of the sign-in that fired it, so the receiver can ask the
  // user "was this you?" and report the answer with UpdateAuthEventFeedback.
  std::string event_id;
  std::string username_key;
  std::string feedback_token;  // filled by the server (events::AuthEventLog), not the engine
};

class AlertEngine {
 public:
  static constexpr std::size_t kMaxKeys = 100'000;
  using Notify = std::function<void(const Alert&)>;

  AlertEngine(std::vector<AlertRule> rules, const Clock& clock, Notify notify);
  void Observe(const SignInOutcome& outcome);

 private:
  struct Window {
    int64_t start_ms = 0;
    int64_t failed = 0;
    int64_t total = 0;
    bool fired = false;
  };
  // The key `outcome` counts under for `rule`; empty when it does not count.
  static std::string KeyFor(const AlertRule& rule, const SignInOutcome& outcome);
  Window& WindowFor(std::size_t rule, const std::string& key, int64_t now_ms);

  std::vector<AlertRule> rules_;
  const Clock& clock_;
  Notify notify_;
  std::mutex mu_;
  std::vector<std::unordered_map<std::string, Window>> windows_;  // per rule; guarded by mu_
};

}  // namespace cognate::alerts
