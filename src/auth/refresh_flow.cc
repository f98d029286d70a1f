// SignInService: REFRESH_TOKEN_AUTH (alias REFRESH_TOKEN), GetTokensFromRefreshToken and
// refresh-token rotation.

#include <algorithm>
#include <utility>

#include "auth/sign_in_service.h"
#include "crypto/hash.h"
#include "identity/json_fields.h"
#include "identity/secret_hash.h"
#include "identity/token_validity.h"
#include "identity/trigger_events.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

Error InvalidRefreshToken() { return Error::NotAuthorized("Invalid Refresh Token."); }
Error RefreshRevoked() { return Error::NotAuthorized("Refresh Token has been revoked"); }
Error RefreshExpired() { return Error::NotAuthorized("Refresh Token has expired"); }
Error RefreshReused() {
  return Error::Make("RefreshTokenReuseException", "Refresh Token has been reused");
}

Error RefreshNotEnabled() {
  return Error::InvalidParameter("REFRESH_TOKEN_AUTH flow not enabled for this client");
}

// RefreshTokenRotation of a client config: whether it rotates, and the retry grace period.
struct Rotation {
  bool enabled = false;
  int64_t grace_ms = 0;
};

Rotation RotationOf(const json::object& client_config) {
  Rotation rotation;
  if (const json::object* r = identity::GetObject(client_config, "RefreshTokenRotation")) {
    rotation.enabled = identity::GetString(*r, "Feature") == "ENABLED";
    rotation.grace_ms = identity::GetInt(*r, "RetryGracePeriodSeconds").value_or(0) * 1000;
  }
  return rotation;
}

}  // namespace

bool SignInService::InitiateAuthNeverBlocks(const json::object& request) const {
  const std::optional<std::string> flow = identity::GetString(request, "AuthFlow");
  if (flow != "REFRESH_TOKEN_AUTH" && flow != "REFRESH_TOKEN") return false;
  return RefreshNeverBlocks(identity::GetString(request, "ClientId").value_or(""), false);
}

bool SignInService::GetTokensNeverBlocks(const json::object& request) const {
  return RefreshNeverBlocks(identity::GetString(request, "ClientId").value_or(""), true);
}

bool SignInService::RefreshNeverBlocks(const std::string& client_id, bool may_rotate) const {
  Result<identity::ClientContext> client = directory_.LoadClient(client_id);
  if (!client.ok()) return true;  // answered with an error, without blocking
  if (may_rotate && RotationOf(client->config).enabled) return false;
  Result<identity::PoolContext> pool = directory_.LoadPool(client->record.pool_id);
  return pool.ok() &&
         !directory_.triggers().Configured(pool->config, triggers::Trigger::kPreTokenGeneration);
}

Result<json::object> SignInService::RefreshFlow(const Call& call, const json::object& params) {
  if (!FlowAllowed(call, "ALLOW_REFRESH_TOKEN_AUTH")) return RefreshNotEnabled();
  std::optional<std::string> token = identity::GetString(params, "REFRESH_TOKEN");
  if (!token || token->empty()) {
    return Error::InvalidParameter("Missing required parameter REFRESH_TOKEN");
  }
  Result<RefreshGrant> grant = FindRefreshToken(call, *token);
  if (!grant.ok()) return std::move(grant).error();
  COGNATE_RETURN_IF_ERROR(
      CheckRefreshSecretHash(call, grant->user, identity::GetString(params, "SECRET_HASH")));
  COGNATE_RETURN_IF_ERROR(CheckRefreshUsable(*grant));
  // Never rotates here; a retired token past its grace period is reuse all the same (the
  // session is revoked), reported with this API's vocabulary.
  Result<std::string> none = RotateIfNeeded(call, *grant, false);
  if (!none.ok()) {
    if (none.error().Is("RefreshTokenReuseException")) return RefreshRevoked();
    return std::move(none).error();
  }
  Result<token::IssuedTokens> tokens =
      issuer_.Reissue(call.pool, call.client, grant->user, grant->record,
                      PreTokenHook(call, grant->user, TokenEvent::kRefreshTokens));
  if (!tokens.ok()) return std::move(tokens).error();
  return json::object{{"ChallengeParameters", json::object()},
                      {"AuthenticationResult", TokenIssuer::AuthenticationResult(*tokens, "")}};
}

