#pragma once
// Binds the pool's OAuth configuration actions: resource servers (CreateResourceServer,
// DescribeResourceServer, UpdateResourceServer, DeleteResourceServer, ListResourceServers) and
// user pool domains (CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain,
// DeleteUserPoolDomain). The services hold no state, so the bindings own them; `directory` must
// outlive the dispatcher.

#include "api/cognito/dispatcher.h"
#include "identity/user_directory.h"

namespace cognate::api {

void RegisterOAuthConfigActions(CognitoDispatcher& dispatcher, identity::UserDirectory& directory);

}  // namespace cognate::api
