// OAuthEndpoints: the account pages — sign up, confirm the sign-up, resend its code, forgot
// password and reset it with the code. Each calls the same service as the public API action,
// with the client's SECRET_HASH when it has a secret.

#include "identity/json_fields.h"
#include "oauth/oauth_endpoints.h"

namespace cognate::oauth {
namespace json = boost::json;
namespace {

bool Has(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

hosted::AttributeInput Input(std::string name, std::string value) {
  hosted::AttributeInput in;
  in.name = name;
  in.value = std::move(value);
  in.required = true;
  if (name == "email") {
    in.label = "Email";
    in.type = "email";
    in.autocomplete = "email";
  } else if (name == "phone_number") {
    in.label = "Phone number (e.g. +15555550100)";
    in.type = "tel";
    in.autocomplete = "tel";
  } else if (name == "birthdate") {
    in.label = "Birth date";
    in.type = "date";
    in.autocomplete = "bday";
  } else {
    static const std::pair<const char*, const char*> kKnown[] = {
        {"given_name", "Given name"}, {"family_name", "Family name"}, {"name", "Name"},
        {"middle_name", "Middle name"}, {"nickname", "Nickname"}, {"address", "Address"},
        {"gender", "Gender"}, {"preferred_username", "Preferred username"}};
    in.label = name;
    for (const auto& [key, label] : kKnown)
      if (name == key) in.label = label;
    in.type = "text";
  }
  return in;
}

// The attributes a sign-up asks for: the pool's required ones, and the email or phone number
// a code can be sent to (auto-verified attributes), unless that is the username itself.
std::vector<std::string> SignUpAttributes(const identity::PoolContext& pool) {
  std::vector<std::string> names;
  if (const json::array* schema = identity::GetArray(pool.config, "SchemaAttributes")) {
    for (const auto& v : *schema) {
      if (!v.is_object()) continue;
      const json::object& a = v.as_object();
      std::string name = identity::GetString(a, "Name").value_or("");
      if (identity::GetBool(a, "Required").value_or(false) && name != "sub") names.push_back(name);
    }
  }
  if (const json::array* verified = identity::GetArray(pool.config, "AutoVerifiedAttributes")) {
    for (const auto& v : *verified)
      if (v.is_string() && !Has(names, v.get_string())) names.emplace_back(v.get_string());
  }
  std::vector<std::string> out;
  for (const std::string& n : names)
    if (!Has(pool.username_attributes, n)) out.push_back(n);
  return out;
}

}  // namespace

json::object OAuthEndpoints::AccountRequest(const identity::ClientContext& client,
                                            const std::string& username) {
  json::object request{{"ClientId", client.id()}, {"Username", username}};
  if (std::string hash = SecretHash(client, username); !hash.empty()) {
    request["SecretHash"] = hash;
  }
  return request;
}

http::Response OAuthEndpoints::SignUp(const Call& call) const {
  PageStart start = Begin(call);
  if (start.refusal) return std::move(*start.refusal);
  const AuthorizeContext& context = *start.context;
  const json::object* admin = identity::GetObject(context.pool.config, "AdminCreateUserConfig");
  if (admin && identity::GetBool(*admin, "AllowAdminCreateUserOnly").value_or(false)) {
    return ErrorPage(call, 403, "Sign-up is not available. Ask your administrator for an account.");
  }
  std::string error;
  std::string username;
  std::vector<std::pair<std::string, std::string>> values;
  if (call.request.method == "POST") {
    const std::optional<Form>& form = start.form;
    username = std::string(form->Get(hosted::kFieldUsername).value_or(""));
    json::array attributes;
    for (const std::string& name : SignUpAttributes(context.pool)) {
      std::string value(form->Get(hosted::kAttributeFieldPrefix + name).value_or(""));
      values.emplace_back(name, value);
      if (!value.empty()) attributes.push_back(json::object{{"Name", name}, {"Value", value}});
    }
    json::object request = AccountRequest(context.client, username);
    request["Password"] = std::string(form->Get(hosted::kFieldPassword).value_or(""));
    request["UserAttributes"] = std::move(attributes);
    auto created = username.empty() ? Result<json::object>(Error::InvalidParameter(
                                          "Enter a username."))
                                    : s_.users.SignUp(request);
    if (created.ok()) {
      if (identity::GetBool(*created, "UserConfirmed").value_or(false)) {
        return Redirect(PageUrl(call, "/login", context) + "&notice=confirmed", true);
      }
      return Redirect(AppendQuery(PageUrl(call, "/confirm", context), "username", username), true);
    }
    if (created.error().http_status >= 500) return ErrorPage(call, 500, "The service is unavailable.");
    error = Explain(created.error());
  }
  PageParts parts = Parts(call, context, "Create an account", "/signup");
  parts.page.error = error;
  hosted::SignUpPage view;
  view.username = username;
  view.username_is_email = Has(context.pool.username_attributes, "email");
  for (const std::string& name : SignUpAttributes(context.pool)) {
    std::string value;
    for (const auto& [n, v] : values)
      if (n == name) value = v;
    view.attributes.push_back(Input(name, value));
  }
  view.password_rules = PasswordRules(context.pool);
  view.links.push_back({"Already have an account? Sign in", PageUrl(call, "/login", context)});
  return Html(call, error.empty() ? 200 : 400, parts,
              hosted::RenderSignUp(parts.page, parts.form, view));
}

http::Response OAuthEndpoints::Confirm(const Call& call) const {
  PageStart start = Begin(call);
  if (start.refusal) return std::move(*start.refusal);
  const AuthorizeContext& context = *start.context;
  std::string username(call.query.Get("username").value_or(""));
  std::string error;
  if (call.request.method == "POST") {
    const std::optional<Form>& form = start.form;
    username = std::string(form->Get(hosted::kFieldUsername).value_or(username));
    json::object request = AccountRequest(context.client, username);
    request["ConfirmationCode"] = std::string(form->Get(hosted::kFieldCode).value_or(""));
    auto confirmed = s_.users.ConfirmSignUp(request);
    if (confirmed.ok()) return Redirect(PageUrl(call, "/login", context) + "&notice=confirmed", true);
    if (confirmed.error().http_status >= 500) return ErrorPage(call, 500, "The service is unavailable.");
    error = Explain(confirmed.error());
  }
  PageParts parts = Parts(call, context, "Confirm your account", "/confirm");
  parts.page.error = error;
  if (call.query.Get("notice") == "resent") parts.page.notice = "We sent you a new code.";
  parts.form.hidden.emplace_back(hosted::kFieldUsername, username);
  parts.form.action = AppendQuery(parts.form.action, "username", username);
  hosted::CodePage view;
  view.label = "Confirmation code";
  view.resend_action = PageUrl(call, "/resendCode", context);
  view.links.push_back({"Back to sign in", PageUrl(call, "/login", context)});
  return Html(call, error.empty() ? 200 : 400, parts,
              hosted::RenderCode(parts.page, parts.form, view));
}

http::Response OAuthEndpoints::ResendCode(const Call& call) const {
  PageStart start = Begin(call);
  if (start.refusal) return std::move(*start.refusal);
  const AuthorizeContext& context = *start.context;
  const std::optional<Form>& form = start.form;
  std::string username(form->Get(hosted::kFieldUsername).value_or(""));
  (void)s_.users.ResendConfirmationCode(AccountRequest(context.client, username));  // the same answer either way
  return Redirect(AppendQuery(PageUrl(call, "/confirm", context), "username", username) +
                      "&notice=resent",
                  true);
}

http::Response OAuthEndpoints::ForgotPassword(const Call& call) const {
  PageStart start = Begin(call);
  if (start.refusal) return std::move(*start.refusal);
  const AuthorizeContext& context = *start.context;
  std::string error;
  std::string username;
  if (call.request.method == "POST") {
    const std::optional<Form>& form = start.form;
    username = std::string(form->Get(hosted::kFieldUsername).value_or(""));
    auto sent = s_.users.ForgotPassword(AccountRequest(context.client, username));
    // Unknown names go on to the code page too, so the page does not tell who has an account.
    if (sent.ok() || sent.error().type == "UserNotFoundException") {
      return Redirect(AppendQuery(PageUrl(call, "/confirmForgotPassword", context), "username",
                                  username),
                      true);
    }
    if (sent.error().http_status >= 500) return ErrorPage(call, 500, "The service is unavailable.");
    error = Explain(sent.error());
  }
  PageParts parts = Parts(call, context, "Reset your password", "/forgotPassword");
  parts.page.error = error;
  hosted::ForgotPasswordPage view;
  view.username = username;
  view.links.push_back({"Back to sign in", PageUrl(call, "/login", context)});
  return Html(call, error.empty() ? 200 : 400, parts,
              hosted::RenderForgotPassword(parts.page, parts.form, view));
}

http::Response OAuthEndpoints::ConfirmForgotPassword(const Call& call) const {
  PageStart start = Begin(call);
  if (start.refusal) return std::move(*start.refusal);
  const AuthorizeContext& context = *start.context;
  std::string username(call.query.Get("username").value_or(""));
  std::string error;
  if (call.request.method == "POST") {
    const std::optional<Form>& form = start.form;
    json::object request = AccountRequest(context.client, username);
    request["ConfirmationCode"] = std::string(form->Get(hosted::kFieldCode).value_or(""));
    request["Password"] = std::string(form->Get(hosted::kFieldNewPassword).value_or(""));
    auto reset = s_.users.ConfirmForgotPassword(request);
    if (reset.ok()) return Redirect(PageUrl(call, "/login", context) + "&notice=reset", true);
    if (reset.error().http_status >= 500) return ErrorPage(call, 500, "The service is unavailable.");
    error = reset.error().type == "UserNotFoundException"
                ? "The code is not correct. Try again."
                : Explain(reset.error());
  }
  PageParts parts = Parts(call, context, "Choose a new password", "/confirmForgotPassword");
  parts.page.error = error;
  parts.page.notice = "If an account exists for that name, we sent it a code.";
  parts.form.action = AppendQuery(parts.form.action, "username", username);
  hosted::NewPasswordPage view;
  view.with_code = true;
  view.password_rules = PasswordRules(context.pool);
  view.links.push_back({"Back to sign in", PageUrl(call, "/login", context)});
  return Html(call, error.empty() ? 200 : 400, parts,
              hosted::RenderNewPassword(parts.page, parts.form, view));
}

}  // namespace cognate::oauth
