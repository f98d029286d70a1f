#pragma once
// The parameters of /oauth2/authorize, checked against the app client (cognito-wire.md §8.1).
// The hosted pages carry the same query string from page to page and check it again at each
// step, so nothing a browser changes on the way is trusted.
//
// Rules:
// - client_id must name an app client of the site's pool with AllowedOAuthFlowsUserPoolClient
//   and the code flow; redirect_uri must equal one of its CallbackURLs exactly (byte for byte).
//   Failing either shows an error page: redirecting to an unchecked URI would make Cognate an
//   open redirector.
// - Everything else fails back to the client as redirect_uri?error=...&state=...:
//   response_type must be "code" (unsupported_response_type); PKCE uses S256 only ("plain" and
//   anything else is invalid_request) and is required for clients without a secret; the
//   challenge is 43..128 characters of [A-Za-z0-9-._~]; scope keeps the requested scopes the
//   client allows (email, phone and profile only with openid; unknown ones ignored), all the
//   client's scopes when none is asked, invalid_scope when nothing is left; identity_provider
//   (or idp_identifier, resolved by the caller) must be COGNITO or one of the client's
//   SupportedIdentityProviders.
// - state, nonce, login_hint and the rest are bounded in size.

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "identity/user_directory.h"
#include "oauth/form.h"

namespace cognate::oauth {

struct AuthorizeRequest {
  std::string client_id;
  std::string redirect_uri;
  std::string state;
  std::string nonce;
  std::string code_challenge;  // "" when the client sent none (confidential clients)
  std::string identity_provider;
  std::string idp_identifier;
  std::string prompt;
  std::string login_hint;
  std::vector<std::string> scopes;  // granted, in the client's order of request
  std::string Scope() const;        // space-separated
};

struct AuthorizeContext {
  identity::PoolContext pool;
  identity::ClientContext client;
  AuthorizeRequest request;
};

// A failed check: `to_client` says whether the error may go back to redirect_uri (an OAuth
// error code in error.type) or must be shown as a page (error.message is the page's text).
struct AuthorizeFailure {
  bool to_client = false;
  Error error;
};

class AuthorizeCheck {
 public:
  // Exactly one of the two is set.
  std::optional<AuthorizeContext> context;
  std::optional<AuthorizeFailure> failure;
};

// Checks the query of an authorize request (or of a hosted page, which carries it) for the
// pool `pool_id`.
AuthorizeCheck CheckAuthorize(const identity::UserDirectory& directory, const std::string& pool_id,
                              const Form& query);

// The query string that carries an authorization from page to page (without '?').
std::string AuthorizeQuery(const AuthorizeRequest& request);

// The client's SupportedIdentityProviders (COGNITO when it lists none).
std::vector<std::string> SupportedProviders(const identity::ClientContext& client);

}  // namespace cognate::oauth
