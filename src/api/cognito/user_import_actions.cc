#include "api/cognito/user_import_actions.h"

#include "api/cognito/register_methods.h"

namespace cognate::api {

void RegisterUserImportActions(CognitoDispatcher& d, identity::UserImportService& service) {
  using S = identity::UserImportService;
  RegisterMethods<S>(d, service,
                     {{"GetCSVHeader", &S::GetCSVHeader},
                      {"CreateUserImportJob", &S::CreateUserImportJob},
                      {"StartUserImportJob", &S::StartUserImportJob},
                      {"StopUserImportJob", &S::StopUserImportJob},
                      {"DescribeUserImportJob", &S::DescribeUserImportJob},
                      {"ListUserImportJobs", &S::ListUserImportJobs}});
}

}  // namespace cognate::api
