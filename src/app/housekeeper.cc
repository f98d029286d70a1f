#include "app/housekeeper.h"

#include <chrono>
#include <string>

#include "app/log.h"
#include "identity/codes.h"
#include "store/user_stores.h"

namespace cognate::app {
namespace {

// A pass stops after this many full batches and leaves the rest to the next pass.
constexpr int kMaxBatchesPerPass = 100;

template <class Purge>
Result<int64_t> InBatches(int batch, Purge purge) {
  int64_t total = 0;
  for (int i = 0; i < kMaxBatchesPerPass; ++i) {
    Result<int64_t> deleted = purge();
    if (!deleted.ok()) return std::move(deleted).error();
    total += *deleted;
    if (*deleted < batch) break;
  }
  return total;
}

}  // namespace

Housekeeper::Housekeeper(store::Stores& stores, const Clock& clock, Options options)
    : stores_(stores), clock_(clock), options_(options) {}

Housekeeper::~Housekeeper() { Stop(); }

void Housekeeper::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Housekeeper::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<int64_t> Housekeeper::RunOnce() {
  const int64_t now_ms = clock_.NowMs();
  Result<int64_t> codes = InBatches(options_.batch, [&] {
    // A code's row also carries its send window: keep it while the window still counts.
    return stores_.codes->PurgeExpiredCodes(now_ms, now_ms - identity::kCodeSendWindowMs,
                                            options_.batch);
  });
  if (!codes.ok()) return codes;
  Result<int64_t> tokens = InBatches(options_.batch, [&] {
    return stores_.refresh_tokens->PurgeExpiredTokens(now_ms, options_.batch);
  });
  if (!tokens.ok()) return tokens;
  int64_t events = 0;
  if (stores_.auth_events) {
    const int64_t cutoff_ms = now_ms - options_.auth_event_retention_ms;
    Result<int64_t> purged = InBatches(options_.batch, [&] {
      return stores_.auth_events->PurgeEventsBefore(cutoff_ms, options_.batch);
    });
    if (!purged.ok()) return purged;
    events = *purged;
  }
  return *codes + *tokens + events;
}

void Housekeeper::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(options_.interval_ms),
                   [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    Result<int64_t> deleted = RunOnce();
    if (!deleted.ok()) {
      Log(LogLevel::kWarn, "housekeeping failed", {{"error", deleted.error().message}});
    } else if (*deleted > 0) {
      Log(LogLevel::kInfo, "housekeeping", {{"deleted", std::to_string(*deleted)}});
    }
    lock.lock();
  }
}

}  // namespace cognate::app
