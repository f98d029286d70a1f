#pragma once
// Cognito's user import jobs: GetCSVHeader, CreateUserImportJob, StartUserImportJob,
// StopUserImportJob, DescribeUserImportJob, ListUserImportJobs, and the upload of the CSV file
// to the job's PreSignedUrl, which Cognate serves itself (PUT <public url>/user-import/...).
//
// - A job and its file are pool documents, so any node of a cluster may take the upload, the
//   start or a describe. The file is sealed (it holds personal data) until the job ends, then
//   deleted. Uploads: at most 100 MB, before the URL's expiry (15 minutes), once per job.
// - Status: Created -> (StartUserImportJob) InProgress -> Succeeded | Failed, or Stopping ->
//   Stopped (StopUserImportJob). A bad header fails the job (CompletionMessage says why);
//   a bad row counts in FailedUsers, an existing username or alias in SkippedUsers.
// - The node that started a job runs it on a thread of its own, committing users 500 at a time
//   and the counts every 1,000 rows. A node that dies mid-job leaves it InProgress; starting a
//   new job with the same file skips the users already imported.
// - Imported users are RESET_REQUIRED (user_import_csv.h has the row rules).

#include <boost/json/object.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "common/result.h"
#include "identity/user_directory.h"

namespace cognate::identity {

inline constexpr std::size_t kMaxImportFileBytes = 100 * 1024 * 1024;

class UserImportService {
 public:
  // `public_url` is where clients reach this server (the PreSignedUrl's base).
  UserImportService(UserDirectory& directory, std::string public_url);
  ~UserImportService();  // Stops after the row in progress.
  UserImportService(const UserImportService&) = delete;
  UserImportService& operator=(const UserImportService&) = delete;

  Result<boost::json::object> GetCSVHeader(const boost::json::object& request);
  Result<boost::json::object> CreateUserImportJob(const boost::json::object& request);
  Result<boost::json::object> StartUserImportJob(const boost::json::object& request);
  Result<boost::json::object> StopUserImportJob(const boost::json::object& request);
  Result<boost::json::object> DescribeUserImportJob(const boost::json::object& request);
  Result<boost::json::object> ListUserImportJobs(const boost::json::object& request);

  // Whether a PUT to `target` is a live upload URL (cheap: an HMAC): the HTTP server then
  // lets its body be as large as kMaxImportFileBytes.
  bool IsUploadTarget(std::string_view method, std::string_view target) const;
  // Stores the uploaded file of the job `target` names. NotAuthorizedException (403) for a
  // URL that is forged or expired, PreconditionNotMetException when the job is past Created.
  Status Upload(std::string_view target, std::string body);

 private:
  struct Job;
  struct UploadTarget;
  static std::optional<UploadTarget> ParseUploadTarget(std::string_view target);
  // The upload a target names when it is a live, correctly signed URL; nullopt otherwise.
  std::optional<UploadTarget> LiveUpload(std::string_view target) const;
  Result<Job> LoadJob(const std::string& pool_id, const std::string& job_id) const;
  Status SaveJob(Job& job);
  boost::json::object Describe(const Job& job) const;
  std::string UploadUrl(const Job& job) const;
  std::string UploadSignature(std::string_view pool_id, std::string_view job_id,
                              int64_t expires_s) const;
  void RunLoop();
  void Run(const std::string& pool_id, const std::string& job_id);

  UserDirectory& directory_;
  const std::string public_url_;
  const std::string url_key_;  // kek.Derive("user-import-urls")

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::pair<std::string, std::string>> queue_;  // (pool, job) started here
  bool stopping_ = false;
  std::thread runner_;
};

}  // namespace cognate::identity