Result<json::object> SignInService::GetTokensFromRefreshToken(const json::object& request) {
  Result<Call> call = PublicCall(request);
  if (!call.ok()) return std::move(call).error();
  call->client_metadata = identity::ClientMetadataOf(request);  // for PreTokenGeneration
  if (!call->client.secret.empty()) {
    std::optional<std::string> given = identity::GetString(request, "ClientSecret");
    if (!given || given->empty()) {
      return Error::NotAuthorized("Client " + call->client.id() +
                                  " is configured for secret but secret was not received");
    }
    if (!crypto::ConstantTimeEquals(*given, call->client.secret)) {
      return Error::NotAuthorized("Unable to verify secret hash for client " + call->client.id());
    }
  }
  return RefreshWithRotation(*call, request);
}

Result<json::object> SignInService::RefreshWithRotation(const Call& call,
                                                        const json::object& request) {
  if (!FlowAllowed(call, "ALLOW_REFRESH_TOKEN_AUTH")) return RefreshNotEnabled();
  Result<RefreshGrant> grant =
      FindRefreshToken(call, identity::GetString(request, "RefreshToken").value_or(""));
  if (!grant.ok()) return std::move(grant).error();
  COGNATE_RETURN_IF_ERROR(CheckRefreshUsable(*grant));
  const Rotation rotation = RotationOf(call.client.config);
  // Reuse revokes the session before any trigger runs; otherwise the tokens (and so
  // PreTokenGeneration) come before rotation writes anything, so a rejection changes nothing.
  if (grant->record.rotated_ms != 0 &&
      clock_.NowMs() >= grant->record.rotated_ms + rotation.grace_ms) {
    Result<std::string> reused = RetiredTokenUse(call, *grant, rotation.enabled);
    if (!reused.ok()) return std::move(reused).error();
  }
  Result<token::IssuedTokens> tokens =
      issuer_.Reissue(call.pool, call.client, grant->user, grant->record,
                      PreTokenHook(call, grant->user, TokenEvent::kRefreshTokens));
  if (!tokens.ok()) return std::move(tokens).error();
  Result<std::string> next = RotateIfNeeded(call, *grant, rotation.enabled);
  if (!next.ok()) return std::move(next).error();
  return json::object{{"AuthenticationResult", TokenIssuer::AuthenticationResult(*tokens, *next)}};
}

Result<SignInService::RefreshGrant> SignInService::FindRefreshToken(const Call& call,
                                                                    std::string_view token) const {
  store::Stores& stores = directory_.stores();
  auto found = stores.refresh_tokens->GetRefreshToken(TokenIssuer::HashRefreshToken(token));
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return InvalidRefreshToken();
  store::RefreshTokenRecord record = std::move(**found);
  // Another client's token is as good as unknown (Cognito does not say whose it is).
  if (record.pool_id != call.pool.id() || record.client_id != call.client.id()) {
    return InvalidRefreshToken();
  }
  auto user = stores.users->GetUser(record.pool_id, record.username_key);
  if (!user.ok()) return std::move(user).error();
  if (!user->has_value()) return InvalidRefreshToken();
  return RefreshGrant{std::move(record), std::move(**user)};
}

Status SignInService::CheckRefreshUsable(const RefreshGrant& grant) const {
  if (grant.record.revoked) return RefreshRevoked();
  if (grant.record.expires_ms <= clock_.NowMs()) return RefreshExpired();
  if (!grant.user.enabled) return Error::NotAuthorized("User is disabled.");
  // GlobalSignOut after this token was made.
  if (grant.record.created_ms <= grant.user.tokens_valid_after_ms) return RefreshRevoked();
  return OkStatus();
}

