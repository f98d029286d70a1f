#pragma once
// The Cognito AWS JSON 1.1 protocol edge: selects the action from X-Amz-Target, authenticates
// (SigV4 for every action the model does not mark unauthenticated), parses and validates the
// body against the service model, calls the registered action, and serialises the result or
// the Error exactly as Cognito does. Errors are translated to the wire here and nowhere else.

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/json/object.hpp>

#include "api/cognito/access_keys.h"
#include "common/clock.h"
#include "common/result.h"
#include "common/worker_pool.h"
#include "http/message.h"
#include "throttle/throttler.h"

namespace cognate::api {

// Everything an action may need to know about the call besides its body.
struct CallContext {
  const http::Request& request;
  const std::string& action;
  const AccessKeyIdentity* caller = nullptr;  // Set for SigV4-authenticated calls.
};

using Action = std::function<Result<boost::json::object>(const boost::json::object& body,
                                                        const CallContext& ctx)>;

// Where an action runs: cheap reads inline on the network thread; anything that may block
// (key generation, hashing, durable writes waiting on fsync) on the worker pool.
enum class Execution { kInline, kWorker };

class CognitoDispatcher {
 public:
  // `workers` may be null: then every action runs inline (unit tests).
  CognitoDispatcher(AccessKeyAuthorizer& authorizer, const Clock& clock,
                    WorkerPool* workers = nullptr);

  // Registers the implementation of one model operation. Call before serving.
  void Register(std::string action, Action fn, Execution execution = Execution::kInline);
  // An action on the worker pool whose requests run inline when `runs_inline` says so (e.g.
  // InitiateAuth: refreshes inline, password sign-ins hashing on the workers).
  using InlineWhen = std::function<bool(const boost::json::object& body)>;
  void Register(std::string action, Action fn, InlineWhen runs_inline);
  bool Has(const std::string& action) const { return actions_.count(action) != 0; }
  // Calls are throttled by `throttler` (throttle/throttler.h) when set; must outlive this.
  void set_throttler(throttle::Throttler* throttler) { throttler_ = throttler; }

  // Handles one POST, running the action inline. Sets response.log_action / log_error.
  http::Response Handle(const http::Request& request) const;
  // Handles one POST; `done` runs exactly once, on this thread or on a worker.
  void HandleAsync(http::Request request, std::function<void(http::Response)> done) const;

  // Serialises an Error as Cognito's wire error.
  static http::Response ErrorResponse(const Error& error);

 private:
  struct Entry {
    Action fn;
    Execution execution;
    InlineWhen runs_inline;  // only with kWorker; may be empty
  };
  // Everything before the action runs: target, authentication, parsing, validation.
  struct Prepared {
    const Entry* entry = nullptr;
    boost::json::value body;
    std::optional<AccessKeyIdentity> caller;
  };
  Result<Prepared> Prepare(const http::Request& request, std::string& action_out) const;
  static http::Response Finish(Result<boost::json::object> result, std::string action);
  static Result<boost::json::object> Invoke(const Prepared& p, const http::Request& request,
                                            const std::string& action);

  AccessKeyAuthorizer& authorizer_;
  const Clock& clock_;
  WorkerPool* workers_;
  throttle::Throttler* throttler_ = nullptr;
  std::unordered_map<std::string, Entry> actions_;
};

}  // namespace cognate::api
