#pragma once
// Client authentication at the OAuth token and revocation endpoints (RFC 6749 section 2.3.1):
// - client_secret_basic: "Authorization: Basic base64(urlencode(client_id):urlencode(secret))",
//   both parts form-decoded; the form may repeat the same client_id but must not carry
//   client_secret as well;
// - client_secret_post: client_id and client_secret form parameters;
// - public clients (no secret): client_id alone.
//
// Errors are OAuthError values (form.h): invalid_request (status 400) for a malformed request,
// no client_id, both methods at once, or a form client_id other than the header's;
// invalid_client (401) for a malformed or non-Basic Authorization header, an unknown client, a
// client of another pool, a missing or wrong secret, or a secret sent for a public client;
// server_error (500) when the store fails. Secrets are compared in constant time and never
// appear in an error.

#include <string_view>

#include "common/result.h"
#include "identity/user_directory.h"
#include "oauth/form.h"

namespace cognate::oauth {

// The authenticated client (ClientContext::secret is its plaintext secret, empty for a public
// client). `authorization` is the Authorization header value ("" when absent). When `pool_id`
// is not empty the client must belong to that pool (the pool of the domain the request came to).
Result<identity::ClientContext> AuthenticateClient(const identity::UserDirectory& directory,
                                                   const Form& form, std::string_view authorization,
                                                   std::string_view pool_id = {});

}  // namespace cognate::oauth
