#pragma once
// application/x-www-form-urlencoded request bodies of the OAuth 2.0 endpoints (/oauth2/token,
// /oauth2/revoke), and the error shape those endpoints answer with.
//
// Parsing follows RFC 6749: a parameter may appear at most once (section 3.1), and a parameter
// sent without a value is treated as omitted (Get returns std::nullopt for it). Names and values
// are percent-decoded with '+' as space (Boost.URL). Every size is bounded (FormLimits).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace cognate::oauth {

// An OAuth error (RFC 6749 section 5.2): Error::type is the `error` code ("invalid_request",
// "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type",
// "invalid_scope", "server_error"), Error::message the `error_description`. http_status is 401
// for invalid_client, 500 for server_error and 400 otherwise.
Error OAuthError(std::string code, std::string description);

struct FormLimits {
  size_t max_body = 16 * 1024;
  size_t max_params = 32;
  size_t max_name = 64;         // decoded
  size_t max_value = 8 * 1024;  // decoded
};

class Form {
 public:
  // invalid_request for a body over the limits, malformed percent-encoding, a NUL, or a repeated
  // parameter. An empty body is an empty form.
  static Result<Form> Parse(std::string_view body, const FormLimits& limits = {});

  // The decoded value of `name`; std::nullopt when absent or empty.
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  // Every parameter as sent (empty values included), in order.
  const std::vector<std::pair<std::string, std::string>>& params() const { return params_; }

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace cognate::oauth
