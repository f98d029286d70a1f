#pragma once
// Where a pool's trigger goes. LambdaConfig holds, per trigger, either an http(s) URL (Cognate's
// webhook form, accepted by the model's LambdaTargetType) or a Lambda ARN, which the server's
// trigger map (`cognate serve --trigger-map FILE`, JSON {"<arn>": "<url>"}) turns into a URL so
// CloudFormation-style settings keep working.

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "triggers/trigger_invoker.h"

namespace cognate::triggers {

// The LambdaConfig value configured for `trigger` (URL or ARN), or std::nullopt. For
// PreTokenGeneration, PreTokenGenerationConfig.LambdaArn wins over the legacy member.
std::optional<std::string> ConfiguredTarget(const boost::json::object& pool_config,
                                            Trigger trigger);

class TriggerTargets {
 public:
  TriggerTargets() = default;  // No ARN is mapped.

  // Parses the trigger map: a JSON object of ARN -> http(s) URL (at most 10000 entries, each
  // at most 2048 characters). InvalidParameterException naming the offending entry.
  static Result<TriggerTargets> Parse(std::string_view json_text);
  // Reads and parses the file (at most 1 MiB). InvalidParameterException when unreadable.
  static Result<TriggerTargets> Load(const std::string& path);

  // The URL to POST `target` (a ConfiguredTarget value) to: a URL as is, an ARN through the
  // map. UnexpectedLambdaException (TriggerUnreachable, "ResourceNotFoundException") for an
  // unmapped ARN or anything else.
  Result<std::string> Resolve(Trigger trigger, std::string_view target) const;

  size_t size() const { return urls_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> urls_;
};

// True for an absolute http:// or https:// URL with a host.
bool IsWebhookUrl(std::string_view text);

}  // namespace cognate::triggers
