// SignInService: the sign-in triggers around the password and token steps (cognito-wire.md
// §7.2, §7.3): PreAuthentication before a secret is checked, PostAuthentication once every
// factor is, PreTokenGeneration on the tokens. Each is asked only when the pool configures it.

#include <utility>

#include "auth/sign_in_service.h"
#include "identity/trigger_events.h"

namespace cognate::auth {
namespace json = boost::json;
using triggers::Trigger;
using triggers::TriggerCall;

json::object SignInService::TriggerMetadata(const Call& call, bool initiate_only) {
  return call.initiate == initiate_only ? call.client_metadata : json::object();
}

void SignInService::AddInitiateMetadata(const Call& call, json::object& request) {
  json::object metadata = TriggerMetadata(call, true);
  if (metadata.empty()) return;
  request["validationData"] = metadata;
  request["clientMetadata"] = std::move(metadata);
}

Status SignInService::PreAuthentication(const Call& call, std::string_view name,
                                        const store::UserRecord* user) {
  triggers::TriggerInvoker& invoker = directory_.triggers();
  if (!invoker.Configured(call.pool.config, Trigger::kPreAuthentication)) return OkStatus();
  // Without PreventUserExistenceErrors an unknown name fails at once, trigger or not.
  if (user == nullptr && !HidesUserExistence(call)) return OkStatus();
  json::object request{{"userAttributes", TriggerAttributes(user)}};
  AddInitiateMetadata(call, request);
  if (user == nullptr) request["userNotFound"] = true;
  TriggerCall event{"PreAuthentication_Authentication",
                    user != nullptr ? user->username : std::string(name), call.client.id(),
                    std::move(request)};
  auto answer =
      invoker.Invoke(call.pool.id(), call.pool.config, Trigger::kPreAuthentication, event);
  if (!answer.ok()) return std::move(answer).error();
  return OkStatus();
}

Status SignInService::PostAuthentication(const Call& call, const store::UserRecord& user) {
  triggers::TriggerInvoker& invoker = directory_.triggers();
  if (!invoker.Configured(call.pool.config, Trigger::kPostAuthentication)) return OkStatus();
  json::object request{{"userAttributes", TriggerAttributes(&user)}, {"newDeviceUsed", false}};
  identity::AddClientMetadata(request, TriggerMetadata(call, false));
  TriggerCall event{"PostAuthentication_Authentication", user.username, call.client.id(),
                    std::move(request)};
  auto answer =
      invoker.Invoke(call.pool.id(), call.pool.config, Trigger::kPostAuthentication, event);
  if (!answer.ok()) return std::move(answer).error();
  return OkStatus();
}

TokenIssuer::ClaimsHook SignInService::PreTokenHook(const Call& call, const store::UserRecord& user,
                                                    TokenEvent event) {
  if (!directory_.triggers().Configured(call.pool.config, Trigger::kPreTokenGeneration)) {
    return nullptr;
  }
  // The hook runs within the caller's IssueTokens/Reissue call: the references stay valid.
  return [this, &call, &user, event](token::IssueRequest& tokens) -> Status {
    int version = PreTokenVersion(call.pool.config);
    TriggerCall trigger_call{
        std::string(TokenTriggerSource(event)), user.username, call.client.id(),
        PreTokenRequest(TriggerAttributes(&user), tokens, TriggerMetadata(call, false), version),
        std::to_string(version)};
    auto answer = directory_.triggers().Invoke(call.pool.id(), call.pool.config,
                                               Trigger::kPreTokenGeneration, trigger_call);
    if (!answer.ok()) return std::move(answer).error();
    return ApplyPreTokenResponse(*answer, version, tokens);
  };
}

}  // namespace cognate::auth
