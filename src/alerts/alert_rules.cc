#include "alerts/alert_rules.h"

#include <boost/json.hpp>

namespace cognate::alerts {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxRules = 100;

Error Bad(const std::string& what) {
  return Error::InvalidParameter("alert rules: " + what);
}

// A positive integer member of at most `max`.
Result<int64_t> PositiveInt(const json::object& o, std::string_view name, int64_t max) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_int64() || v->as_int64() < 1 || v->as_int64() > max) {
    return Bad(std::string(name) + " must be an integer from 1 to " + std::to_string(max));
  }
  return v->as_int64();
}

Result<AlertRule> ParseRule(const json::value& value) {
  if (!value.is_object()) return Bad("each rule must be an object");
  const json::object& o = value.as_object();
  AlertRule rule;
  const json::value* name = o.if_contains("name");
  if (name == nullptr || !name->is_string() || name->as_string().empty() ||
      name->as_string().size() > 128) {
    return Bad("each rule needs a name (1-128 characters)");
  }
  rule.name = std::string(name->as_string());
  const json::value* kind = o.if_contains("kind");
  const std::string_view k = kind && kind->is_string() ? std::string_view(kind->as_string()) : "";
  auto window = PositiveInt(o, "window_seconds", 7 * 86400);
  if (!window.ok()) return std::move(window).error();
  rule.window_seconds = *window;
  if (k == "failed_sign_ins_per_user" || k == "failed_sign_ins_per_ip") {
    rule.kind = k == "failed_sign_ins_per_user" ? RuleKind::kFailedPerUser : RuleKind::kFailedPerIp;
    auto threshold = PositiveInt(o, "threshold", 1'000'000);
    if (!threshold.ok()) return std::move(threshold).error();
    rule.threshold = *threshold;
  } else if (k == "pool_failure_ratio") {
    rule.kind = RuleKind::kPoolFailureRatio;
    const json::value* ratio = o.if_contains("ratio");
    if (ratio == nullptr || !ratio->is_number() || ratio->to_number<double>() <= 0 ||
        ratio->to_number<double>() >= 1) {
      return Bad("ratio must be a number between 0 and 1");
    }
    rule.ratio = ratio->to_number<double>();
    auto min = PositiveInt(o, "min_sign_ins", 1'000'000);
    if (!min.ok()) return std::move(min).error();
    rule.min_sign_ins = *min;
  } else {
    return Bad("kind must be failed_sign_ins_per_user, failed_sign_ins_per_ip or "
               "pool_failure_ratio");
  }
  return rule;
}

}  // namespace

std::string_view KindName(RuleKind kind) {
  switch (kind) {
    case RuleKind::kFailedPerUser: return "failed_sign_ins_per_user";
    case RuleKind::kFailedPerIp: return "failed_sign_ins_per_ip";
    case RuleKind::kPoolFailureRatio: return "pool_failure_ratio";
  }
  return "";
}

Result<AlertConfig> ParseAlertConfig(std::string_view text) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) return Bad("the file must hold a JSON object");
  const json::object& o = doc.as_object();
  AlertConfig config;
  if (const json::value* url = o.if_contains("webhook_url")) {
    if (!url->is_string()) return Bad("webhook_url must be a string");
    config.webhook_url = std::string(url->as_string());
    if (!config.webhook_url.starts_with("http://") && !config.webhook_url.starts_with("https://")) {
      return Bad("webhook_url must be an http(s) URL");
    }
  }
  const json::value* rules = o.if_contains("rules");
  if (rules == nullptr || !rules->is_array() || rules->as_array().empty() ||
      rules->as_array().size() > kMaxRules) {
    return Bad("rules must be an array of 1 to 100 rules");
  }
  for (const json::value& r : rules->as_array()) {
    auto rule = ParseRule(r);
    if (!rule.ok()) return std::move(rule).error();
    config.rules.push_back(std::move(*rule));
  }
  return config;
}

}  // namespace cognate::alerts
