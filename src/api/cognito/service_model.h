#pragma once
// The Cognito service model (botocore's shapes and constraints, embedded at build time from
// model/cognito-idp.json) and validation of request bodies against it, with the errors AWS's
// front door gives:
//   SerializationException     a member of the wrong JSON type (string where a number belongs...)
//   InvalidParameterException  constraint violations, in Coral's words:
//     "1 validation error detected: Value 'x' at 'userPoolId' failed to satisfy constraint:
//      Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+"
//     "2 validation errors detected: ...; ..."
//     "Value null at 'poolName' failed to satisfy constraint: Member must not be null"
//     Values of sensitive members are not echoed ("Value at 'password' failed to ...").
// Patterns are Java regexes matched against the whole value (PCRE2, UTF mode). Unknown members
// are ignored, as AWS does. Thread-safe: the model is immutable once Get() has returned.
// The full rule set is described in service_model_validate.cc.

#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cognate::api {

struct OperationInfo {
  std::string name;
  std::string input_shape;   // "" when none
  std::string output_shape;  // "" when none
  bool no_auth = false;      // true for operations clients call without SigV4
  std::vector<std::string> errors;
};

class ServiceModel {
 public:
  // The model compiled into the binary. Parsed once, on first use; throws if it is malformed.
  static const ServiceModel& Get();

  const OperationInfo* FindOperation(std::string_view name) const;
  // Validates `body` (already parsed JSON) against the operation's input shape.
  Status ValidateInput(const OperationInfo& op, const boost::json::value& body) const;

  // Model patterns PCRE2 could not compile; they are not enforced. Empty for the shipped model.
  const std::vector<std::string>& SkippedPatterns() const;
  // Every distinct pattern of the model, for tests.
  std::vector<std::string> AllPatterns() const;

  ServiceModel(const ServiceModel&) = delete;
  ServiceModel& operator=(const ServiceModel&) = delete;
  ~ServiceModel();

  struct Impl;

 private:
  explicit ServiceModel(std::string_view model_json);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cognate::api
