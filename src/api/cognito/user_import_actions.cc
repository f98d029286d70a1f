#include "api/cognito/user_import_actions.h"

namespace cognate::api {

void RegisterUserImportActions(CognitoDispatcher& d, identity::UserImportService& service) {
  using S = identity::UserImportService;
  using Method = Result<boost::json::object> (S::*)(const boost::json::object&);
  struct Binding {
    const char* name;
    Method method;
  };
  const Binding actions[] = {
      {"GetCSVHeader", &S::GetCSVHeader},
      {"CreateUserImportJob", &S::CreateUserImportJob},
      {"StartUserImportJob", &S::StartUserImportJob},
      {"StopUserImportJob", &S::StopUserImportJob},
      {"DescribeUserImportJob", &S::DescribeUserImportJob},
      {"ListUserImportJobs", &S::ListUserImportJobs},
  };
  for (const auto& a : actions) {
    d.Register(
        a.name,
        [&service, method = a.method](const boost::json::object& body, const CallContext&) {
          return (service.*method)(body);
        },
        Execution::kWorker);
  }
}

}  // namespace cognate::api
