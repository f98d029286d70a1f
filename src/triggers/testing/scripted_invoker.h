#pragma once
// A TriggerInvoker for unit tests: a trigger counts as configured when the test gave it a
// handler (whatever the pool's LambdaConfig says); every call is recorded.

#include <functional>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "triggers/trigger_invoker.h"

namespace cognate::triggers::fakes {

class ScriptedInvoker final : public TriggerInvoker {
 public:
  using Handler = std::function<Result<boost::json::object>(const TriggerCall&)>;

  void On(Trigger trigger, Handler handler) {
    std::lock_guard<std::mutex> lock(mu_);
    handlers_[trigger] = std::move(handler);
  }
  void Off(Trigger trigger) {
    std::lock_guard<std::mutex> lock(mu_);
    handlers_.erase(trigger);
  }

  bool Configured(const boost::json::object&, Trigger trigger) const override {
    std::lock_guard<std::mutex> lock(mu_);
    return handlers_.count(trigger) > 0;
  }

  Result<boost::json::object> Invoke(const std::string&, const boost::json::object&,
                                     Trigger trigger, const TriggerCall& call) override {
    Handler handler;
    {
      std::lock_guard<std::mutex> lock(mu_);
      calls_.emplace_back(trigger, call);
      auto it = handlers_.find(trigger);
      if (it == handlers_.end()) return Error::Make("UnexpectedLambdaException", "not scripted");
      handler = it->second;
    }
    return handler(call);
  }

  std::vector<std::pair<Trigger, TriggerCall>> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  // The calls of one trigger, in order.
  std::vector<TriggerCall> calls(Trigger trigger) const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<TriggerCall> out;
    for (const auto& [t, c] : calls_)
      if (t == trigger) out.push_back(c);
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::map<Trigger, Handler> handlers_;
  std::vector<std::pair<Trigger, TriggerCall>> calls_;
};

}  // namespace cognate::triggers::fakes
