#include "api/cognito/auth_event_actions.h"

#include "api/cognito/register_methods.h"

namespace cognate::api {

void RegisterAuthEventActions(CognitoDispatcher& d, identity::AuthEventService& service) {
  using S = identity::AuthEventService;
  RegisterMethods<S>(d, service,
                     {{"AdminListUserAuthEvents", &S::AdminListUserAuthEvents},
                      {"AdminUpdateAuthEventFeedback", &S::AdminUpdateAuthEventFeedback},
                      {"UpdateAuthEventFeedback", &S::UpdateAuthEventFeedback}});
}

}  // namespace cognate::api
