#pragma once
// Binds the identity provider actions and AdminLinkProviderForUser /
// AdminDisableProviderForUser to federation::Federation.

#include "api/cognito/dispatcher.h"
#include "federation/federation.h"

namespace cognate::api {

void RegisterFederationActions(CognitoDispatcher& dispatcher, federation::Federation& federation);

}  // namespace cognate::api
