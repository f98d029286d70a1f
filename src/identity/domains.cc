#include "identity/domains.h"

#include <boost/json/serialize.hpp>
#include <cctype>
#include <utility>

#include "common/ascii.h"
#include "common/clock.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "identity/json_fields.h"
#include "identity/retry.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

using store::PoolDocumentRecord;

constexpr size_t kMaxLabel = 63;
constexpr size_t kMaxHostName = 253;
// Where Cognito keeps the hosted UI's assets; Cognate serves them itself, so this is a label.
constexpr char kAssetsBucket[] = "cognate-hosted-ui-assets";

Error NoSuchDomain() { return Error::InvalidParameter("No such domain or user pool exists."); }
Error AlreadyConfigured() {
  return Error::InvalidParameter("User pool already has a domain configured.");
}
Error TakenByAnotherPool() {
  return Error::InvalidParameter("Domain already associated with another user pool.");
}

bool IsLabelChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

// One DNS label as DomainType allows it: ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$
bool IsLabel(std::string_view label) {
  if (label.empty() || label.size() > kMaxLabel || label.front() == '-' || label.back() == '-')
    return false;
  for (char c : label)
    if (!IsLabelChar(c)) return false;
  return true;
}

bool IsCustom(const json::object& description) {
  return description.contains("CustomDomainConfig");
}

// yyyyMMddHHmmss in UTC, the shape of Cognito's domain Version.
std::string VersionAt(int64_t now_ms) { return FormatUtc(now_ms, "%Y%m%d%H%M%S"); }

// A stable stand-in for the CloudFront host Cognito puts in front of a domain.
std::string DistributionFor(std::string_view domain) {
  return "d" + crypto::HexEncode(crypto::Sha256(domain)).substr(0, 13) + ".cloudfront.net";
}

// ManagedLoginVersion: 1 (classic hosted UI) or 2 (managed login).
Result<std::optional<int64_t>> ReadManagedLoginVersion(const json::object& request) {
  std::optional<int64_t> version = GetInt(request, "ManagedLoginVersion");
  if (version && *version != 1 && *version != 2) {
    return Error::InvalidParameter("ManagedLoginVersion must be 1 or 2.");
  }
  return version;
}

// What Create/UpdateUserPoolDomain answer.
json::object CloudFrontAnswer(const json::object& description) {
  json::object out;
  if (IsCustom(description)) out["CloudFrontDomain"] = description.at("CloudFrontDistribution");
  if (const json::value* v = description.if_contains("ManagedLoginVersion"))
    out["ManagedLoginVersion"] = *v;
  return out;
}

}  // namespace

Status CheckPrefixDomain(std::string_view domain) {
  if (!IsLabel(domain)) {
    return Error::InvalidParameter(
        "The domain name contains an invalid character. Domain names can only contain "
        "lower-case letters, numbers, and hyphens. Please enter a different name that follows "
        "this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$");
  }
  for (std::string_view word : {"aws", "amazon", "cognito"}) {
    if (domain.find(word) != std::string_view::npos) {
      return Error::InvalidParameter("Domain cannot contain reserved word: " + std::string(word));
    }
  }
  return OkStatus();
}

Status CheckCustomDomain(std::string_view domain) {
  int labels = 0;
  bool valid = !domain.empty() && domain.size() <= kMaxHostName;
  for (size_t start = 0; valid && start <= domain.size(); ++labels) {
    size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    valid = IsLabel(domain.substr(start, dot - start));
    start = dot + 1;
  }
  if (!valid || labels < 2) {
    return Error::InvalidParameter("The custom domain " + std::string(domain) +
                                   " is not a valid host name.");
  }
  return OkStatus();
}

DomainService::DomainService(UserDirectory& directory, std::string account_id)
    : directory_(directory), account_id_(std::move(account_id)) {}

