#pragma once
// Cognate as a relying party of an upstream identity provider (OAuth 2.0 authorization code
// flow, OpenID Connect Core 3.1):
//
//   AuthorizationUrl: where to send the browser. The provider's authorize_url with
//     response_type=code, client_id, redirect_uri, scope (authorize_scopes) and state; for the
//     OIDC types (OIDC, Google, SignInWithApple) also nonce and the PKCE code_challenge with
//     code_challenge_method=S256.
//   UpstreamOidc::CompleteSignIn: exchanges the code at token_url (client_secret_basic or
//     client_secret_post, as the provider record says; code_verifier when given), verifies the
//     id_token (id_token.h) against the provider's JWKS, and, when the provider has an
//     attributes_url, merges the userinfo claims fetched with the access token (their sub must
//     match the id_token's). Facebook and LoginWithAmazon have no id_token: their claims are
//     the userinfo answer. Returns the verified claims.
//
// Errors of CompleteSignIn are NotAuthorizedException (the provider refused the code, a token
// failed a check, an upstream endpoint was unreachable or answered nonsense); messages never
// carry a secret or a token. It blocks on the network: call it from a worker thread.
// Thread-safe.

#include <boost/json/object.hpp>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "federation/http_client.h"
#include "federation/identity_provider.h"
#include "federation/jwks.h"

namespace cognate::federation {

struct AuthorizationRequest {
  std::string redirect_uri;    // <public_url>/<poolId>/oauth2/idpresponse
  std::string state;           // Opaque to the provider; ties the callback to the sign-in.
  std::string nonce;           // Echoed in the id_token.
  std::string code_challenge;  // BASE64URL(SHA256(code_verifier)); "" to send none.
};

// InvalidParameterException when the provider has no usable authorize_url.
Result<std::string> AuthorizationUrl(const IdentityProvider& provider,
                                     const AuthorizationRequest& request);

struct CodeExchange {
  std::string code;           // From the callback's query.
  std::string redirect_uri;   // The same as in AuthorizationRequest.
  std::string code_verifier;  // "" when no challenge was sent.
  std::string nonce;          // The one sent in AuthorizationRequest.
};

class UpstreamOidc {
 public:
  // All must outlive this object.
  UpstreamOidc(HttpClient& http, JwksCache& jwks, const Clock& clock);

  Result<boost::json::object> CompleteSignIn(const IdentityProvider& provider,
                                             const CodeExchange& exchange);

 private:
  // The token endpoint's JSON answer (must hold an access_token).
  Result<boost::json::object> RedeemCode(const IdentityProvider& provider,
                                         const CodeExchange& exchange);
  // The attributes endpoint's JSON answer for `access_token`.
  Result<boost::json::object> FetchUserInfo(const IdentityProvider& provider,
                                            const std::string& access_token);

  HttpClient& http_;
  JwksCache& jwks_;
  const Clock& clock_;
};

}  // namespace cognate::federation
