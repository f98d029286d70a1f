#pragma once
// A MessageSender for tests: records what it is given and answers from a script of results
// (the last one repeats; OK when the script is empty).

#include <mutex>
#include <utility>
#include <vector>

#include "delivery/sender.h"

namespace cognate::delivery::fakes {

class FakeSender final : public MessageSender {
 public:
  Status Send(const OutgoingMessage& message) override {
    std::lock_guard<std::mutex> lock(mu_);
    sent_.push_back(message);
    if (script_.empty()) return OkStatus();
    const size_t i = std::min(sent_.size(), script_.size()) - 1;
    return script_[i];
  }

  // The answers to the 1st, 2nd, ... Send; the last repeats.
  void Script(std::vector<Status> answers) {
    std::lock_guard<std::mutex> lock(mu_);
    script_ = std::move(answers);
  }
  void FailAlways(Error error) { Script({Status(std::move(error))}); }

  std::vector<OutgoingMessage> sent() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sent_;
  }
  size_t calls() const { return sent().size(); }

 private:
  mutable std::mutex mu_;
  std::vector<OutgoingMessage> sent_;
  std::vector<Status> script_;
};

}  // namespace cognate::delivery::fakes
