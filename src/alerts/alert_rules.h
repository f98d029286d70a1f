#pragma once
// Alert rules on sign-in activity (issue 8), read from `cognate serve --alert-rules FILE`:
//
//   {"webhook_url": "https://ops.example.com/cognate-alerts",      (optional; the log always)
//    "rules": [
//      {"name": "user-guessing", "kind": "failed_sign_ins_per_user", "threshold": 10,
//       "window_seconds": 300},
//      {"name": "address-spraying", "kind": "failed_sign_ins_per_ip", "threshold": 50,
//       "window_seconds": 600},
//      {"name": "pool-failures", "kind": "pool_failure_ratio", "ratio": 0.5,
//       "min_sign_ins": 20, "window_seconds": 600}]}
//
// A count rule fires when more than `threshold` failed sign-ins of one user (pool and name as
// given, any case) or from one address fall in one window; the ratio rule when a pool's failed
// share of at least `min_sign_ins` sign-ins exceeds `ratio`. Each fires at most once per key and
// window. Windows are fixed, starting at a key's first event.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cognate::alerts {

enum class RuleKind { kFailedPerUser, kFailedPerIp, kPoolFailureRatio };

struct AlertRule {
  std::string name;
  RuleKind kind = RuleKind::kFailedPerUser;
  int64_t threshold = 0;      // count rules
  double ratio = 0;           // ratio rule, in (0, 1)
  int64_t min_sign_ins = 1;   // ratio rule
  int64_t window_seconds = 300;
};

struct AlertConfig {
  std::string webhook_url;  // empty: log only
  std::vector<AlertRule> rules;
};

// InvalidParameterException naming the problem when the JSON is not a valid configuration.
Result<AlertConfig> ParseAlertConfig(std::string_view json);

std::string_view KindName(RuleKind kind);

}  // namespace cognate::alerts
