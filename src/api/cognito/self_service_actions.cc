#include "api/cognito/self_service_actions.h"

namespace cognate::api {

void RegisterSelfServiceActions(CognitoDispatcher& d, identity::SelfService& service) {
  using Method = Result<boost::json::object> (identity::SelfService::*)(const boost::json::object&);
  using S = identity::SelfService;
  struct Binding {
    const char* name;
    Method method;
    Execution execution;  // Writes wait on fsync; ChangePassword also hashes.
  };
  const Binding actions[] = {
      {"GetUser", &S::GetUser, Execution::kInline},
      {"UpdateUserAttributes", &S::UpdateUserAttributes, Execution::kWorker},
      {"DeleteUserAttributes", &S::DeleteUserAttributes, Execution::kWorker},
      {"GetUserAttributeVerificationCode", &S::GetUserAttributeVerificationCode,
       Execution::kWorker},
      {"VerifyUserAttribute", &S::VerifyUserAttribute, Execution::kWorker},
      {"ChangePassword", &S::ChangePassword, Execution::kWorker},
      {"DeleteUser", &S::DeleteUser, Execution::kWorker},
      {"GlobalSignOut", &S::GlobalSignOut, Execution::kWorker},
      {"AdminUserGlobalSignOut", &S::AdminUserGlobalSignOut, Execution::kWorker},
  };
  for (const auto& a : actions) {
    d.Register(
        a.name,
        [&service, method = a.method](const boost::json::object& body, const CallContext&) {
          return (service.*method)(body);
        },
        a.execution);
  }
}

}  // namespace cognate::api
