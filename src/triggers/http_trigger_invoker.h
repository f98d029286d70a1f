#pragma once
// The TriggerInvoker of a running server: POSTs Cognito's event JSON (trigger_event.h) to the
// URL the pool's LambdaConfig names (or the URL the trigger map gives its ARN,
// trigger_targets.h), signed per pool:
//
//   Content-Type: application/json
//   X-Cognate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
//
// with the pool's secret from trigger_secret.h. The answer is read as Cognito reads a
// function's result (ReadAnswer): the event's `response`, or UserLambdaValidationException,
// InvalidLambdaResponseException; no answer within the time limit (5 s in all, connecting
// included), a refused connection or an unresolvable target is UnexpectedLambdaException.
//
// No retries. Cognito retries a failed Lambda invocation, but its whole budget is still the
// 5 seconds the client waits; a webhook that failed to answer within them has used the budget,
// and a receiver that refused or errored fast may already have acted on the event (a
// PostConfirmation that sent a welcome mail): resending could do it twice. The client sees the
// error and may retry the whole call, which the services keep free of partial state.
//
// Answers are read up to `max_response_bytes` (256 KiB); redirects are not followed. Event
// bodies are never logged (they hold passwords and codes): the observer gets the trigger, the
// pool, the target's scheme://host:port, the status and the outcome. Thread-safe.

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "crypto/kek.h"
#include "triggers/trigger_invoker.h"
#include "triggers/trigger_targets.h"

namespace cognate::triggers {

struct HttpTriggerOptions {
  std::string region = "us-east-1";  // The events' "region".
  std::string ca_file;               // PEM CAs for https receivers (empty: the system's).
  int64_t timeout_ms = 5'000;        // Cognito's limit for synchronous triggers.
  size_t max_response_bytes = 256 * 1024;
};

// One finished invocation, for the operator's log (never the event, the answer or a secret).
struct InvocationReport {
  std::string_view trigger;         // "PreSignUp"
  std::string_view trigger_source;  // "PreSignUp_SignUp"
  std::string_view pool_id;
  std::string target;  // "http://127.0.0.1:8080" (redacted), an ARN, or "" when none
  long status = 0;     // The receiver's HTTP status; 0 when it did not answer.
  int64_t latency_ms = 0;
  const Error* error = nullptr;  // Null on success.
  std::string detail;            // Why there was no answer (curl's reason), else "".
};

class HttpTriggerInvoker final : public TriggerInvoker {
 public:
  using Observer = std::function<void(const InvocationReport&)>;

  // `kek` is used once, here; `clock` (signature timestamps) must outlive the invoker.
  HttpTriggerInvoker(TriggerTargets targets, const crypto::KeyEncryptionKey& kek,
                     const Clock& clock, HttpTriggerOptions options, Observer observer = {});
  ~HttpTriggerInvoker() override;
  HttpTriggerInvoker(const HttpTriggerInvoker&) = delete;
  HttpTriggerInvoker& operator=(const HttpTriggerInvoker&) = delete;

  bool Configured(const boost::json::object& pool_config, Trigger trigger) const override;
  Result<boost::json::object> Invoke(const std::string& pool_id,
                                     const boost::json::object& pool_config, Trigger trigger,
                                     const TriggerCall& call) override;

  // The pool's signing secret (trigger_secret.h).
  std::string SecretFor(std::string_view pool_id) const;
  // The ARN map (the custom sender router resolves with it too).
  const TriggerTargets& targets() const { return targets_; }

 private:
  // POSTs `body` to `url`; the answer mapped by ReadAnswer, or UnexpectedLambdaException.
  Result<boost::json::object> Post(Trigger trigger, const std::string& url,
                                   std::string_view pool_id, const std::string& body,
                                   InvocationReport& report) const;
  void Report(const InvocationReport& report) const;

  const TriggerTargets targets_;
  std::string secret_key_;  // kek.Derive(kTriggerSecretPurpose); wiped on destruction.
  const Clock& clock_;
  const HttpTriggerOptions options_;
  const Observer observer_;
};

}  // namespace cognate::triggers