// Cognito computes the refresh SECRET_HASH with the internal username (cognito-wire.md §3.6);
// clients that only know the sub send that, so both are accepted.
Status SignInService::CheckRefreshSecretHash(const Call& call, const store::UserRecord& user,
                                             const std::optional<std::string>& provided) const {
  Status by_name =
      identity::CheckSecretHash(call.client.id(), call.client.secret, user.username, provided);
  if (by_name.ok() || !provided) return by_name;
  Status by_sub =
      identity::CheckSecretHash(call.client.id(), call.client.secret, user.sub, provided);
  return by_sub.ok() ? by_sub : by_name;
}

Result<std::string> SignInService::RotateIfNeeded(const Call& call, const RefreshGrant& grant,
                                                  bool rotate) {
  if (grant.record.rotated_ms != 0) return RetiredTokenUse(call, grant, rotate);
  if (!rotate) return std::string();
  NewRefreshToken next = issuer_.MakeRefreshToken(call.client, grant.user, grant.record.origin_jti,
                                                  grant.record.auth_time_s, grant.record.scope);
  store::RefreshTokenStore& tokens = *directory_.stores().refresh_tokens;
  auto rotated = tokens.RotateRefreshToken(grant.record.token_hash, clock_.NowMs(), next.record);
  if (!rotated.ok()) return std::move(rotated).error();
  if (*rotated) return next.token;
  // Another request rotated or revoked it first: judge the token as it is now.
  auto again = tokens.GetRefreshToken(grant.record.token_hash);
  if (!again.ok()) return std::move(again).error();
  if (!again->has_value()) return InvalidRefreshToken();
  RefreshGrant now{std::move(**again), grant.user};
  COGNATE_RETURN_IF_ERROR(CheckRefreshUsable(now));
  if (now.record.rotated_ms == 0) return Error::ConcurrentModification();
  return RetiredTokenUse(call, now, rotate);
}

// A token already replaced by rotation: still good during the grace period (a client retrying
// a response it never got, which then needs a refresh token as well), reuse afterwards.
Result<std::string> SignInService::RetiredTokenUse(const Call& call, const RefreshGrant& grant,
                                                   bool rotate) {
  if (clock_.NowMs() >= grant.record.rotated_ms + RotationOf(call.client.config).grace_ms) {
    COGNATE_RETURN_IF_ERROR(RevokeSession(call, grant.record));
    return RefreshReused();
  }
  if (!rotate) return std::string();
  NewRefreshToken next = issuer_.MakeRefreshToken(call.client, grant.user, grant.record.origin_jti,
                                                  grant.record.auth_time_s, grant.record.scope);
  store::RefreshTokenStore& tokens = *directory_.stores().refresh_tokens;
  COGNATE_RETURN_IF_ERROR(tokens.PutRefreshToken(next.record));
  // A revocation that landed since the check must cover the token just added too.
  auto revoked = tokens.IsOriginRevoked(call.pool.id(), grant.record.origin_jti);
  if (!revoked.ok()) return std::move(revoked).error();
  if (*revoked) {
    COGNATE_RETURN_IF_ERROR(RevokeSession(call, grant.record));
    return RefreshRevoked();
  }
  return next.token;
}

// Revokes the refresh tokens of the session and remembers its origin_jti for as long as any of
// its tokens (refresh, access or ID, made until now) can still be valid.
Status SignInService::RevokeSession(const Call& call, const store::RefreshTokenRecord& record) {
  identity::TokenLifetimes lifetimes = identity::EffectiveTokenLifetimes(call.client.config);
  int64_t longest_s =
      std::max({lifetimes.refresh_seconds, lifetimes.access_seconds, lifetimes.id_seconds});
  int64_t keep_until_ms = std::max(record.expires_ms, clock_.NowMs() + longest_s * 1000);
  return directory_.stores().refresh_tokens->RevokeOrigin(call.pool.id(), record.origin_jti,
                                                          keep_until_ms);
}

}  // namespace cognate::auth
