#include "oauth/form.h"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse_query.hpp>

namespace cognate::oauth {

namespace urls = boost::urls;

Error OAuthError(std::string code, std::string description) {
  int status = code == "invalid_client" ? 401 : code == "server_error" ? 500 : 400;
  return Error::Make(std::move(code), std::move(description), status);
}

Result<Form> Form::Parse(std::string_view body, const FormLimits& limits) {
  Form form;
  if (body.empty()) return form;
  if (body.size() > limits.max_body) return OAuthError("invalid_request", "Request too large.");
  auto parsed = urls::parse_query(urls::string_view(body.data(), body.size()));
  if (!parsed) return OAuthError("invalid_request", "Malformed form body.");
  if (parsed->size() > limits.max_params) {
    return OAuthError("invalid_request", "Too many parameters.");
  }
  // application/x-www-form-urlencoded: '+' is a space; a NUL has no business in any parameter.
  const urls::encoding_opts opts(/*space_as_plus=*/true);
  for (const urls::param_pct_view& p : *parsed) {
    if (p.key.empty() && !p.has_value) continue;  // "a=1&&b=2"
    if (p.key.decoded_size() > limits.max_name || p.value.decoded_size() > limits.max_value) {
      return OAuthError("invalid_request", "Parameter too long.");
    }
    std::string name = p.key.decode(opts);
    std::string value = p.value.decode(opts);
    if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos) {
      return OAuthError("invalid_request", "Malformed form body.");
    }
    for (const auto& [seen, unused] : form.params_) {
      if (seen == name) {
        return OAuthError("invalid_request", "Parameter " + name + " is repeated.");
      }
    }
    form.params_.emplace_back(std::move(name), std::move(value));
  }
  return form;
}

std::optional<std::string_view> Form::Get(std::string_view name) const {
  for (const auto& [key, value] : params_) {
    if (key == name) return value.empty() ? std::nullopt : std::optional<std::string_view>(value);
  }
  return std::nullopt;
}

}  // namespace cognate::oauth
