#pragma once
// The OAuth 2.0 client_credentials grant (RFC 6749 section 4.4) as Cognito runs it: an app
// client with a secret, AllowedOAuthFlowsUserPoolClient true and client_credentials among its
// AllowedOAuthFlows gets an access token for custom (resource server) scopes only.
//
// Scope rules: `scope` is space-separated; each one must be among the client's
// AllowedOAuthScopes and be a scope of one of the pool's resource servers as they are now
// (invalid_scope otherwise, naming the scope). Absent or empty: every custom scope the client
// allows that still exists; none -> invalid_scope. Duplicates are granted once, in request order.
//
// Errors are OAuthError values (form.h): unauthorized_client when the client may not use the
// grant, invalid_scope as above, server_error when the store or the keys fail.

#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

#include "common/result.h"
#include "identity/user_directory.h"
#include "store/stores.h"
#include "token/token_service.h"

namespace cognate::oauth {

// `client` comes from AuthenticateClient (client_auth.h), already checked against the pool of
// the domain the request came to; the token is issued for client.record.pool_id. Returns the
// token response {"access_token", "expires_in", "token_type": "Bearer"}; the access token
// lives for the client's AccessTokenValidity (identity/token_validity.h).
Result<boost::json::object> ClientCredentialsGrant(token::TokenService& tokens,
                                                   store::PoolDocumentStore& documents,
                                                   const identity::ClientContext& client,
                                                   std::optional<std::string_view> scope);

}  // namespace cognate::oauth
