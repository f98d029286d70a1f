// OAuthEndpoints: what every hosted page shares — frames, CSRF, URLs, error wording.

#include <boost/json/object.hpp>

#include "crypto/random.h"
#include "crypto/encoding.h"
#include "hosted/branding.h"
#include "identity/json_fields.h"
#include "identity/secret_hash.h"
#include "oauth/oauth_endpoints.h"

namespace cognate::oauth {

http::Response OAuthEndpoints::ErrorPage(const Call& call, int status,
                                         const std::string& message) const {
  (void)call;
  hosted::PageFrame page;
  page.title = "Something went wrong";
  page.style_nonce = crypto::Base64UrlEncode(crypto::RandomBytes(16));
  page.error = message;
  http::Response r = HtmlPage(status, hosted::RenderMessage(page, {}), page.style_nonce);
  r.log_error = "hosted page error";
  return r;
}

OAuthEndpoints::PageParts OAuthEndpoints::Parts(const Call& call, const AuthorizeContext& context,
                                                std::string title,
                                                std::string_view page) const {
  PageParts parts;
  parts.page.title = std::move(title);
  parts.page.style_nonce = crypto::Base64UrlEncode(crypto::RandomBytes(16));
  parts.page.branding = hosted::LoadBranding(*s_.directory.stores().documents, context.pool.id(),
                                             context.client.id());
  auto [token, cookie] = csrf_.Prepare(call.request);
  parts.form.csrf_token = std::move(token);
  parts.new_csrf_cookie = std::move(cookie);
  parts.form.action = PageUrl(call, page, context);
  parts.redirect_origin = OriginOf(context.request.redirect_uri);
  return parts;
}

http::Response OAuthEndpoints::Html(const Call& call, int status, const PageParts& parts,
                                    std::string body) const {
  http::Response r = HtmlPage(status, std::move(body), parts.page.style_nonce,
                              parts.redirect_origin);
  if (!parts.new_csrf_cookie.empty()) {
    SetCookie(r, call.site, kCsrfCookie, parts.new_csrf_cookie, 24 * 3600);
  }
  return r;
}

std::string OAuthEndpoints::PageUrl(const Call& call, std::string_view page,
                                    const AuthorizeContext& context) const {
  return call.site.base_path + std::string(page) + "?" + AuthorizeQuery(context.request);
}

OAuthEndpoints::PageStart OAuthEndpoints::Begin(const Call& call) const {
  PageStart start;
  auto checked = Recheck(call);
  if (auto* refused = std::get_if<http::Response>(&checked)) {
    start.refusal = std::move(*refused);
    return start;
  }
  if (call.request.method == "POST") {
    auto form = Form::Parse(call.request.body);
    if (!form.ok() ||
        !csrf_.Check(call.request, form->Get(hosted::kFieldCsrf).value_or(""))) {
      start.refusal = ErrorPage(call, 403,
                                "This form has expired. Go back, reload the page and try again.");
      return start;
    }
    start.form = std::move(*form);
  }
  start.context = std::move(std::get<AuthorizeContext>(checked));
  return start;
}

std::string OAuthEndpoints::Explain(const Error& error) {
  const std::string& t = error.type;
  if (t == "NotAuthorizedException" || t == "UserNotFoundException") {
    if (error.message == "Password attempts exceeded") {
      return "Too many failed attempts. Try again later.";
    }
    if (error.message == "User is disabled.") return "This account is disabled.";
    if (error.message.find("session") != std::string::npos) {
      return "This sign-in has expired. Please start again.";
    }
    return "Incorrect username or password.";
  }
  if (t == "CodeMismatchException" || t == "EnableSoftwareTokenMFAException") {
    return "The code is not correct. Try again.";
  }
  if (t == "ExpiredCodeException") return "The code has expired. Request a new one.";
  if (t == "InvalidPasswordException" || t == "PasswordHistoryPolicyViolationException" ||
      t == "UsernameExistsException" || t == "AliasExistsException" ||
      t == "InvalidParameterException" || t == "UserLambdaValidationException" ||
      t == "LimitExceededException" || t == "TooManyRequestsException" ||
      t == "CodeDeliveryFailureException") {
    return error.message;
  }
  if (t == "PasswordResetRequiredException") return "You need to reset your password.";
  if (t == "UserNotConfirmedException") return "Confirm your account first.";
  return "Something went wrong. Please try again.";
}

std::string OAuthEndpoints::SecretHash(const identity::ClientContext& client,
                                       std::string_view username) {
  if (client.secret.empty()) return {};
  return identity::ComputeSecretHash(username, client.id(), client.secret);
}

std::vector<std::string> OAuthEndpoints::PasswordRules(const identity::PoolContext& pool) {
  std::vector<std::string> rules;
  const boost::json::object* policies = identity::GetObject(pool.config, "Policies");
  const boost::json::object* policy =
      policies ? identity::GetObject(*policies, "PasswordPolicy") : nullptr;
  const bool defaults = policy == nullptr;
  int64_t min = defaults ? 8 : identity::GetInt(*policy, "MinimumLength").value_or(8);
  rules.push_back("At least " + std::to_string(min) + " characters");
  auto need = [&](std::string_view key, std::string text) {
    if (defaults || identity::GetBool(*policy, key).value_or(false)) rules.push_back(std::move(text));
  };
  need("RequireUppercase", "An uppercase letter");
  need("RequireLowercase", "A lowercase letter");
  need("RequireNumbers", "A number");
  need("RequireSymbols", "A symbol, such as ! or %");
  return rules;
}

}  // namespace cognate::oauth
