#pragma once
// The Cognito AWS JSON 1.1 protocol edge: selects the action from X-Amz-Target, authenticates
// (SigV4 for every action the model does not mark unauthenticated), parses and validates the
// body against the service model, calls the registered action, and serialises the result or
// the Error exactly as Cognito does. Errors are translated to the wire here and nowhere else.

#include <functional>
#include <string>
#include <unordered_map>

#include <boost/json/object.hpp>

#include "api/cognito/access_keys.h"
#include "common/clock.h"
#include "common/result.h"
#include "http/message.h"

namespace cognate::api {

// Everything an action may need to know about the call besides its body.
struct CallContext {
  const http::Request& request;
  const std::string& action;
  const AccessKeyIdentity* caller = nullptr;  // Set for SigV4-authenticated calls.
};

using Action = std::function<Result<boost::json::object>(const boost::json::object& body,
                                                        const CallContext& ctx)>;

class CognitoDispatcher {
 public:
  CognitoDispatcher(AccessKeyAuthorizer& authorizer, const Clock& clock);

  // Registers the implementation of one model operation. Call before serving.
  void Register(std::string action, Action fn);
  bool Has(const std::string& action) const { return actions_.count(action) != 0; }

  // Handles one POST. Sets response.log_action / log_error for the request log.
  http::Response Handle(const http::Request& request) const;

  // Serialises an Error as Cognito's wire error.
  static http::Response ErrorResponse(const Error& error);

 private:
  Result<boost::json::object> Run(const http::Request& request, std::string& action_out) const;

  AccessKeyAuthorizer& authorizer_;
  const Clock& clock_;
  std::unordered_map<std::string, Action> actions_;
};

}  // namespace cognate::api
