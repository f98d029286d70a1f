#include "triggers/http_trigger_invoker.h"

#include <curl/curl.h>
#include <openssl/crypto.h>

#include <chrono>
#include <utility>
#include <vector>

#include "delivery/curl_transfer.h"
#include "delivery/webhook_signature.h"
#include "triggers/trigger_event.h"
#include "triggers/trigger_secret.h"

namespace cognate::triggers {
namespace json = boost::json;
namespace {

int64_t ElapsedMs(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               since)
      .count();
}

// HttpPost reports a failed transfer as "<what>: <curl's reason>"; a timeout is the one reason
// with its own wording for the client.
bool TimedOut(const Error& error) {
  return error.message.ends_with(curl_easy_strerror(CURLE_OPERATION_TIMEDOUT));
}

}  // namespace

HttpTriggerInvoker::HttpTriggerInvoker(TriggerTargets targets,
                                       const crypto::KeyEncryptionKey& kek, const Clock& clock,
                                       HttpTriggerOptions options, Observer observer)
    : targets_(std::move(targets)),
      secret_key_(kek.Derive(kTriggerSecretPurpose)),
      clock_(clock),
      options_(std::move(options)),
      observer_(std::move(observer)) {}

HttpTriggerInvoker::~HttpTriggerInvoker() {
  OPENSSL_cleanse(secret_key_.data(), secret_key_.size());
}

bool HttpTriggerInvoker::Configured(const json::object& pool_config, Trigger trigger) const {
  return ConfiguredTarget(pool_config, trigger).has_value();
}

std::string HttpTriggerInvoker::SecretFor(std::string_view pool_id) const {
  return TriggerSecretFromKey(secret_key_, pool_id);
}

Result<json::object> HttpTriggerInvoker::Invoke(const std::string& pool_id,
                                                const json::object& pool_config, Trigger trigger,
                                                const TriggerCall& call) {
  InvocationReport report;
  report.trigger = TriggerName(trigger);
  report.trigger_source = call.trigger_source;
  report.pool_id = pool_id;
  std::optional<std::string> target = ConfiguredTarget(pool_config, trigger);
  Result<std::string> url = target ? targets_.Resolve(trigger, *target)
                                   : Result<std::string>(TriggerUnreachable(
                                         trigger, "ResourceNotFoundException"));
  if (!url.ok()) {
    // An ARN names no secret; anything else is shown like a URL, without path or query.
    report.target = !target ? "" : target->starts_with("arn:") ? *target
                                                               : delivery::RedactedUrl(*target);
    report.error = &url.error();
    report.detail = target ? "no URL for this target (--trigger-map)" : "not configured";
    Report(report);
    return std::move(url).error();
  }
  report.target = delivery::RedactedUrl(*url);
  Result<json::object> response =
      Post(trigger, *url, pool_id, EventJson(options_.region, pool_id, call), report);
  report.error = response.ok() ? nullptr : &response.error();
  Report(report);
  return response;
}

Result<json::object> HttpTriggerInvoker::Post(Trigger trigger, const std::string& url,
                                              std::string_view pool_id, const std::string& body,
                                              InvocationReport& report) const {
  const std::string secret = SecretFor(pool_id);
  const std::vector<std::string> headers = {
      "Content-Type: application/json",
      std::string(delivery::kSignatureHeader) + ": " +
          delivery::SignWebhook(secret, clock_.NowSeconds(), body)};
  delivery::HttpPostOptions post;
  post.timeouts = {options_.timeout_ms, options_.timeout_ms};
  post.ca_file = options_.ca_file;
  post.max_response_bytes = options_.max_response_bytes;
  const auto started = std::chrono::steady_clock::now();
  Result<delivery::HttpReply> reply = delivery::HttpPost(url, headers, body, post);
  report.latency_ms = ElapsedMs(started);
  if (!reply.ok()) {
    report.detail = reply.error().message;  // Redacted URL and curl's reason.
    return TriggerUnreachable(trigger, TimedOut(reply.error()) ? "TimeoutError"
                                                               : "ConnectionError");
  }
  report.status = reply->status;
  return ReadAnswer(trigger, {reply->status, reply->body, reply->truncated});
}

void HttpTriggerInvoker::Report(const InvocationReport& report) const {
  if (observer_) observer_(report);
}

}  // namespace cognate::triggers
