// SignInService: RevokeToken (cognito-wire.md §3.7). Revokes the sign-in session of a refresh
// token: every refresh token it produced and, through its origin_jti, its access tokens.

#include <utility>

#include "auth/sign_in_service.h"
#include "crypto/hash.h"
#include "identity/json_fields.h"
#include "token/jwt.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

Error BadClientCredentials() {
  return Error::Make("UnauthorizedException", "Invalid client credentials.");
}

}  // namespace

Result<json::object> SignInService::RevokeToken(const json::object& request) {
  // An unknown client fails like a bad secret: RevokeToken names no ResourceNotFoundException.
  Result<Call> call = PublicCall(request);
  if (!call.ok()) {
    if (call.error().Is("ResourceNotFoundException")) return BadClientCredentials();
    return std::move(call).error();
  }
  if (!call->client.secret.empty()) {
    std::optional<std::string> given = identity::GetString(request, "ClientSecret");
    if (!given || !crypto::ConstantTimeEquals(*given, call->client.secret)) {
      return BadClientCredentials();
    }
  }
  if (!TokenIssuer::RevocationEnabled(call->client.config)) {
    return Error::Make("UnsupportedOperationException",
                       "Token revocation is not enabled for this app client.");
  }
  std::string token = identity::GetString(request, "Token").value_or("");
  if (token::ParseJwt(token).ok()) {  // an access or ID token
    return Error::Make("UnsupportedTokenTypeException", "Only refresh tokens can be revoked.");
  }
  auto found =
      directory_.stores().refresh_tokens->GetRefreshToken(TokenIssuer::HashRefreshToken(token));
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return json::object();  // nothing to revoke: Cognito answers 200
  const store::RefreshTokenRecord& record = **found;
  if (record.pool_id != call->pool.id() || record.client_id != call->client.id()) {
    return Error::Make("UnauthorizedException", "The refresh token was not issued to this client.");
  }
  // A sign-out: an auth event of Cognate's own type SignOut (events/auth_event_log.h).
  events::PendingEvent event(directory_.events(), events::EventType::kSignOut);
  event.SetSubject({record.pool_id, record.username_key, record.client_id});
  Status revoked = RevokeSession(*call, record);
  if (!revoked.ok()) return event.Finish(revoked.error());
  return event.Finish(json::object());
}

}  // namespace cognate::auth
