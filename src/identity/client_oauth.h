#pragma once
// The OAuth 2.0 members of Create/UpdateUserPoolClient: flows, scopes and redirect URLs.
//
// Rules (Cognito's, plus the choices noted):
// - AllowedOAuthFlowsUserPoolClient=true needs at least one flow and one scope; code and
//   implicit need at least one CallbackURL.
// - client_credentials cannot be combined with code/implicit, and needs a client secret
//   (InvalidOAuthFlowException).
// - Scopes: openid, email, phone, profile, aws.cognito.signin.user.admin, and the pool's custom
//   scopes "<resource server identifier>/<scope name>" (identity/resource_servers.h); any other
//   scope is ScopeDoesNotExistException "Invalid scope requested: <scope>".
// - Redirect URLs (callback and logout) are absolute, carry no fragment, and use http only for
//   localhost (Cognito's rule; 127.0.0.1 is also accepted here for local development). Custom
//   schemes such as myapp://cb are allowed. DefaultRedirectURI must be one of the CallbackURLs.

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "common/result.h"

namespace cognate::identity {

// `custom_scopes`: the pool's "<identifier>/<scope>" scopes (CustomScopesOf).
Status CheckOAuthSettings(const boost::json::object& request, bool has_secret,
                          const std::vector<std::string>& custom_scopes);

}  // namespace cognate::identity
