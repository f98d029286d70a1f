#include "api/cognito/auth_actions.h"

namespace cognate::api {

void RegisterAuthActions(CognitoDispatcher& d, auth::SignInService& sign_in) {
  using Method = Result<boost::json::object> (auth::SignInService::*)(const boost::json::object&);
  struct Binding {
    const char* name;
    Method method;
  };
  // All on the worker pool: password flows hash (Argon2id), and every flow writes (refresh
  // tokens, failure counters, rotation, revocation) and so waits on fsync.
  const Binding actions[] = {
      {"InitiateAuth", &auth::SignInService::InitiateAuth},
      {"AdminInitiateAuth", &auth::SignInService::AdminInitiateAuth},
      {"RespondToAuthChallenge", &auth::SignInService::RespondToAuthChallenge},
      {"AdminRespondToAuthChallenge", &auth::SignInService::AdminRespondToAuthChallenge},
      {"GetTokensFromRefreshToken", &auth::SignInService::GetTokensFromRefreshToken},
      {"RevokeToken", &auth::SignInService::RevokeToken},
  };
  for (const auto& a : actions) {
    auto call = [&sign_in, method = a.method](const boost::json::object& body,
                                              const CallContext&) {
      return (sign_in.*method)(body);
    };
    // Refreshes only read and sign: inline they skip two thread hand-offs (about 10% of their
    // cost; docs/benchmarks.md).
    if (a.method == &auth::SignInService::InitiateAuth) {
      d.Register(a.name, std::move(call), [&sign_in](const boost::json::object& body) {
        return sign_in.InitiateAuthNeverBlocks(body);
      });
    } else if (a.method == &auth::SignInService::GetTokensFromRefreshToken) {
      d.Register(a.name, std::move(call), [&sign_in](const boost::json::object& body) {
        return sign_in.GetTokensNeverBlocks(body);
      });
    } else {
      d.Register(a.name, std::move(call), Execution::kWorker);
    }
  }
}

}  // namespace cognate::api
