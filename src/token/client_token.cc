// TokenService::IssueClientAccessToken: the access token of the client_credentials grant.

#include <boost/json/object.hpp>
#include <exception>
#include <utility>

#include "crypto/random.h"
#include "token/jwt.h"
#include "token/token_service.h"

namespace cognate::token {

namespace json = boost::json;

Result<IssuedClientToken> TokenService::IssueClientAccessToken(const ClientTokenRequest& r) {
  if (r.pool_id.empty() || r.client_id.empty() || r.scope.empty() || r.validity_s <= 0) {
    return Error::InvalidParameter("Incomplete token request.");
  }
  auto key = keyring_.SigningKeyFor(r.pool_id, "access");
  if (!key.ok()) return std::move(key).error();

  const int64_t iat = clock_.NowSeconds();
  IssuedClientToken out;
  out.expires_in = r.validity_s;
  out.jti = crypto::RandomUuid();
  // The claims and order of Cognito's machine-to-machine tokens: no username, no groups, no
  // origin_jti (there is no session to revoke), the client as subject.
  json::object claims;
  claims["sub"] = r.client_id;
  claims["token_use"] = "access";
  claims["scope"] = r.scope;
  claims["auth_time"] = iat;
  claims["iss"] = Issuer(r.pool_id);
  claims["exp"] = iat + r.validity_s;
  claims["iat"] = iat;
  claims["version"] = 2;
  claims["jti"] = out.jti;
  claims["client_id"] = r.client_id;
  try {
    out.access_token = SignJwt(key->key, key->kid, claims);
  } catch (const std::exception&) {
    // RsaKey reports OpenSSL failures by throwing; keep them off the request path.
    return Error::Internal("Could not sign the token.");
  }
  return out;
}

}  // namespace cognate::token
