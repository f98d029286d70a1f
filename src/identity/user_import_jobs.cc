#include "identity/user_import_jobs.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "identity/ids.h"
#include "identity/json_fields.h"
#include "identity/user_batch_writer.h"
#include "identity/user_import_csv.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

using store::PoolDocumentRecord;

constexpr char kJobKind[] = "user-import-job";
constexpr char kFileKind[] = "user-import-file";
constexpr std::string_view kUploadPath = "/user-import/";
constexpr int64_t kUploadValiditySeconds = 15 * 60;
constexpr int64_t kMaxRowsPerFile = 500'000;
constexpr int64_t kProgressEvery = 1000;
constexpr std::string_view kPageTag = "user-import-jobs:";

Error PreconditionNotMet(std::string message) {
  return Error::Make("PreconditionNotMetException", std::move(message));
}

Error JobNotFound(const std::string& job_id) {
  return Error::NotFound("Import job " + job_id + " does not exist.");
}

bool IsTerminal(std::string_view status) {
  return status == "Succeeded" || status == "Failed" || status == "Stopped";
}

}  // namespace

// The parts of an upload URL's target: /user-import/<pool>/<job>?expires=<s>&signature=<sig>.
struct UserImportService::UploadTarget {
  std::string pool_id;
  std::string job_id;
  int64_t expires_s = 0;
  std::string signature;
};

std::optional<UserImportService::UploadTarget> UserImportService::ParseUploadTarget(
    std::string_view target) {
  if (target.substr(0, kUploadPath.size()) != kUploadPath || target.size() > 1024)
    return std::nullopt;
  target.remove_prefix(kUploadPath.size());
  const auto query_at = target.find('?');
  if (query_at == std::string_view::npos) return std::nullopt;
  std::string_view path = target.substr(0, query_at);
  std::string_view query = target.substr(query_at + 1);
  const auto slash = path.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  UploadTarget out;
  out.pool_id = std::string(path.substr(0, slash));
  out.job_id = std::string(path.substr(slash + 1));
  if (out.pool_id.empty() || out.job_id.empty() || out.job_id.find('/') != std::string::npos)
    return std::nullopt;
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view name = pair.substr(0, eq);
    std::string_view value = pair.substr(eq + 1);
    if (name == "signature") out.signature = std::string(value);
    if (name == "expires") {
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), out.expires_s);
      if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
    }
  }
  if (out.signature.empty() || out.expires_s <= 0) return std::nullopt;
  return out;
}

struct UserImportService::Job {
  PoolDocumentRecord document;
  json::object body;  // UserImportJobType members (dates in ms), plus UploadExpires, Uploaded
  std::string Get(std::string_view key) const { return GetString(body, key).value_or(""); }
  int64_t Count(std::string_view key) const { return GetInt(body, key).value_or(0); }
  bool Uploaded() const {
    const json::value* v = body.if_contains("Uploaded");
    return v != nullptr && v->is_bool() && v->as_bool();
  }
};

UserImportService::UserImportService(UserDirectory& directory, std::string public_url)
    : directory_(directory),
      public_url_(std::move(public_url)),
      url_key_(directory.kek().Derive("user-import-urls")),
      runner_([this] { RunLoop(); }) {}

UserImportService::~UserImportService() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  runner_.join();
}

std::string UserImportService::UploadSignature(std::string_view pool_id, std::string_view job_id,
                                               int64_t expires_s) const {
  std::string message(pool_id);
  message.append("|").append(job_id).append("|").append(std::to_string(expires_s));
  return crypto::Base64UrlEncode(crypto::HmacSha256(url_key_, message));
}

std::string UserImportService::UploadUrl(const Job& job) const {
  const int64_t expires = job.Count("UploadExpires");
  return public_url_ + std::string(kUploadPath) + job.document.pool_id + "/" +
         job.document.name + "?expires=" + std::to_string(expires) +
         "&signature=" + UploadSignature(job.document.pool_id, job.document.name, expires);
}

