#pragma once
// The gate of every user API that takes an AccessToken (GetUser, ChangePassword, ...): checks
// the token itself (TokenService), then everything Cognito revokes it for, then loads the pool
// and the user it names.
//
// Checks, in order, each failing with NotAuthorizedException:
//   signature, issuer, token_use, expiry   "Invalid Access Token" / "Access Token has expired"
//   scope lacks aws.cognito.signin.user.admin       "Access Token does not have required scopes"
//   the pool is gone                                "Invalid Access Token"
//   origin_jti revoked (RevokeToken)                "Access Token has been revoked"
//   the user is gone (or was re-created: new sub)   "User does not exist."
//   the user is disabled                            "User is disabled."
//   issued no later than the user's GlobalSignOut   "Access Token has been revoked"
// A token's iat has second resolution while the sign-out time has millisecond resolution: a
// token is refused unless its issue second starts after the sign-out (iat * 1000 >
// tokens_valid_after_ms), so no token issued before the sign-out survives it.
// Thread-safe: holds no mutable state of its own.

#include <string_view>

#include "common/result.h"
#include "identity/user_directory.h"
#include "store/user_records.h"
#include "token/token_service.h"

namespace cognate::auth {

// The scope every user-context API call requires.
inline constexpr std::string_view kUserAdminScope = "aws.cognito.signin.user.admin";

struct AuthenticatedUser {
  identity::PoolContext pool;
  store::UserRecord user;
  token::AccessTokenClaims claims;
};

class AccessGuard {
 public:
  // Both must outlive the guard.
  AccessGuard(identity::UserDirectory& directory, token::TokenService& tokens);

  // `required_scope`: what the token's scope must hold (userInfo asks for openid).
  Result<AuthenticatedUser> Authenticate(std::string_view access_token,
                                         std::string_view required_scope = kUserAdminScope) const;

 private:
  // The revocation and user checks once the token itself is known to be good.
  Result<AuthenticatedUser> Admit(token::AccessTokenClaims claims) const;

  identity::UserDirectory& directory_;
  token::TokenService& tokens_;
};

// True when the space-separated `scope` holds `wanted` as one of its items.
bool HasScope(std::string_view scope, std::string_view wanted);

}  // namespace cognate::auth
