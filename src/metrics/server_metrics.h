#pragma once
// The server's metrics: their names, help texts and buckets, and one call per thing recorded.
// All go to metrics::Default(), declared on first use. Labels never name a user: actions, error
// types, pool ids and challenge names only.

#include <chrono>
#include <string_view>

#include "metrics/registry.h"

namespace cognate::metrics {

// Declares every server metric in Default() (idempotent); GET /metrics renders them even
// before anything was recorded.
Registry& ServerRegistry();

// One HTTP request: `action` as logged ("InitiateAuth", "jwks", ...), `outcome` "ok" or the
// error type. TooManyRequestsException also counts as throttled.
void RecordRequest(std::string_view action, std::string_view outcome, double seconds);
// A first-factor or challenge answer that ended a sign-in: tokens (succeeded) or refused.
void RecordSignIn(std::string_view pool_id, bool succeeded);
void RecordChallenge(std::string_view pool_id, std::string_view challenge);
void RecordLockout(std::string_view pool_id);
// One store transaction or read: `backend` "sqlite" or "postgres".
void RecordStoreCall(std::string_view backend, bool write, double seconds);

// Records one store call from construction to destruction.
class StoreCallTimer {
 public:
  StoreCallTimer(std::string_view backend, bool write)
      : backend_(backend), write_(write), start_(std::chrono::steady_clock::now()) {}
  ~StoreCallTimer() {
    RecordStoreCall(backend_, write_,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
                        .count());
  }
  StoreCallTimer(const StoreCallTimer&) = delete;
  StoreCallTimer& operator=(const StoreCallTimer&) = delete;

 private:
  std::string_view backend_;
  bool write_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace cognate::metrics
