#include "api/user_import_upload.h"

#include <boost/json.hpp>
#include <memory>

namespace cognate::api {

bool UserImportUploads::Claims(const http::Request& request) const {
  return request.method == "PUT" && request.Path().starts_with("/user-import/");
}

std::size_t UserImportUploads::BodyLimit(std::string_view method, std::string_view target) const {
  return service_.IsUploadTarget(method, target) ? identity::kMaxImportFileBytes : 0;
}

void UserImportUploads::Serve(http::Request request,
                              std::function<void(http::Response)> respond) const {
  auto shared = std::make_shared<std::pair<http::Request, std::function<void(http::Response)>>>(
      std::move(request), std::move(respond));
  auto work = [this, shared] {
    auto& [req, done] = *shared;
    Status uploaded = service_.Upload(req.target, std::move(req.body));
    http::Response response;
    response.log_action = "UserImportUpload";
    if (uploaded.ok()) {
      response.status = 200;
    } else {
      const Error& error = uploaded.error();
      response.status = error.http_status;
      response.log_error = error.type;
      response.Set("Content-Type", "application/json");
      response.body = boost::json::serialize(
          boost::json::object{{"__type", error.type}, {"message", error.message}});
    }
    done(std::move(response));
  };
  if (workers_ == nullptr || !workers_->TrySubmit(work)) work();
}

}  // namespace cognate::api
