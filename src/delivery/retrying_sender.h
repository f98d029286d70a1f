#pragma once
// A MessageSender decorator that retries a failed Send with exponential backoff and jitter,
// and turns a failure that persists into the error Cognito answers:
//
//   CodeDeliveryFailureException "Invalid email provided/Unable to send the email"  (EMAIL;
//     Cognito's wording as reported from SignUp)
//   CodeDeliveryFailureException "Invalid phone number provided/Unable to send the SMS"  (SMS;
//     the same pattern, [unverified wording])
//
// Attempt k (k = 1..attempts) starts after a pause of initial_backoff * multiplier^(k-2),
// scaled by a random factor in [1 - jitter, 1 + jitter] (defaults: now, ~200 ms, ~800 ms).
// UndeliverableMessage errors are not retried. Errors of other types (e.g. an outbox's
// InternalErrorException) pass through unchanged. Every failed attempt is reported to the
// observer (for the operator's log) with the inner sender's detail message, which never holds
// a secret. Thread-safe when the inner sender, sleeper, random source and observer are.

#include <chrono>
#include <functional>
#include <memory>

#include "delivery/sender.h"

namespace cognate::delivery {

struct RetryPolicy {
  int attempts = 3;
  std::chrono::milliseconds initial_backoff{200};
  double multiplier = 4.0;
  double jitter = 0.2;  // Fraction of each pause, either way.
};

class RetryingSender final : public MessageSender {
 public:
  using Sleeper = std::function<void(std::chrono::milliseconds)>;
  using UnitRandom = std::function<double()>;  // Uniform in [0, 1).
  // (message, attempt number from 1, the attempt's error, whether another attempt follows)
  using Observer = std::function<void(const OutgoingMessage&, int, const Error&, bool)>;

  // Real sleeps and randomness; `observer` may be empty.
  RetryingSender(MessageSender& inner, RetryPolicy policy, Observer observer = {});
  // Injected sleep and randomness (tests).
  RetryingSender(MessageSender& inner, RetryPolicy policy, Sleeper sleeper, UnitRandom random,
                 Observer observer = {});

  Status Send(const OutgoingMessage& message) override;

  // The pause before attempt `attempt` (2..attempts) for a random draw `unit` in [0, 1).
  std::chrono::milliseconds Backoff(int attempt, double unit) const;

 private:
  MessageSender& inner_;
  const RetryPolicy policy_;
  const Sleeper sleeper_;
  const UnitRandom random_;
  const Observer observer_;
};

// CodeDeliveryFailureException with Cognito's message for `channel` ("EMAIL" or "SMS").
Error CodeDeliveryFailed(const std::string& channel);

}  // namespace cognate::delivery