json::object UserImportService::Describe(const Job& job) const {
  json::object out{{"JobName", job.Get("JobName")},
                   {"JobId", job.document.name},
                   {"UserPoolId", job.document.pool_id},
                   {"PreSignedUrl", UploadUrl(job)},
                   {"CreationDate", EpochSeconds(job.document.created_ms)},
                   {"Status", job.Get("Status")},
                   {"CloudWatchLogsRoleArn", job.Get("CloudWatchLogsRoleArn")},
                   {"ImportedUsers", job.Count("ImportedUsers")},
                   {"SkippedUsers", job.Count("SkippedUsers")},
                   {"FailedUsers", job.Count("FailedUsers")}};
  if (int64_t start = job.Count("StartDate")) out["StartDate"] = EpochSeconds(start);
  if (int64_t end = job.Count("CompletionDate")) out["CompletionDate"] = EpochSeconds(end);
  if (std::string message = job.Get("CompletionMessage"); !message.empty())
    out["CompletionMessage"] = message;
  return out;
}

Result<UserImportService::Job> UserImportService::LoadJob(const std::string& pool_id,
                                                          const std::string& job_id) const {
  auto found = directory_.stores().documents->GetDocument(pool_id, kJobKind, job_id);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return JobNotFound(job_id);
  auto body = ParseStoredObject((*found)->body_json);
  if (!body.ok()) return std::move(body).error();
  return Job{std::move(**found), std::move(*body)};
}

Status UserImportService::SaveJob(Job& job) {
  job.document.body_json = json::serialize(job.body);
  job.document.modified_ms = directory_.clock().NowMs();
  COGNATE_RETURN_IF_ERROR(directory_.stores().documents->UpdateDocument(job.document));
  ++job.document.version;
  return OkStatus();
}

Result<json::object> UserImportService::GetCSVHeader(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  json::array header;
  for (std::string& column : CsvHeaderFor(pool->config)) header.emplace_back(std::move(column));
  return json::object{{"UserPoolId", pool->id()}, {"CSVHeader", std::move(header)}};
}

Result<json::object> UserImportService::CreateUserImportJob(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  const int64_t now_ms = directory_.clock().NowMs();
  Job job;
  job.document.pool_id = pool->id();
  job.document.kind = kJobKind;
  job.document.name = "import-" + crypto::RandomString(10, crypto::kLowerAlnum);
  job.document.created_ms = job.document.modified_ms = now_ms;
  job.body = {{"JobName", GetString(request, "JobName").value_or("")},
              {"CloudWatchLogsRoleArn", GetString(request, "CloudWatchLogsRoleArn").value_or("")},
              {"Status", "Created"},
              {"UploadExpires", now_ms / 1000 + kUploadValiditySeconds},
              {"Uploaded", false}};
  job.document.body_json = json::serialize(job.body);
  auto created = directory_.stores().documents->CreateDocument(job.document);
  if (!created.ok()) return std::move(created).error();
  if (!*created) return Error::Internal("Import job id collision.");
  return json::object{{"UserImportJob", Describe(job)}};
}

Result<json::object> UserImportService::StartUserImportJob(const json::object& request) {
  const std::string pool_id = GetString(request, "UserPoolId").value_or("");
  const std::string job_id = GetString(request, "JobId").value_or("");
  auto job = LoadJob(pool_id, job_id);
  if (!job.ok()) return std::move(job).error();
  if (job->Get("Status") != "Created")
    return PreconditionNotMet("Import job " + job_id + " is " + job->Get("Status") + ".");
  if (!job->Uploaded())
    return PreconditionNotMet("No CSV file has been uploaded to the job's PreSignedUrl.");
  job->body["Status"] = "InProgress";
  job->body["StartDate"] = directory_.clock().NowMs();
  if (Status saved = SaveJob(*job); !saved.ok()) {
    // Another node started it first.
    if (saved.error().Is("ConcurrentModificationException"))
      return PreconditionNotMet("Import job " + job_id + " has already been started.");
    return std::move(saved).error();
  }
  {
    std::lock_guard lock(mu_);
    queue_.emplace_back(pool_id, job_id);
  }
  wake_.notify_one();
  return json::object{{"UserImportJob", Describe(*job)}};
}

