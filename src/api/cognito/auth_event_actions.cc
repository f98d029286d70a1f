#include "api/cognito/auth_event_actions.h"

namespace cognate::api {

void RegisterAuthEventActions(CognitoDispatcher& d, identity::AuthEventService& service) {
  using Method =
      Result<boost::json::object> (identity::AuthEventService::*)(const boost::json::object&);
  using S = identity::AuthEventService;
  struct Binding {
    const char* name;
    Method method;
  };
  const Binding actions[] = {
      {"AdminListUserAuthEvents", &S::AdminListUserAuthEvents},
      {"AdminUpdateAuthEventFeedback", &S::AdminUpdateAuthEventFeedback},
      {"UpdateAuthEventFeedback", &S::UpdateAuthEventFeedback},
  };
  for (const auto& a : actions) {
    // Store reads and one-row writes: the workers, as the other store-bound actions.
    d.Register(
        a.name,
        [&service, method = a.method](const boost::json::object& body, const CallContext&) {
          return (service.*method)(body);
        },
        Execution::kWorker);
  }
}

}  // namespace cognate::api
