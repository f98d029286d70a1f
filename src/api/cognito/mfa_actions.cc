#include "api/cognito/mfa_actions.h"

namespace cognate::api {
namespace {

using Method = Result<boost::json::object> (identity::MfaService::*)(const boost::json::object&);
using SessionMethod =
    Result<boost::json::object> (auth::SignInService::*)(const boost::json::object&);

// AccessToken requests to the MfaService, Session requests to the sign-in challenge.
Action ByCredential(identity::MfaService& mfa, Method with_token, auth::SignInService& sign_in,
                    SessionMethod with_session) {
  return [&mfa, with_token, &sign_in, with_session](
             const boost::json::object& body, const CallContext&) -> Result<boost::json::object> {
    auto kind = identity::SoftwareTokenCredential(body);
    if (!kind.ok()) return std::move(kind).error();
    if (*kind == identity::SoftwareTokenCredentialKind::kSession) {
      return (sign_in.*with_session)(body);
    }
    return (mfa.*with_token)(body);
  };
}

}  // namespace

void RegisterMfaActions(CognitoDispatcher& d, identity::MfaService& mfa,
                        auth::SignInService& sign_in) {
  using M = identity::MfaService;
  struct Binding {
    const char* name;
    Method method;
    Execution execution;  // Writes wait on fsync.
  };
  const Binding actions[] = {
      {"SetUserPoolMfaConfig", &M::SetUserPoolMfaConfig, Execution::kWorker},
      {"GetUserPoolMfaConfig", &M::GetUserPoolMfaConfig, Execution::kInline},
      {"SetUserMFAPreference", &M::SetUserMFAPreference, Execution::kWorker},
      {"AdminSetUserMFAPreference", &M::AdminSetUserMFAPreference, Execution::kWorker},
      {"SetUserSettings", &M::SetUserSettings, Execution::kWorker},
      {"AdminSetUserSettings", &M::AdminSetUserSettings, Execution::kWorker},
  };
  for (const auto& a : actions) {
    d.Register(
        a.name,
        [&mfa, method = a.method](const boost::json::object& body, const CallContext&) {
          return (mfa.*method)(body);
        },
        a.execution);
  }
  d.Register("AssociateSoftwareToken",
             ByCredential(mfa, &M::AssociateSoftwareToken, sign_in,
                          &auth::SignInService::AssociateSoftwareTokenInSession),
             Execution::kWorker);
  d.Register("VerifySoftwareToken",
             ByCredential(mfa, &M::VerifySoftwareToken, sign_in,
                          &auth::SignInService::VerifySoftwareTokenInSession),
             Execution::kWorker);
}

}  // namespace cognate::api
