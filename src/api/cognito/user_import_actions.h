#pragma once
// Binds GetCSVHeader, CreateUserImportJob, StartUserImportJob, StopUserImportJob,
// DescribeUserImportJob and ListUserImportJobs to the UserImportService.

#include "api/cognito/dispatcher.h"
#include "identity/user_import_jobs.h"

namespace cognate::api {

void RegisterUserImportActions(CognitoDispatcher& dispatcher,
                               identity::UserImportService& service);

}  // namespace cognate::api
