#include "identity/client_oauth.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <cctype>
#include <string>
#include <string_view>

#include "common/ascii.h"
#include "identity/json_fields.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

constexpr std::string_view kStandardScopes[] = {"openid", "email", "phone", "profile",
                                                "aws.cognito.signin.user.admin"};

bool IsStandardScope(std::string_view scope) {
  return std::find(std::begin(kStandardScopes), std::end(kStandardScopes), scope) !=
         std::end(kStandardScopes);
}

bool IsValidScheme(std::string_view scheme) {
  if (scheme.empty() || !std::isalpha(static_cast<unsigned char>(scheme[0]))) return false;
  return std::all_of(scheme.begin(), scheme.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

bool IsAllowedRedirectUrl(std::string_view url) {
  size_t colon = url.find(':');
  if (url.find('#') != std::string_view::npos || colon == std::string_view::npos) return false;
  std::string scheme = AsciiLower(url.substr(0, colon));
  if (!IsValidScheme(scheme) || colon + 1 == url.size()) return false;
  if (scheme != "http") return true;
  // Plain http only for a browser talking to its own machine.
  std::string_view rest = url.substr(colon + 1);
  if (!rest.starts_with("//")) return false;
  rest.remove_prefix(2);
  std::string host = AsciiLower(rest.substr(0, rest.find_first_of(":/?")));
  return host == "localhost" || host == "127.0.0.1";
}

Status CheckUrls(const json::object& request, std::string_view key, std::string_view label) {
  const json::array* urls = GetArray(request, key);
  if (urls == nullptr) return OkStatus();
  for (const json::value& v : *urls) {
    if (v.is_string() && !IsAllowedRedirectUrl(v.get_string())) {
      return Error::InvalidParameter("Invalid " + std::string(label) + ": " +
                                     std::string(v.get_string()));
    }
  }
  return OkStatus();
}

Status CheckScopes(const json::object& request, const std::vector<std::string>& custom_scopes) {
  const json::array* scopes = GetArray(request, "AllowedOAuthScopes");
  if (scopes == nullptr) return OkStatus();
  for (const json::value& v : *scopes) {
    if (!v.is_string()) continue;
    std::string_view scope = v.get_string();
    if (!IsStandardScope(scope) &&
        std::find(custom_scopes.begin(), custom_scopes.end(), scope) == custom_scopes.end()) {
      return Error::Make("ScopeDoesNotExistException",
                         "Invalid scope requested: " + std::string(v.get_string()));
    }
  }
  return OkStatus();
}

Status CheckFlows(const json::object& request, bool has_secret) {
  const json::array none;
  const json::array* given = GetArray(request, "AllowedOAuthFlows");
  const json::array& flows = given ? *given : none;
  bool browser_flow = Contains(flows, "code") || Contains(flows, "implicit");
  if (Contains(flows, "client_credentials")) {
    if (browser_flow) {
      return Error::Make("InvalidOAuthFlowException",
                         "client_credentials flow can not be selected along with code flow or "
                         "implicit flow.");
    }
    if (!has_secret) {
      return Error::Make("InvalidOAuthFlowException",
                         "client_credentials flow can not be selected if client does not have a "
                         "client secret.");
    }
  }
  if (!GetBool(request, "AllowedOAuthFlowsUserPoolClient").value_or(false)) return OkStatus();
  const json::array* scopes = GetArray(request, "AllowedOAuthScopes");
  if (flows.empty() || scopes == nullptr || scopes->empty()) {
    return Error::InvalidParameter(
        "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to "
        "use OAuth flows.");
  }
  const json::array* callbacks = GetArray(request, "CallbackURLs");
  if (browser_flow && (callbacks == nullptr || callbacks->empty())) {
    return Error::InvalidParameter("CallbackURLs are required for the code and implicit flows.");
  }
  return OkStatus();
}

Status CheckDefaultRedirect(const json::object& request) {
  std::optional<std::string> uri = GetString(request, "DefaultRedirectURI");
  if (!uri) return OkStatus();
  const json::array* callbacks = GetArray(request, "CallbackURLs");
  if (callbacks == nullptr || !Contains(*callbacks, *uri)) {
    return Error::InvalidParameter("DefaultRedirectURI must be one of the CallbackURLs.");
  }
  return OkStatus();
}

}  // namespace

Status CheckOAuthSettings(const json::object& request, bool has_secret,
                          const std::vector<std::string>& custom_scopes) {
  COGNATE_RETURN_IF_ERROR(CheckScopes(request, custom_scopes));
  COGNATE_RETURN_IF_ERROR(CheckFlows(request, has_secret));
  COGNATE_RETURN_IF_ERROR(CheckUrls(request, "CallbackURLs", "callback URL"));
  COGNATE_RETURN_IF_ERROR(CheckUrls(request, "LogoutURLs", "logout URL"));
  return CheckDefaultRedirect(request);
}

}  // namespace cognate::identity
