#pragma once
// Binds AdminListUserAuthEvents, AdminUpdateAuthEventFeedback and UpdateAuthEventFeedback to
// the AuthEventService.

#include "api/cognito/dispatcher.h"
#include "identity/auth_event_service.h"

namespace cognate::api {

void RegisterAuthEventActions(CognitoDispatcher& dispatcher, identity::AuthEventService& service);

}  // namespace cognate::api
