#pragma once
// ProviderDetails per identity provider type, as Cognito checks and completes them in
// CreateIdentityProvider and UpdateIdentityProvider:
//
//   Google, Facebook, LoginWithAmazon: client_id, client_secret, authorize_scopes (Facebook
//     also api_version, default v17.0);
//   SignInWithApple: client_id, team_id, key_id, private_key, authorize_scopes;
//   OIDC: client_id, attributes_request_method (GET|POST), oidc_issuer, authorize_scopes (with
//     "openid"), optional client_secret; authorize_url, token_url, attributes_url and jwks_uri
//     default to what <oidc_issuer>/.well-known/openid-configuration says (oidc_discovery.h).
//
// The social types get the fixed endpoints Cognito's DescribeIdentityProvider shows for them
// (authorize_url, token_url, attributes_url, token_request_method, oidc_issuer...); values the
// caller gives for those keys are replaced. Keys a type does not know are refused. SAML is not
// supported (InvalidParameterException).

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/result.h"
#include "federation/http_client.h"

namespace cognate::federation {

inline constexpr std::string_view kOidc = "OIDC";
inline constexpr std::string_view kGoogle = "Google";
inline constexpr std::string_view kFacebook = "Facebook";
inline constexpr std::string_view kLoginWithAmazon = "LoginWithAmazon";
inline constexpr std::string_view kSignInWithApple = "SignInWithApple";
inline constexpr std::string_view kSaml = "SAML";

// How Cognate authenticates at the token endpoint (RFC 6749 2.3.1, OIDC Core 9).
inline constexpr std::string_view kClientSecretBasic = "client_secret_basic";
inline constexpr std::string_view kClientSecretPost = "client_secret_post";

struct CompletedDetails {
  boost::json::object details;     // What Describe shows (secrets in plaintext here).
  std::string jwks_uri;            // Where id_token keys are; "" for Facebook/LoginWithAmazon.
  std::string token_auth_method;   // kClientSecretBasic or kClientSecretPost
};

// Checks `given` for `type` and fills in the rest, fetching the discovery document for OIDC
// when an endpoint is missing. InvalidParameterException for a bad type, key or value, or a
// failed discovery.
Result<CompletedDetails> CompleteProviderDetails(std::string_view type,
                                                 const boost::json::object& given,
                                                 HttpClient& http);

// Details kept sealed at rest (client_secret, private_key).
bool IsSecretDetail(std::string_view key);

// True for the types whose sign-in returns a verifiable id_token and takes nonce and PKCE.
bool IsOidcType(std::string_view type);

// The upstream claim Cognito maps to the federated username by default: sub (OIDC, Google,
// SignInWithApple), id (Facebook), user_id (LoginWithAmazon).
std::string_view DefaultUsernameClaim(std::string_view type);

// The type must be supported; social providers must be named as their type ("Google"...);
// OIDC providers may not use a social type's name or "Cognito". InvalidParameterException
// otherwise.
Status CheckProviderName(std::string_view type, std::string_view name);

}  // namespace cognate::federation
