#include "api/cognito/user_actions.h"

namespace cognate::api {

void RegisterUserActions(CognitoDispatcher& d, identity::UserService& users) {
  using Method = Result<boost::json::object> (identity::UserService::*)(const boost::json::object&);
  using S = identity::UserService;
  struct Binding {
    const char* name;
    Method method;
    Execution execution;  // Password hashing and durable writes run on the workers.
  };
  constexpr Execution kWorker = Execution::kWorker;
  const Binding actions[] = {
      {"SignUp", &S::SignUp, kWorker},
      {"ConfirmSignUp", &S::ConfirmSignUp, kWorker},
      {"ResendConfirmationCode", &S::ResendConfirmationCode, kWorker},
      {"ForgotPassword", &S::ForgotPassword, kWorker},
      {"ConfirmForgotPassword", &S::ConfirmForgotPassword, kWorker},
      {"AdminCreateUser", &S::AdminCreateUser, kWorker},
      {"AdminConfirmSignUp", &S::AdminConfirmSignUp, kWorker},
      {"AdminGetUser", &S::AdminGetUser, Execution::kInline},
      {"AdminDeleteUser", &S::AdminDeleteUser, kWorker},
      {"AdminDisableUser", &S::AdminDisableUser, kWorker},
      {"AdminEnableUser", &S::AdminEnableUser, kWorker},
      {"AdminSetUserPassword", &S::AdminSetUserPassword, kWorker},
      {"AdminResetUserPassword", &S::AdminResetUserPassword, kWorker},
      {"AdminUpdateUserAttributes", &S::AdminUpdateUserAttributes, kWorker},
      {"AdminDeleteUserAttributes", &S::AdminDeleteUserAttributes, kWorker},
      // Scans up to a few thousand rows: cheap enough, but kept off the network thread.
      {"ListUsers", &S::ListUsers, kWorker},
  };
  for (const auto& a : actions) {
    d.Register(
        a.name,
        [&users, method = a.method](const boost::json::object& body, const CallContext&) {
          return (users.*method)(body);
        },
        a.execution);
  }
}

}  // namespace cognate::api
