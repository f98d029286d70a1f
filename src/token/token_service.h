#pragma once
// Issues Cognito-shaped ID and access tokens and verifies access tokens presented to the user
// APIs. Claims and their order follow live Cognito tokens (cognito-wire.md section 3). The
// issuer is "<public_url>/<pool id>", the path under which the JWKS is served.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "token/keyring.h"
#include "token/verified_token_cache.h"

namespace cognate::token {

// Changes to one token's claims (the PreTokenGeneration trigger, auth/pre_token_generation.h):
// `add` sets claims after the service's own, then `suppress` removes claims, so a claim in both
// is suppressed. Protected claims (IsProtectedClaim) are left as the service made them.
struct ClaimOverrides {
  boost::json::object add;
  std::vector<std::string> suppress;
};

// Claims that ClaimOverrides may not add, change or remove in a token of `token_use` ("id" or
// "access"): the JWT and OIDC bookkeeping claims (iss, sub, aud, exp, iat, jti, auth_time, ...,
// origin_jti, event_id, token_use), every cognito:* claim (groups and roles change through the
// group override instead), and for access tokens client_id, scope (changed through the scope
// list), username, version and device_key.
bool IsProtectedClaim(std::string_view token_use, std::string_view name);

struct IssueRequest {
  std::string pool_id;
  std::string client_id;
  std::string sub;
  std::string username;
  // Readable user attributes already in claim form: strings, except the booleans
  // email_verified/phone_number_verified and the number updated_at. Names that collide with a
  // claim the service sets itself (e.g. "sub") are not copied.
  boost::json::object id_attributes;
  std::vector<std::string> groups;
  std::vector<std::string> roles;  // IAM role ARNs of the groups
  std::string preferred_role;
  // Shared by all tokens of one session. Empty: the client has EnableTokenRevocation off, and
  // the tokens carry neither jti nor origin_jti.
  std::string origin_jti;
  std::string event_id;  // One authentication event; omitted when empty.
  int64_t auth_time_s = 0;
  int64_t id_validity_s = 0;
  int64_t access_validity_s = 0;
  std::string scope = "aws.cognito.signin.user.admin";  // space-separated
  // OAuth 2.0 authorizations: the client's nonce (the ID token's nonce claim, when given), and
  // whether an ID token is made at all (only with the openid scope).
  std::string nonce;
  bool with_id_token = true;
  ClaimOverrides id_overrides;
  ClaimOverrides access_overrides;
};

struct IssuedTokens {
  std::string id_token;  // empty when the request asked for none
  std::string access_token;
  int64_t expires_in = 0;  // access token lifetime, seconds
  std::string access_jti;  // empty when origin_jti was empty
};

// An access token for an app client acting for itself (the OAuth client_credentials grant).
struct ClientTokenRequest {
  std::string pool_id;
  std::string client_id;
  std::string scope;  // space-separated custom scopes
  int64_t validity_s = 0;
};

struct IssuedClientToken {
  std::string access_token;
  int64_t expires_in = 0;  // seconds
  std::string jti;
};

// The checked content of an access token.
struct AccessTokenClaims {
  std::string pool_id;
  std::string sub;
  std::string username;
  std::string client_id;
  std::string origin_jti;  // empty when absent
  std::string jti;         // empty when absent
  std::string scope;
  int64_t iat = 0;
  int64_t exp = 0;
  int64_t auth_time = 0;
};

class TokenService {
 public:
  // `keyring` and `clock` must outlive the service. `public_url` has no trailing slash.
  TokenService(Keyring& keyring, const Clock& clock, std::string public_url);

  // Signs the ID token with the pool's "id" key and the access token with its "access" key.
  // InvalidParameterException for an incomplete request; InternalErrorException when the pool's
  // keys are unavailable.
  Result<IssuedTokens> Issue(const IssueRequest& request);

  // Signature, issuer, token_use "access" and expiry. NotAuthorizedException "Access Token has
  // expired" once now >= exp, "Invalid Access Token" for everything else wrong with the token;
  // InternalErrorException when keys cannot be read. Revocation is the caller's check.
  // A token verified before is found in a cache (VerifiedTokenCache): its expiry and signing
  // key are checked again, its signature not.
  Result<AccessTokenClaims> VerifyAccessToken(std::string_view token) const;

  // Signs a client-credentials access token with the pool's "access" key. Claims, in Cognito's
  // order: sub (= client_id), token_use "access", scope, auth_time (= iat), iss, exp, iat,
  // version 2, jti, client_id. It has no username, so VerifyAccessToken (the user APIs) refuses
  // it as "Invalid Access Token". InvalidParameterException for an incomplete request;
  // InternalErrorException when the pool's keys are unavailable. Defined in client_token.cc.
  Result<IssuedClientToken> IssueClientAccessToken(const ClientTokenRequest& request);

  std::string Issuer(std::string_view pool_id) const;

 private:
  Result<AccessTokenClaims> VerifyAccessTokenUncached(std::string_view token,
                                                      std::string* kid) const;

  Keyring& keyring_;
  const Clock& clock_;
  std::string public_url_;
  mutable VerifiedTokenCache verified_;
};

}  // namespace cognate::token
