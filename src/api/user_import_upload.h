#pragma once
// The PreSignedUrl of Cognito's user import jobs, served by Cognate itself: PUT
// /user-import/<pool>/<job>?expires=..&signature=.. with the CSV file as the body (any headers,
// e.g. curl's -T with x-amz-server-side-encryption, are accepted). Only a live, correctly signed
// URL gets the large body limit (identity/user_import_jobs.h); the store work runs on a worker.

#include "api/router.h"
#include "common/worker_pool.h"
#include "identity/user_import_jobs.h"

namespace cognate::api {

class UserImportUploads final : public Endpoints {
 public:
  UserImportUploads(identity::UserImportService& service, WorkerPool* workers)
      : service_(service), workers_(workers) {}

  bool Claims(const http::Request& request) const override;
  void Serve(http::Request request, std::function<void(http::Response)> respond) const override;
  std::size_t BodyLimit(std::string_view method, std::string_view target) const override;

 private:
  identity::UserImportService& service_;
  WorkerPool* workers_;
};

}  // namespace cognate::api
