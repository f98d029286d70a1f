#include "alerts/alert_engine.h"

#include <utility>

#include "common/ascii.h"

namespace cognate::alerts {

AlertEngine::AlertEngine(std::vector<AlertRule> rules, const Clock& clock, Notify notify)
    : rules_(std::move(rules)), clock_(clock), notify_(std::move(notify)),
      windows_(rules_.size()) {}

std::string AlertEngine::KeyFor(const AlertRule& rule, const SignInOutcome& outcome) {
  switch (rule.kind) {
    case RuleKind::kFailedPerUser:
      if (outcome.succeeded || outcome.username.empty()) return {};
      return outcome.pool_id + "\n" + AsciiLower(outcome.username);
    case RuleKind::kFailedPerIp:
      if (outcome.succeeded || outcome.source_ip.empty()) return {};
      return outcome.source_ip;
    case RuleKind::kPoolFailureRatio:
      return outcome.pool_id;
  }
  return {};
}

AlertEngine::Window& AlertEngine::WindowFor(std::size_t rule, const std::string& key,
                                            int64_t now_ms) {
  auto& windows = windows_[rule];
  const int64_t length_ms = rules_[rule].window_seconds * 1000;
  auto it = windows.find(key);
  if (it == windows.end()) {
    if (windows.size() >= kMaxKeys) {
      std::erase_if(windows,
                    [&](const auto& kv) { return now_ms >= kv.second.start_ms + length_ms; });
      if (windows.size() >= kMaxKeys) windows.clear();
    }
    it = windows.emplace(key, Window{now_ms}).first;
  } else if (now_ms >= it->second.start_ms + length_ms || now_ms < it->second.start_ms) {
    it->second = Window{now_ms};
  }
  return it->second;
}

void AlertEngine::Observe(const SignInOutcome& outcome) {
  const int64_t now = clock_.NowMs();
  std::vector<Alert> fired;
  {
    std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < rules_.size(); ++i) {
      const AlertRule& rule = rules_[i];
      const std::string key = KeyFor(rule, outcome);
      if (key.empty()) continue;
      Window& w = WindowFor(i, key, now);
      ++w.total;
      if (!outcome.succeeded) ++w.failed;
      const bool holds =
          rule.kind == RuleKind::kPoolFailureRatio
              ? w.total >= rule.min_sign_ins &&
                    static_cast<double>(w.failed) > rule.ratio * static_cast<double>(w.total)
              : w.failed > rule.threshold;
      if (!holds || w.fired) continue;
      w.fired = true;
      const std::string subject = rule.kind == RuleKind::kFailedPerUser ? outcome.username
                                  : rule.kind == RuleKind::kFailedPerIp ? outcome.source_ip
                                                                        : outcome.pool_id;
      Alert alert{rule.name, rule.kind, outcome.pool_id, subject, w.failed, w.total,
                  w.start_ms, w.start_ms + rule.window_seconds * 1000};
      if (rule.kind == RuleKind::kFailedPerUser) {
        alert.event_id = outcome.event_id;
        alert.username_key = outcome.username_key;
      }
      fired.push_back(std::move(alert));
    }
  }
  for (const Alert& alert : fired) notify_(alert);
}

}  // namespace cognate::alerts
