#pragma once
// Binds the user pool and app client actions to the PoolService.

#include "api/cognito/dispatcher.h"
#include "identity/pool_service.h"

namespace cognate::api {

void RegisterPoolActions(CognitoDispatcher& dispatcher, identity::PoolService& pools);

}  // namespace cognate::api