Result<json::object> UserImportService::StopUserImportJob(const json::object& request) {
  const std::string pool_id = GetString(request, "UserPoolId").value_or("");
  const std::string job_id = GetString(request, "JobId").value_or("");
  for (int attempt = 0;; ++attempt) {
    auto job = LoadJob(pool_id, job_id);
    if (!job.ok()) return std::move(job).error();
    const std::string status = job->Get("Status");
    if (status != "InProgress" && status != "Pending")
      return PreconditionNotMet("Import job " + job_id + " is " + status + ".");
    job->body["Status"] = "Stopping";
    Status saved = SaveJob(*job);
    if (saved.ok()) return json::object{{"UserImportJob", Describe(*job)}};
    // The runner saved its progress meanwhile: try again on the fresh job.
    if (!saved.error().Is("ConcurrentModificationException") || attempt == 4)
      return std::move(saved).error();
  }
}

Result<json::object> UserImportService::DescribeUserImportJob(const json::object& request) {
  auto job = LoadJob(GetString(request, "UserPoolId").value_or(""),
                     GetString(request, "JobId").value_or(""));
  if (!job.ok()) return std::move(job).error();
  return json::object{{"UserImportJob", Describe(*job)}};
}

Result<json::object> UserImportService::ListUserImportJobs(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  std::string after;
  if (std::optional<std::string> token = GetString(request, "PaginationToken")) {
    std::optional<std::string> decoded = DecodeTaggedPageToken(kPageTag, *token);
    if (!decoded) return Error::InvalidParameter("Invalid PaginationToken.");
    after = std::move(*decoded);
  }
  const int limit = PageSize(GetInt(request, "MaxResults"));
  auto page = directory_.stores().documents->ListDocuments(pool->id(), kJobKind, after, limit);
  if (!page.ok()) return std::move(page).error();
  json::array jobs;
  for (PoolDocumentRecord& document : page->items) {
    auto body = ParseStoredObject(document.body_json);
    if (!body.ok()) return std::move(body).error();
    jobs.push_back(Describe(Job{std::move(document), std::move(*body)}));
  }
  json::object out{{"UserImportJobs", std::move(jobs)}};
  if (!page->next_after.empty())
    out["PaginationToken"] = EncodeTaggedPageToken(kPageTag, page->next_after);
  return out;
}

std::optional<UserImportService::UploadTarget> UserImportService::LiveUpload(
    std::string_view target) const {
  std::optional<UploadTarget> parsed = ParseUploadTarget(target);
  if (!parsed || parsed->expires_s < directory_.clock().NowSeconds()) return std::nullopt;
  const std::string expected =
      UploadSignature(parsed->pool_id, parsed->job_id, parsed->expires_s);
  if (!crypto::ConstantTimeEquals(expected, parsed->signature)) return std::nullopt;
  return parsed;
}

bool UserImportService::IsUploadTarget(std::string_view method, std::string_view target) const {
  return method == "PUT" && LiveUpload(target).has_value();
}

Status UserImportService::Upload(std::string_view target, std::string body) {
  std::optional<UploadTarget> parsed = LiveUpload(target);
  if (!parsed)
    return Error::Make("NotAuthorizedException", "The upload URL is invalid or has expired.", 403);
  if (body.size() > kMaxImportFileBytes)
    return Error::Make("RequestEntityTooLargeException", "The CSV file is over 100 MB.", 413);
  auto job = LoadJob(parsed->pool_id, parsed->job_id);
  if (!job.ok()) return std::move(job).error();
  if (job->Get("Status") != "Created" || job->Uploaded())
    return PreconditionNotMet("The job's file has already been uploaded.");
  PoolDocumentRecord file;
  file.pool_id = parsed->pool_id;
  file.kind = kFileKind;
  file.name = parsed->job_id;
  file.created_ms = file.modified_ms = directory_.clock().NowMs();
  file.body_json = json::serialize(json::value(directory_.kek().Seal(
      body, "user-import-file:" + parsed->pool_id + "/" + parsed->job_id)));
  auto stored = directory_.stores().documents->CreateDocument(file);
  if (!stored.ok()) return std::move(stored).error();
  if (!*stored) return PreconditionNotMet("The job's file has already been uploaded.");
  job->body["Uploaded"] = true;
  return SaveJob(*job);
}

