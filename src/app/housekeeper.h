#pragma once
// Deletes what can no longer be used, so the store does not grow without bound: expired
// one-time codes and challenge-session rows (each InitiateAuth that answers with a challenge
// leaves one until it is answered or expires), expired refresh tokens, and revoked sign-in
// sessions past the life of their access tokens, and auth events older than the retention
// (--auth-event-retention-days; 0 keeps none). A background thread runs a pass every
// `interval_ms`; each pass deletes in batches of `batch` rows, so no write transaction is long.

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "common/result.h"
#include "store/stores.h"

namespace cognate::app {

class Housekeeper {
 public:
  struct Options {
    int64_t interval_ms = 10 * 60 * 1000;
    int batch = 1000;
    int64_t auth_event_retention_ms = 90LL * 24 * 60 * 60 * 1000;
  };

  // `stores` and `clock` must outlive the housekeeper.
  Housekeeper(store::Stores& stores, const Clock& clock, Options options);
  ~Housekeeper();  // Stops the thread.
  Housekeeper(const Housekeeper&) = delete;
  Housekeeper& operator=(const Housekeeper&) = delete;

  void Start();
  void Stop();

  // One pass: the number of rows deleted, or the first store error.
  Result<int64_t> RunOnce();

 private:
  void Loop();

  store::Stores& stores_;
  const Clock& clock_;
  const Options options_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cognate::app
