// SignInService: construction, InitiateAuth/AdminInitiateAuth and the choice of flow.

#include <algorithm>
#include <utility>
#include <vector>

#include "auth/sign_in_service.h"
#include "crypto/random.h"
#include "identity/client_config.h"
#include "identity/json_fields.h"
#include "identity/trigger_events.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

// A flow that exists but belongs to the other API (admin flows on InitiateAuth and back).
Error WrongApi() { return Error::InvalidParameter("Initiate Auth method not supported."); }

}  // namespace

SignInService::SignInService(identity::UserDirectory& directory, const PasswordHasher& hasher,
                             token::TokenService& tokens, const crypto::KeyEncryptionKey& kek,
                             delivery::MessageSender& sender, const LockoutPolicy& lockout)
    : directory_(directory),
      hasher_(hasher),
      kek_(kek),
      sender_(sender),
      clock_(directory.clock()),
      lockout_(lockout),
      sessions_(kek, directory.clock()),
      issuer_(directory.stores(), tokens, directory.clock()) {}

Result<SignInService::Call> SignInService::PublicCall(const json::object& request) const {
  auto client = directory_.LoadClient(identity::GetString(request, "ClientId").value_or(""));
  if (!client.ok()) return std::move(client).error();
  auto pool = directory_.LoadPool(client->record.pool_id);
  if (!pool.ok()) return std::move(pool).error();
  return Call{std::move(*pool), std::move(*client), false, identity::ClientMetadataOf(request)};
}

Result<SignInService::Call> SignInService::AdminCall(const json::object& request) const {
  auto pool = directory_.LoadPool(identity::GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  auto client =
      directory_.LoadClient(pool->id(), identity::GetString(request, "ClientId").value_or(""));
  if (!client.ok()) return std::move(client).error();
  return Call{std::move(*pool), std::move(*client), true, identity::ClientMetadataOf(request)};
}

bool SignInService::FlowAllowed(const Call& call, std::string_view allow_name) {
  if (call.hosted && (allow_name == "ALLOW_USER_PASSWORD_AUTH" ||
                      allow_name == "ALLOW_REFRESH_TOKEN_AUTH")) {
    return true;
  }
  std::vector<std::string> flows = identity::EffectiveAuthFlows(call.client.config);
  return std::find(flows.begin(), flows.end(), allow_name) != flows.end();
}

bool SignInService::HidesUserExistence(const Call& call) {
  return identity::GetString(call.client.config, "PreventUserExistenceErrors") == "ENABLED";
}

Error SignInService::UnknownUser(const Call& call) const {
  if (HidesUserExistence(call)) return Error::NotAuthorized("Incorrect username or password.");
  return identity::UserNotFound();
}

Result<json::object> SignInService::InitiateAuth(const json::object& request) {
  Result<Call> call = PublicCall(request);
  if (!call.ok()) return std::move(call).error();
  call->initiate = true;
  return StartAuth(*call, request);
}

Result<json::object> SignInService::AdminInitiateAuth(const json::object& request) {
  Result<Call> call = AdminCall(request);
  if (!call.ok()) return std::move(call).error();
  call->initiate = true;
  return StartAuth(*call, request);
}

Result<json::object> SignInService::StartAuth(const Call& call, const json::object& request) {
  const std::string flow = identity::GetString(request, "AuthFlow").value_or("");
  const bool refresh = flow == "REFRESH_TOKEN_AUTH" || flow == "REFRESH_TOKEN";
  const json::object* params = identity::GetObject(request, "AuthParameters");
  const std::string username =
      params ? identity::GetString(*params, "USERNAME").value_or("") : std::string();
  Call attempt = call;
  attempt.event_id = crypto::RandomUuid();
  return Recorded(attempt, StartFlow(attempt, flow, request), refresh, username, flow);
}

Result<json::object> SignInService::StartFlow(const Call& call, const std::string& flow,
                                              const json::object& request) {
  const json::object* given = identity::GetObject(request, "AuthParameters");
  const json::object params = given ? *given : json::object();
  if (flow == "USER_PASSWORD_AUTH") {
    if (call.admin) return WrongApi();
    return PasswordFlow(call, params, false);
  }
  if (flow == "ADMIN_USER_PASSWORD_AUTH" || flow == "ADMIN_NO_SRP_AUTH") {
    if (!call.admin) return WrongApi();
    return PasswordFlow(call, params, true);
  }
  if (flow == "REFRESH_TOKEN_AUTH" || flow == "REFRESH_TOKEN") return RefreshFlow(call, params);
  if (flow == "USER_SRP_AUTH") return SrpFlow(call, params);
  if (flow == "USER_AUTH") return UserAuthFlow(call, params);
  if (flow == "CUSTOM_AUTH") return CustomAuthFlow(call, params);
  return Error::InvalidParameter("Invalid auth flow: " + flow);
}

}  // namespace cognate::auth
