#pragma once
// Read-modify-write with optimistic concurrency: the store refuses an update whose record
// changed since it was read (ConcurrentModificationException); the whole attempt, read included,
// then runs again, so concurrent writers never lose each other's changes.

#include "common/result.h"

namespace cognate::identity {

inline constexpr int kUpdateAttempts = 5;

template <class Attempt>
auto RetryOnConflict(Attempt attempt) -> decltype(attempt()) {
  for (int i = 1;; ++i) {
    auto result = attempt();
    if (result.ok() || !result.error().Is("ConcurrentModificationException") ||
        i == kUpdateAttempts)
      return result;
  }
}

}  // namespace cognate::identity
