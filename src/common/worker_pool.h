#pragma once
// A fixed set of threads for work that must not run on network threads: key generation,
// password hashing, durable writes that wait on fsync. The queue is bounded so that overload
// is refused at once (the caller answers TooManyRequestsException) instead of piling up.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cognate {

class WorkerPool {
 public:
  WorkerPool(std::size_t threads, std::size_t max_queued);
  ~WorkerPool();  // Runs what is queued, then joins.
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false (and `task` not run) when max_queued tasks are already waiting.
  bool TrySubmit(std::function<void()> task);
  std::size_t queued() const;

 private:
  void Loop();

  const std::size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace cognate