Result<json::object> DomainService::CreateUserPoolDomain(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  std::string domain = GetString(request, "Domain").value_or("");
  const json::object* custom = GetObject(request, "CustomDomainConfig");
  COGNATE_RETURN_IF_ERROR(custom ? CheckCustomDomain(domain) : CheckPrefixDomain(domain));
  auto login_version = ReadManagedLoginVersion(request);
  if (!login_version.ok()) return std::move(login_version).error();

  auto holder = PoolOfDomain(documents(), domain);
  if (!holder.ok()) return std::move(holder).error();
  if (*holder) return **holder == pool->id() ? AlreadyConfigured() : TakenByAnotherPool();
  auto present = DomainsOfPool(documents(), pool->id());
  if (!present.ok()) return std::move(present).error();
  if (!(custom ? present->custom : present->prefix).empty()) return AlreadyConfigured();

  int64_t now_ms = directory_.clock().NowMs();
  json::object description{{"UserPoolId", pool->id()},
                           {"AWSAccountId", account_id_},
                           {"Domain", domain},
                           {"S3Bucket", kAssetsBucket},
                           {"CloudFrontDistribution", DistributionFor(domain)},
                           {"Version", VersionAt(now_ms)},
                           {"Status", "ACTIVE"}};
  if (custom) {
    description["CustomDomainConfig"] =
        json::object{{"CertificateArn", GetString(*custom, "CertificateArn").value_or("")}};
  }
  if (*login_version) description["ManagedLoginVersion"] = **login_version;
  PoolDocumentRecord document{pool->id(), PoolDocumentRecord::kDomain,
                              domain,     json::serialize(description),
                              now_ms,     now_ms};
  auto created = documents().CreateDocument(document);
  if (!created.ok()) return std::move(created).error();
  if (!*created) return TakenByAnotherPool();  // Lost a race for the name.
  return CloudFrontAnswer(description);
}

Result<json::object> DomainService::DescribeUserPoolDomain(const json::object& request) {
  std::string domain = GetString(request, "Domain").value_or("");
  auto found = documents().FindDocument(PoolDocumentRecord::kDomain, domain);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return json::object{{"DomainDescription", json::object()}};
  auto description = ParseStoredObject((*found)->body_json);
  if (!description.ok()) return std::move(description).error();
  return json::object{{"DomainDescription", std::move(*description)}};
}

Result<PoolDocumentRecord> DomainService::LoadOwnDomain(const json::object& request) const {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  auto found = documents().GetDocument(pool->id(), PoolDocumentRecord::kDomain,
                                       GetString(request, "Domain").value_or(""));
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return NoSuchDomain();
  return std::move(**found);
}

Result<json::object> DomainService::UpdateUserPoolDomain(const json::object& request) {
  auto login_version = ReadManagedLoginVersion(request);
  if (!login_version.ok()) return std::move(login_version).error();
  return RetryOnConflict([&]() -> Result<json::object> {
    auto document = LoadOwnDomain(request);
    if (!document.ok()) return std::move(document).error();
    auto description = ParseStoredObject(document->body_json);
    if (!description.ok()) return std::move(description).error();
    if (const json::object* custom = GetObject(request, "CustomDomainConfig")) {
      if (!IsCustom(*description)) {
        return Error::InvalidParameter(
            "CustomDomainConfig can only be updated for a custom domain.");
      }
      (*description)["CustomDomainConfig"] =
          json::object{{"CertificateArn", GetString(*custom, "CertificateArn").value_or("")}};
    }
    if (*login_version) (*description)["ManagedLoginVersion"] = **login_version;
    document->modified_ms = directory_.clock().NowMs();
    (*description)["Version"] = VersionAt(document->modified_ms);
    document->body_json = json::serialize(*description);
    Status updated = documents().UpdateDocument(*document);
    if (!updated.ok() && updated.error().Is("ResourceNotFoundException")) return NoSuchDomain();
    COGNATE_RETURN_IF_ERROR(updated);
    return CloudFrontAnswer(*description);
  });
}

Result<json::object> DomainService::DeleteUserPoolDomain(const json::object& request) {
  auto document = LoadOwnDomain(request);
  if (!document.ok()) return std::move(document).error();
  auto deleted =
      documents().DeleteDocument(document->pool_id, PoolDocumentRecord::kDomain, document->name);
  if (!deleted.ok()) return std::move(deleted).error();
  if (!*deleted) return NoSuchDomain();
  return json::object();
}

Result<std::optional<std::string>> PoolOfDomain(store::PoolDocumentStore& documents,
                                                std::string_view domain) {
  if (domain.empty() || domain.size() > kMaxHostName) return std::optional<std::string>();
  auto found = documents.FindDocument(PoolDocumentRecord::kDomain, AsciiLower(domain));
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return std::optional<std::string>();
  return std::optional<std::string>((*found)->pool_id);
}

Result<PoolDomains> DomainsOfPool(store::PoolDocumentStore& documents, const std::string& pool_id) {
  // A pool has at most one domain of each kind; a page of a few covers it.
  auto page = documents.ListDocuments(pool_id, PoolDocumentRecord::kDomain, "", 4);
  if (!page.ok()) return std::move(page).error();
  PoolDomains out;
  for (const PoolDocumentRecord& document : page->items) {
    auto description = ParseStoredObject(document.body_json);
    if (!description.ok()) return std::move(description).error();
    (IsCustom(*description) ? out.custom : out.prefix) = document.name;
  }
  return out;
}

}  // namespace cognate::identity
