#pragma once
// User pool domains: the host names under which a pool's hosted pages and OAuth endpoints are
// served. Cognito's rules and shapes for CreateUserPoolDomain, DescribeUserPoolDomain,
// UpdateUserPoolDomain and DeleteUserPoolDomain, and the lookups the OAuth endpoints need.
//
// Two kinds, at most one of each per pool:
// - a prefix domain ("my-app", served by Cognito as my-app.auth.<region>.amazoncognito.com):
//   1..63 lowercase letters, digits and hyphens, not starting or ending with a hyphen, and not
//   containing the reserved words "aws", "amazon" or "cognito";
// - a custom domain (the request has CustomDomainConfig.CertificateArn): a full lowercase host
//   name such as "auth.example.com" (labels of 1..63 letters, digits and hyphens, at least two
//   labels, at most 253 characters).
// A domain names one pool across the whole server (the store enforces it).
//
// Each domain is one PoolDocumentRecord of kind kDomain named by the domain; its body is the
// DomainDescriptionType DescribeUserPoolDomain returns (UserPoolId, AWSAccountId, Domain,
// S3Bucket, CloudFrontDistribution, Version, Status "ACTIVE", CustomDomainConfig and
// ManagedLoginVersion when set). Thread-safe: no mutable state.

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "identity/user_directory.h"
#include "store/stores.h"

namespace cognate::identity {

class DomainService {
 public:
  // `account_id` is what DomainDescriptionType.AWSAccountId shows.
  explicit DomainService(UserDirectory& directory, std::string account_id = "000000000000");

  // {"CloudFrontDomain": ...} for a custom domain, {} for a prefix domain (plus
  // ManagedLoginVersion when given). InvalidParameterException for a bad or reserved name, a
  // domain another pool has ("Domain already associated with another user pool."), or a pool
  // that already has a domain of that kind ("User pool already has a domain configured.").
  Result<boost::json::object> CreateUserPoolDomain(const boost::json::object& request);
  // {"DomainDescription": {...}}; {"DomainDescription": {}} for a domain no pool has.
  Result<boost::json::object> DescribeUserPoolDomain(const boost::json::object& request);
  // Replaces a custom domain's certificate and/or the ManagedLoginVersion.
  Result<boost::json::object> UpdateUserPoolDomain(const boost::json::object& request);
  // The domain must belong to UserPoolId (else InvalidParameterException "No such domain or user
  // pool exists.").
  Result<boost::json::object> DeleteUserPoolDomain(const boost::json::object& request);

 private:
  // The stored domain the request's Domain names, which must belong to its UserPoolId.
  Result<store::PoolDocumentRecord> LoadOwnDomain(const boost::json::object& request) const;

  store::PoolDocumentStore& documents() const { return *directory_.stores().documents; }

  UserDirectory& directory_;
  std::string account_id_;
};

// The pool a domain belongs to (prefix or custom; compared case-insensitively, no port),
// std::nullopt when no pool has it. Errors only when the store fails.
Result<std::optional<std::string>> PoolOfDomain(store::PoolDocumentStore& documents,
                                                std::string_view domain);

// A pool's domains, as UserPoolType shows them ("Domain" and "CustomDomain"); empty when unset.
struct PoolDomains {
  std::string prefix;
  std::string custom;
};
Result<PoolDomains> DomainsOfPool(store::PoolDocumentStore& documents, const std::string& pool_id);

// The name rules above, exposed for tests: OkStatus or InvalidParameterException with Cognito's
// message.
Status CheckPrefixDomain(std::string_view domain);
Status CheckCustomDomain(std::string_view domain);

}  // namespace cognate::identity
