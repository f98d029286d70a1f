#include "federation/provider_details.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <sstream>
#include <vector>

#include "federation/oidc_discovery.h"

namespace cognate::federation {
namespace json = boost::json;
namespace {

constexpr size_t kMaxDetailKeys = 32;
constexpr size_t kMaxDetailValue = 2048;
constexpr size_t kMaxPrivateKey = 8192;
constexpr std::string_view kFacebookApiVersion = "v17.0";

// The keys each type accepts: required ones first, then optional and derived ones.
struct TypeRules {
  std::string_view type;
  std::vector<std::string_view> required;
  std::vector<std::string_view> optional;
};

const std::vector<TypeRules>& Rules() {
  static const std::vector<TypeRules> rules = {
      {kOidc,
       {"client_id", "attributes_request_method", "oidc_issuer", "authorize_scopes"},
       {"client_secret", "authorize_url", "token_url", "attributes_url", "jwks_uri",
        "attributes_url_add_attributes"}},
      {kGoogle,
       {"client_id", "client_secret", "authorize_scopes"},
       {"attributes_url", "attributes_url_add_attributes", "authorize_url", "oidc_issuer",
        "token_request_method", "token_url"}},
      {kFacebook,
       {"client_id", "client_secret", "authorize_scopes"},
       {"api_version", "attributes_url", "attributes_url_add_attributes", "authorize_url",
        "token_request_method", "token_url"}},
      {kLoginWithAmazon,
       {"client_id", "client_secret", "authorize_scopes"},
       {"attributes_url", "attributes_url_add_attributes", "authorize_url",
        "token_request_method", "token_url"}},
      {kSignInWithApple,
       {"client_id", "team_id", "key_id", "private_key", "authorize_scopes"},
       {"authorize_url", "oidc_issuer", "token_request_method", "token_url"}},
  };
  return rules;
}

const TypeRules* RulesFor(std::string_view type) {
  for (const TypeRules& r : Rules())
    if (r.type == type) return &r;
  return nullptr;
}

bool Has(const std::vector<std::string_view>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool IsHttpUrl(std::string_view url) { return delivery::IsUrlWithScheme(url, {"http", "https"}); }

// Every key known to the type, every value a bounded string.
Result<json::object> CheckKeys(const TypeRules& rules, const json::object& given) {
  if (given.size() > kMaxDetailKeys)
    return Error::InvalidParameter("ProviderDetails has too many keys.");
  json::object out;
  for (const auto& kv : given) {
    std::string_view key = kv.key();
    if (!Has(rules.required, key) && !Has(rules.optional, key)) {
      return Error::InvalidParameter("ProviderDetails key " + std::string(key) +
                                     " is not supported for " + std::string(rules.type) +
                                     " identity providers.");
    }
    if (!kv.value().is_string())
      return Error::InvalidParameter("ProviderDetails values must be strings.");
    std::string_view value = kv.value().get_string();
    size_t limit = key == "private_key" ? kMaxPrivateKey : kMaxDetailValue;
    if (value.size() > limit)
      return Error::InvalidParameter("ProviderDetails value of " + std::string(key) +
                                     " is too long.");
    out[key] = value;
  }
  for (std::string_view key : rules.required) {
    const json::value* v = out.if_contains(key);
    if (v == nullptr || v->get_string().empty())
      return Error::InvalidParameter(std::string(key) + " is required in ProviderDetails for " +
                                     std::string(rules.type) + " identity providers.");
  }
  return out;
}

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Prefers client_secret_basic, which every server must support (RFC 6749 2.3.1), unless the
// discovery document lists methods without it.
std::string TokenAuthMethod(const std::vector<std::string>& supported) {
  auto listed = [&](std::string_view m) {
    return std::find(supported.begin(), supported.end(), m) != supported.end();
  };
  if (!supported.empty() && !listed(kClientSecretBasic) && listed(kClientSecretPost))
    return std::string(kClientSecretPost);
  return std::string(kClientSecretBasic);
}

Result<CompletedDetails> CompleteOidc(json::object details, HttpClient& http) {
  std::string method = Str(details, "attributes_request_method");
  if (method != "GET" && method != "POST")
    return Error::InvalidParameter("attributes_request_method must be GET or POST.");
  std::vector<std::string> scopes = Words(Str(details, "authorize_scopes"));
  if (std::find(scopes.begin(), scopes.end(), "openid") == scopes.end())
    return Error::InvalidParameter("authorize_scopes must include openid for OIDC providers.");
  std::string issuer = Str(details, "oidc_issuer");
  if (!IsHttpUrl(issuer)) return Error::InvalidParameter("oidc_issuer must be an http or https URL.");

  CompletedDetails out;
  out.token_auth_method = std::string(kClientSecretBasic);
  const std::array<std::pair<std::string_view, std::string DiscoveryDocument::*>, 4> endpoints = {{
      {"authorize_url", &DiscoveryDocument::authorization_endpoint},
      {"token_url", &DiscoveryDocument::token_endpoint},
      {"attributes_url", &DiscoveryDocument::userinfo_endpoint},
      {"jwks_uri", &DiscoveryDocument::jwks_uri},
  }};
  bool all_given = true;
  for (const auto& [key, member] : endpoints) all_given = all_given && !Str(details, key).empty();
  // Cognito reads the discovery document when the request leaves an endpoint out.
  if (!all_given) {
    auto doc = Discover(http, issuer);
    if (!doc.ok()) return std::move(doc).error();
    for (const auto& [key, member] : endpoints)
      if (Str(details, key).empty() && !((*doc).*member).empty()) details[key] = (*doc).*member;
    out.token_auth_method = TokenAuthMethod(doc->token_auth_methods);
  }
  for (std::string_view key : {"authorize_url", "token_url", "jwks_uri"}) {
    if (!IsHttpUrl(Str(details, key)))
      return Error::InvalidParameter(std::string(key) + " must be an http or https URL.");
  }
  if (!Str(details, "attributes_url").empty() && !IsHttpUrl(Str(details, "attributes_url")))
    return Error::InvalidParameter("attributes_url must be an http or https URL.");
  details["attributes_url_add_attributes"] = "false";
  out.jwks_uri = Str(details, "jwks_uri");
  out.details = std::move(details);
  return out;
}

CompletedDetails CompleteSocial(std::string_view type, json::object details) {
  CompletedDetails out;
  // Social providers accept the client secret in the body, as Cognito sends it.
  out.token_auth_method = std::string(kClientSecretPost);
  if (type == kGoogle) {
    details["attributes_url"] = "https://people.googleapis.com/v1/people/me?personFields=";
    details["attributes_url_add_attributes"] = "true";
    details["authorize_url"] = "https://accounts.google.com/o/oauth2/v2/auth";
    details["oidc_issuer"] = "https://accounts.google.com";
    details["token_request_method"] = "POST";
    details["token_url"] = "https://www.googleapis.com/oauth2/v4/token";
    out.jwks_uri = "https://www.googleapis.com/oauth2/v3/certs";
  } else if (type == kFacebook) {
    std::string version = Str(details, "api_version");
    if (version.empty()) version = std::string(kFacebookApiVersion);
    details["api_version"] = version;
    details["attributes_url"] = "https://graph.facebook.com/" + version + "/me?fields=";
    details["attributes_url_add_attributes"] = "true";
    details["authorize_url"] = "https://www.facebook.com/" + version + "/dialog/oauth";
    details["token_request_method"] = "GET";
    details["token_url"] = "https://graph.facebook.com/" + version + "/oauth/access_token";
  } else if (type == kLoginWithAmazon) {
    details["attributes_url"] = "https://api.amazon.com/user/profile";
    details["attributes_url_add_attributes"] = "false";
    details["authorize_url"] = "https://www.amazon.com/ap/oa";
    details["token_request_method"] = "POST";
    details["token_url"] = "https://api.amazon.com/auth/o2/token";
  } else if (type == kSignInWithApple) {
    details["authorize_url"] = "https://appleid.apple.com/auth/authorize";
    details["oidc_issuer"] = "https://appleid.apple.com";
    details["token_request_method"] = "POST";
    details["token_url"] = "https://appleid.apple.com/auth/token";
    out.jwks_uri = "https://appleid.apple.com/auth/keys";
  }
  out.details = std::move(details);
  return out;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

Result<CompletedDetails> CompleteProviderDetails(std::string_view type, const json::object& given,
                                                 HttpClient& http) {
  if (type == kSaml)
    return Error::InvalidParameter("SAML identity providers are not supported yet.");
  const TypeRules* rules = RulesFor(type);
  if (rules == nullptr)
    return Error::InvalidParameter("Unsupported identity provider type " + std::string(type) + ".");
  auto details = CheckKeys(*rules, given);
  if (!details.ok()) return std::move(details).error();
  if (type == kOidc) return CompleteOidc(std::move(*details), http);
  if (type == kFacebook) {
    std::string version = Str(*details, "api_version");
    bool shaped = version.empty() ||
                  (version.size() <= 8 && version[0] == 'v' &&
                   version.find_first_not_of("0123456789.", 1) == std::string::npos);
    if (!shaped) return Error::InvalidParameter("api_version must look like v17.0.");
  }
  return CompleteSocial(type, std::move(*details));
}

bool IsSecretDetail(std::string_view key) {
  return key == "client_secret" || key == "private_key";
}

bool IsOidcType(std::string_view type) {
  return type == kOidc || type == kGoogle || type == kSignInWithApple;
}

std::string_view DefaultUsernameClaim(std::string_view type) {
  if (type == kFacebook) return "id";
  if (type == kLoginWithAmazon) return "user_id";
  return "sub";
}

Status CheckProviderName(std::string_view type, std::string_view name) {
  if (type == kSaml) return Error::InvalidParameter("SAML identity providers are not supported yet.");
  if (RulesFor(type) == nullptr)
    return Error::InvalidParameter("Unsupported identity provider type " + std::string(type) + ".");
  if (EqualsIgnoringCase(name, "Cognito"))
    return Error::InvalidParameter("The provider name " + std::string(name) + " is reserved.");
  const bool social = type != kOidc && type != kSaml;
  if (social && name != type) {
    return Error::InvalidParameter("The provider name of a " + std::string(type) +
                                   " identity provider must be " + std::string(type) + ".");
  }
  if (!social) {
    for (std::string_view reserved : {kGoogle, kFacebook, kLoginWithAmazon, kSignInWithApple})
      if (EqualsIgnoringCase(name, reserved))
        return Error::InvalidParameter("The provider name " + std::string(name) +
                                       " is reserved for the " + std::string(reserved) +
                                       " identity provider.");
  }
  return OkStatus();
}

}  // namespace cognate::federation
