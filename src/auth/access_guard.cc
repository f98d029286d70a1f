#include "auth/access_guard.h"

#include <optional>
#include <utility>

namespace cognate::auth {
namespace {

Error Revoked() { return Error::NotAuthorized("Access Token has been revoked"); }

}  // namespace

bool HasScope(std::string_view scope, std::string_view wanted) {
  while (!scope.empty()) {
    size_t end = scope.find(' ');
    std::string_view item = scope.substr(0, end);
    if (item == wanted) return true;
    if (end == std::string_view::npos) break;
    scope.remove_prefix(end + 1);
  }
  return false;
}

AccessGuard::AccessGuard(identity::UserDirectory& directory, token::TokenService& tokens)
    : directory_(directory), tokens_(tokens) {}

Result<AuthenticatedUser> AccessGuard::Authenticate(std::string_view access_token,
                                                   std::string_view required_scope) const {
  Result<token::AccessTokenClaims> claims = tokens_.VerifyAccessToken(access_token);
  if (!claims.ok()) return std::move(claims).error();
  if (!HasScope(claims->scope, required_scope))
    return Error::NotAuthorized("Access Token does not have required scopes");
  return Admit(std::move(*claims));
}

Result<AuthenticatedUser> AccessGuard::Admit(token::AccessTokenClaims claims) const {
  Result<identity::PoolContext> pool = directory_.LoadPool(claims.pool_id);
  if (!pool.ok()) {
    // A pool deleted after the token was issued: the token names nothing any more.
    if (pool.error().Is("ResourceNotFoundException"))
      return Error::NotAuthorized("Invalid Access Token");
    return std::move(pool).error();
  }
  store::Stores& stores = directory_.stores();
  if (!claims.origin_jti.empty()) {
    Result<bool> revoked = stores.refresh_tokens->IsOriginRevoked(pool->id(), claims.origin_jti);
    if (!revoked.ok()) return std::move(revoked).error();
    if (*revoked) return Revoked();
  }
  Result<std::optional<store::UserRecord>> user = stores.users->GetUser(
      pool->id(), identity::UserDirectory::UsernameKey(*pool, claims.username));
  if (!user.ok()) return std::move(user).error();
  // A different sub means the user was deleted and its name taken again: not this token's user.
  if (!user->has_value() || (*user)->sub != claims.sub)
    return Error::NotAuthorized("User does not exist.");
  if (!(*user)->enabled) return Error::NotAuthorized("User is disabled.");
  // GlobalSignOut revokes every session (origin) of the user, checked above, exactly. Issue
  // times are whole seconds, so they only settle tokens from an earlier second; a token
  // without an origin (client without token revocation) issued in the sign-out's own second
  // is refused too, erring on the safe side.
  const int64_t valid_after_ms = (*user)->tokens_valid_after_ms;
  if (valid_after_ms > 0 && (claims.iat < valid_after_ms / 1000 ||
                             (claims.origin_jti.empty() && claims.iat * 1000 <= valid_after_ms)))
    return Revoked();
  return AuthenticatedUser{std::move(*pool), std::move(**user), std::move(claims)};
}

}  // namespace cognate::auth
