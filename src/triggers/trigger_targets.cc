#include "triggers/trigger_targets.h"

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

#include "delivery/curl_transfer.h"

namespace cognate::triggers {
namespace json = boost::json;
namespace {

constexpr size_t kMaxEntries = 10'000;
constexpr size_t kMaxValueLength = 2048;  // LambdaTargetType's and ArnType's limit.
constexpr std::streamsize kMaxFileBytes = 1 << 20;

std::optional<std::string> StringMember(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string() || v->as_string().empty()) return std::nullopt;
  return std::string(v->as_string());
}

Error BadMap(std::string detail) {
  return Error::InvalidParameter("trigger map: " + std::move(detail));
}

}  // namespace

bool IsWebhookUrl(std::string_view text) {
  return delivery::IsUrlWithScheme(text, {"http", "https"});
}

std::optional<std::string> ConfiguredTarget(const json::object& pool_config, Trigger trigger) {
  const json::value* lambda = pool_config.if_contains("LambdaConfig");
  if (lambda == nullptr || !lambda->is_object()) return std::nullopt;
  const json::object& config = lambda->as_object();
  if (trigger == Trigger::kPreTokenGeneration) {
    const json::value* versioned = config.if_contains("PreTokenGenerationConfig");
    if (versioned != nullptr && versioned->is_object()) {
      if (auto arn = StringMember(versioned->as_object(), "LambdaArn")) return arn;
    }
  }
  return StringMember(config, TriggerName(trigger));
}

Result<TriggerTargets> TriggerTargets::Parse(std::string_view json_text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(json_text, ec);
  if (ec || !parsed.is_object()) return BadMap("not a JSON object of ARN -> URL");
  const json::object& entries = parsed.as_object();
  if (entries.size() > kMaxEntries) return BadMap("more than 10000 entries");
  TriggerTargets targets;
  for (const auto& [arn, url] : entries) {
    if (!arn.starts_with("arn:") || arn.size() > kMaxValueLength)
      return BadMap("key \"" + std::string(arn.substr(0, 80)) + "\" is not an ARN");
    if (!url.is_string() || url.as_string().size() > kMaxValueLength ||
        !IsWebhookUrl(url.as_string())) {
      return BadMap("the value for " + std::string(arn) + " is not an http(s) URL");
    }
    targets.urls_.emplace(std::string(arn), std::string(url.as_string()));
  }
  return targets;
}

Result<TriggerTargets> TriggerTargets::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return BadMap("cannot read " + path);
  std::string text(kMaxFileBytes + 1, '\0');
  in.read(text.data(), kMaxFileBytes + 1);
  if (in.gcount() > kMaxFileBytes) return BadMap(path + " is larger than 1 MiB");
  text.resize(static_cast<size_t>(in.gcount()));
  return Parse(text);
}

Result<std::string> TriggerTargets::Resolve(Trigger trigger, std::string_view target) const {
  if (target.starts_with("arn:")) {
    auto it = urls_.find(target);
    if (it != urls_.end()) return it->second;
  } else if (IsWebhookUrl(target)) {
    return std::string(target);
  }
  return TriggerUnreachable(trigger, "ResourceNotFoundException");
}

}  // namespace cognate::triggers
