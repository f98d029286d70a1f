// SignInService: the entry points of the hosted pages (sign_in_service.h, "hosted pages").

#include <utility>

#include "auth/sign_in_service.h"

namespace cognate::auth {
namespace json = boost::json;

Result<json::object> SignInService::HostedInitiateAuth(const json::object& request) {
  Result<Call> call = PublicCall(request);
  if (!call.ok()) return std::move(call).error();
  call->initiate = true;
  call->hosted = true;
  return StartAuth(*call, request);
}

Result<json::object> SignInService::HostedRespondToAuthChallenge(const json::object& request) {
  Result<Call> call = PublicCall(request);
  if (!call.ok()) return std::move(call).error();
  call->hosted = true;
  return RespondToChallenge(*call, request);
}

Result<SessionTokens> SignInService::HostedTokens(const std::string& client_id,
                                                  const std::string& username_key,
                                                  const OAuthGrant& grant) {
  Result<Call> call = PublicCall(json::object{{"ClientId", client_id}});
  if (!call.ok()) return std::move(call).error();
  call->hosted = true;
  auto user = directory_.stores().users->GetUser(call->pool.id(), username_key);
  if (!user.ok()) return std::move(user).error();
  // Deleted or disabled between the sign-in and the exchange.
  if (!user->has_value()) return Error::NotAuthorized("User does not exist.");
  if (!(*user)->enabled) return Error::NotAuthorized("User is disabled.");
  return issuer_.Authorize(call->pool, call->client, **user, grant,
                           PreTokenHook(*call, **user, TokenEvent::kHostedAuth));
}

Result<json::object> SignInService::HostedRefresh(const json::object& request) {
  Result<Call> call = PublicCall(request);
  if (!call.ok()) return std::move(call).error();
  call->hosted = true;
  return RefreshWithRotation(*call, request);
}

}  // namespace cognate::auth
