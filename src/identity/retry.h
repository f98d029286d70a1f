#pragma once
// Read-modify-write with optimistic concurrency: the store refuses an update whose record
// changed since it was read (ConcurrentModificationException); the whole attempt, read included,
// then runs again after a short random pause (so two writers in lock-step drift apart), and
// concurrent writers never lose each other's changes. Runs on worker threads, where a pause of a
// few milliseconds costs no network thread.

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "common/result.h"

namespace cognate::identity {

inline constexpr int kUpdateAttempts = 10;

template <class Attempt>
auto RetryOnConflict(Attempt attempt) -> decltype(attempt()) {
  thread_local std::minstd_rand jitter{std::random_device{}()};
  for (int i = 1;; ++i) {
    auto result = attempt();
    if (result.ok() || !result.error().Is("ConcurrentModificationException") ||
        i == kUpdateAttempts)
      return result;
    int max_pause_us = std::min(1000 << std::min(i, 5), 20000);  // 2 ms doubling to 20 ms
    std::this_thread::sleep_for(std::chrono::microseconds(
        std::uniform_int_distribution<int>(0, max_pause_us)(jitter)));
  }
}

}  // namespace cognate::identity