void UserImportService::RunLoop() {
  for (;;) {
    std::pair<std::string, std::string> next;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      next = std::move(queue_.front());
      queue_.pop_front();
    }
    Run(next.first, next.second);
  }
}

void UserImportService::Run(const std::string& pool_id, const std::string& job_id) {
  auto job = LoadJob(pool_id, job_id);
  if (!job.ok()) return;
  store::PoolDocumentStore& documents = *directory_.stores().documents;
  int64_t imported = 0, skipped = 0, failed = 0;
  // Saves the counts and `status` (when not empty) on the freshest job; false when the job was
  // stopped meanwhile (it is then marked Stopped).
  auto checkpoint = [&](const std::string& status, const std::string& message) {
    for (int attempt = 0; attempt < 5; ++attempt) {
      auto fresh = LoadJob(pool_id, job_id);
      if (!fresh.ok()) return false;
      const bool stopping = fresh->Get("Status") == "Stopping";
      fresh->body["ImportedUsers"] = imported;
      fresh->body["SkippedUsers"] = skipped;
      fresh->body["FailedUsers"] = failed;
      const std::string next = stopping ? "Stopped" : status;
      if (!next.empty()) fresh->body["Status"] = next;
      if (IsTerminal(next)) {
        fresh->body["CompletionDate"] = directory_.clock().NowMs();
        fresh->body["CompletionMessage"] = stopping ? "Import Job Stopped." : message;
      }
      if (SaveJob(*fresh).ok()) return !stopping;
    }
    return false;
  };
  auto finish = [&](const std::string& status, const std::string& message) {
    checkpoint(status, message);
    (void)documents.DeleteDocument(pool_id, kFileKind, job_id);
  };

  auto file = documents.GetDocument(pool_id, kFileKind, job_id);
  auto pool = directory_.LoadPool(pool_id);
  if (!file.ok() || !file->has_value() || !pool.ok())
    return finish("Failed", "The CSV file could not be read.");
  auto sealed = ParseStoredObject("{\"v\":" + (*file)->body_json + "}");
  std::optional<std::string> sealed_text = sealed.ok() ? GetString(*sealed, "v") : std::nullopt;
  auto text = sealed_text ? directory_.kek().Open(*sealed_text,
                                                  "user-import-file:" + pool_id + "/" + job_id)
                          : Result<std::string>(Error::Internal());
  if (!text.ok()) return finish("Failed", "The CSV file could not be read.");

  CsvReader reader(*text);
  std::vector<std::string> columns;
  auto header = reader.Next(columns);
  if (!header.ok() || !*header) return finish("Failed", "The CSV file has no header row.");
  if (Status checked = CheckCsvHeader(pool->config, columns); !checked.ok())
    return finish("Failed", checked.error().message);
  UserBatchWriter writer(*directory_.stores().users, kProgressEvery / 2,
                         [&](int64_t, const Status& created) {
                           if (created.ok()) {
                             ++imported;
                           } else {
                             ++(IsTakenUser(created) ? skipped : failed);
                           }
                         });
  std::vector<std::string> row;
  for (int64_t rows = 0;; ++rows) {
    auto more = reader.Next(row);
    if (!more.ok()) {
      writer.Flush();
      return finish("Failed", more.error().message);
    }
    if (!*more) break;
    if (rows == kMaxRowsPerFile) {
      writer.Flush();
      return finish("Failed", "The CSV file has over 500,000 users.");
    }
    if (rows > 0 && rows % kProgressEvery == 0) {
      writer.Flush();
      if (!checkpoint("", "")) return finish("", "");
      std::lock_guard lock(mu_);
      if (stopping_) return;  // the server is shutting down: the job stays InProgress
    }
    auto user = UserFromCsvRow(*pool, columns, row, directory_.clock().NowMs());
    if (!user.ok()) {
      ++failed;
      continue;
    }
    writer.Add(rows, {std::move(user->first), std::move(user->second)});
  }
  writer.Flush();
  finish("Succeeded", "Import Job Completed Successfully.");
}

}  // namespace cognate::identity
