#include "delivery/retrying_sender.h"

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <thread>
#include <utility>

namespace cognate::delivery {
namespace {

void RealSleep(std::chrono::milliseconds pause) { std::this_thread::sleep_for(pause); }

double RealUnitRandom() { return randombytes_uniform(1'000'000) / 1'000'000.0; }

}  // namespace

Error CodeDeliveryFailed(const std::string& channel) {
  if (channel == "SMS")
    return Error::Make(kCodeDeliveryFailure,
                       "Invalid phone number provided/Unable to send the SMS");
  return Error::Make(kCodeDeliveryFailure, "Invalid email provided/Unable to send the email");
}

RetryingSender::RetryingSender(MessageSender& inner, RetryPolicy policy, Observer observer)
    : RetryingSender(inner, policy, &RealSleep, &RealUnitRandom, std::move(observer)) {}

RetryingSender::RetryingSender(MessageSender& inner, RetryPolicy policy, Sleeper sleeper,
                               UnitRandom random, Observer observer)
    : inner_(inner),
      policy_(policy),
      sleeper_(std::move(sleeper)),
      random_(std::move(random)),
      observer_(std::move(observer)) {}

std::chrono::milliseconds RetryingSender::Backoff(int attempt, double unit) const {
  if (attempt < 2) return std::chrono::milliseconds(0);
  const double base = static_cast<double>(policy_.initial_backoff.count()) *
                      std::pow(policy_.multiplier, attempt - 2);
  const double factor = 1.0 - policy_.jitter + 2.0 * policy_.jitter * std::clamp(unit, 0.0, 1.0);
  return std::chrono::milliseconds(std::llround(std::max(0.0, base * factor)));
}

Status RetryingSender::Send(const OutgoingMessage& message) {
  const int attempts = std::max(1, policy_.attempts);
  for (int attempt = 1;; ++attempt) {
    if (attempt > 1) sleeper_(Backoff(attempt, random_()));
    Status sent = inner_.Send(message);
    if (sent.ok()) return sent;
    const Error& error = sent.error();
    const bool retryable = error.Is(kCodeDeliveryFailure);
    const bool again = retryable && attempt < attempts;
    if (observer_) observer_(message, attempt, error, again);
    if (again) continue;
    if (retryable || error.Is(kUndeliverable)) return CodeDeliveryFailed(message.channel);
    return sent;
  }
}

}  // namespace cognate::delivery
