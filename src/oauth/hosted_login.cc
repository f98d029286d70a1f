// OAuthEndpoints: the sign-in page and the challenge pages that may follow it (MFA codes, MFA
// choice, TOTP set-up, new password). A sign-in in progress lives in the flow cookie: the
// challenge, its Session and parameters, sealed with the KEK and as short-lived as the Session.

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "identity/json_fields.h"
#include "oauth/oauth_endpoints.h"

namespace cognate::oauth {
namespace json = boost::json;
namespace {

constexpr std::string_view kFlowAad = "hosted-flow";
constexpr int64_t kFlowLifetimeMs = 10 * 60 * 1000;  // the Session expires sooner anyway

// What a fixed notice code in the URL says (never free text from the URL).
std::string NoticeText(std::string_view code) {
  if (code == "confirmed") return "Your account is confirmed. You can sign in now.";
  if (code == "reset") return "Your password was changed. You can sign in now.";
  return {};
}

std::string ChallengeTitle(std::string_view challenge) {
  if (challenge == "SOFTWARE_TOKEN_MFA") return "Enter your authenticator code";
  if (challenge == "SMS_MFA" || challenge == "SMS_OTP") return "Enter the code we texted you";
  if (challenge == "EMAIL_OTP") return "Enter the code we emailed you";
  if (challenge == "SELECT_MFA_TYPE") return "Choose how to verify";
  if (challenge == "MFA_SETUP") return "Set up your authenticator app";
  if (challenge == "NEW_PASSWORD_REQUIRED") return "Choose a new password";
  return "Verify";
}

std::string CodeResponseName(std::string_view challenge) {
  if (challenge == "SOFTWARE_TOKEN_MFA") return "SOFTWARE_TOKEN_MFA_CODE";
  if (challenge == "SMS_MFA") return "SMS_MFA_CODE";
  if (challenge == "SMS_OTP") return "SMS_OTP_CODE";
  return "EMAIL_OTP_CODE";
}

std::string FactorLabel(std::string_view factor) {
  if (factor == "SOFTWARE_TOKEN_MFA") return "Authenticator app";
  if (factor == "SMS_MFA") return "Text message (SMS)";
  if (factor == "EMAIL_OTP") return "Email";
  return std::string(factor);
}

std::string AttributeLabel(std::string_view name) {
  if (name == "email") return "Email";
  if (name == "phone_number") return "Phone number";
  if (name == "given_name") return "Given name";
  if (name == "family_name") return "Family name";
  if (name == "name") return "Name";
  if (name == "birthdate") return "Birth date";
  if (name == "preferred_username") return "Preferred username";
  return std::string(name);
}

std::vector<std::string> JsonStringList(std::string_view text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& item : v.as_array())
    if (item.is_string()) out.emplace_back(item.get_string());
  return out;
}

}  // namespace

http::Response OAuthEndpoints::LoginPage(const Call& call, const AuthorizeContext& context,
                                         const std::string& error, const std::string& username,
                                         int status) const {
  PageParts parts = Parts(call, context, "Sign in", "/login");
  parts.page.error = error;
  parts.page.notice = NoticeText(call.query.Get("notice").value_or(""));
  hosted::SignInPage view;
  view.username = username.empty() ? context.request.login_hint : username;
  std::vector<std::string> providers = SupportedProviders(context.client);
  view.allow_password = std::find(providers.begin(), providers.end(), "COGNITO") != providers.end();
  const std::string authorize = call.site.base_path + "/oauth2/authorize?" +
                                AuthorizeQuery(context.request);
  for (const std::string& p : providers) {
    if (p == "COGNITO") continue;
    view.providers.push_back({p, AppendQuery(authorize, "identity_provider", p)});
  }
  if (view.allow_password) {
    view.links.push_back({"Forgot your password?", PageUrl(call, "/forgotPassword", context)});
    const json::object* admin = identity::GetObject(context.pool.config, "AdminCreateUserConfig");
    if (!(admin && identity::GetBool(*admin, "AllowAdminCreateUserOnly").value_or(false))) {
      view.links.push_back({"Need an account? Sign up", PageUrl(call, "/signup", context)});
    }
  }
  return Html(call, status, parts, hosted::RenderSignIn(parts.page, parts.form, view));
}

http::Response OAuthEndpoints::Login(const Call& call) const {
  PageStart start = Begin(call);
  if (start.refusal) return std::move(*start.refusal);
  const AuthorizeContext& context = *start.context;
  if (call.request.method != "POST") return LoginPage(call, context, "", "", 200);
  const std::optional<Form>& form = start.form;
  std::vector<std::string> providers = SupportedProviders(context.client);
  if (std::find(providers.begin(), providers.end(), "COGNITO") == providers.end()) {
    return ErrorPage(call, 400, "This app signs in through an identity provider only.");
  }
  std::string username(form->Get(hosted::kFieldUsername).value_or(""));
  std::string password(form->Get(hosted::kFieldPassword).value_or(""));
  if (username.empty() || password.empty() || username.size() > 128 || password.size() > 256) {
    return LoginPage(call, context, "Enter your username and password.", username, 400);
  }
  json::object params{{"USERNAME", username}, {"PASSWORD", password}};
  if (std::string hash = SecretHash(context.client, username); !hash.empty()) {
    params["SECRET_HASH"] = hash;
  }
  auto answer = s_.sign_in.HostedInitiateAuth(json::object{{"ClientId", context.client.id()},
                                                           {"AuthFlow", "USER_PASSWORD_AUTH"},
                                                           {"AuthParameters", params}});
  if (!answer.ok()) {
    if (answer.error().http_status >= 500) return ErrorPage(call, 500, "The service is unavailable.");
    http::Response r = LoginPage(call, context, Explain(answer.error()), username, 401);
    r.log_error = answer.error().type;
    return r;
  }
  return AfterSignInStep(call, context, *answer, username);
}

http::Response OAuthEndpoints::AfterSignInStep(const Call& call, const AuthorizeContext& context,
                                               const json::object& answer,
                                               const std::string& username) const {
  if (const json::object* done = identity::GetObject(answer, "SignedIn")) {
    return CompleteAuthorization(call, context,
                                 identity::GetString(*done, "UsernameKey").value_or(""),
                                 identity::GetInt(*done, "AuthTime").value_or(0), true, true);
  }
  std::string challenge = identity::GetString(answer, "ChallengeName").value_or("");
  json::object params;
  if (const json::object* p = identity::GetObject(answer, "ChallengeParameters")) params = *p;
  json::object flow{{"c", challenge},
                    {"s", identity::GetString(answer, "Session").value_or("")},
                    {"u", identity::GetString(params, "USERNAME").value_or(username)},
                    {"p", params},
                    {"e", s_.directory.clock().NowMs() + kFlowLifetimeMs}};
  if (challenge == "MFA_SETUP") {
    // The secret is made now, so the page can show it (and show the same one again).
    auto associated = s_.sign_in.AssociateSoftwareTokenInSession(
        json::object{{"Session", identity::GetString(answer, "Session").value_or("")}});
    if (!associated.ok()) {
      return ErrorPage(call, 400, associated.error().type == "MFAMethodNotFoundException"
                                      ? "Multi-factor authentication is required, but no method "
                                        "can be set up here. Contact your administrator."
                                      : Explain(associated.error()));
    }
    flow["s"] = identity::GetString(*associated, "Session").value_or("");
    flow["k"] = identity::GetString(*associated, "SecretCode").value_or("");
  }
  http::Response r = Redirect(PageUrl(call, "/challenge", context), true);
  SetCookie(r, call.site, kFlowCookie,
            s_.directory.kek().Seal(json::serialize(flow), kFlowAad), kFlowLifetimeMs / 1000);
  return r;
}

http::Response OAuthEndpoints::Challenge(const Call& call) const {
  PageStart start = Begin(call);
  if (start.refusal) return std::move(*start.refusal);
  const AuthorizeContext& context = *start.context;
  const bool post = call.request.method == "POST";
  const std::optional<Form>& form = start.form;
  std::optional<std::string> cookie = CookieValue(call.request, kFlowCookie);
  auto opened = cookie ? s_.directory.kek().Open(*cookie, kFlowAad)
                       : Result<std::string>(Error::InvalidParameter("none"));
  json::object flow;
  if (opened.ok()) {
    boost::system::error_code ec;
    json::value v = json::parse(*opened, ec);
    if (!ec && v.is_object()) flow = v.as_object();
  }
  if (flow.empty() || identity::GetInt(flow, "e").value_or(0) <= s_.directory.clock().NowMs()) {
    return Redirect(PageUrl(call, "/login", context), post);
  }
  const std::string challenge = identity::GetString(flow, "c").value_or("");
  const std::string session = identity::GetString(flow, "s").value_or("");
  const std::string username = identity::GetString(flow, "u").value_or("");

  std::string error;
  int status = 200;
  if (post) {
    json::object responses{{"USERNAME", username}};
    if (std::string hash = SecretHash(context.client, username); !hash.empty()) {
      responses["SECRET_HASH"] = hash;
    }
    std::string next_session = session;
    std::string code(form->Get(hosted::kFieldCode).value_or(""));
    if (challenge == "MFA_SETUP") {
      auto verified = s_.sign_in.VerifySoftwareTokenInSession(
          json::object{{"Session", session}, {"UserCode", code}});
      if (!verified.ok()) {
        error = Explain(verified.error());
        status = 400;
      } else {
        next_session = identity::GetString(*verified, "Session").value_or("");
      }
    } else if (challenge == "SELECT_MFA_TYPE") {
      responses["ANSWER"] = std::string(form->Get(hosted::kFieldMfaType).value_or(""));
    } else if (challenge == "NEW_PASSWORD_REQUIRED") {
      responses["NEW_PASSWORD"] = std::string(form->Get(hosted::kFieldNewPassword).value_or(""));
      for (const auto& [name, value] : form->params()) {
        if (name.starts_with(hosted::kAttributeFieldPrefix) && !value.empty()) {
          responses["userAttributes." + name.substr(std::strlen(hosted::kAttributeFieldPrefix))] = value;
        }
      }
    } else {
      responses[CodeResponseName(challenge)] = code;
    }
    if (error.empty()) {
      auto answer = s_.sign_in.HostedRespondToAuthChallenge(
          json::object{{"ClientId", context.client.id()},
                       {"ChallengeName", challenge},
                       {"Session", next_session},
                       {"ChallengeResponses", responses}});
      if (answer.ok()) return AfterSignInStep(call, context, *answer, username);
      if (answer.error().http_status >= 500) return ErrorPage(call, 500, "The service is unavailable.");
      // A spent or expired session cannot be answered again: start over.
      if (answer.error().message.find("session") != std::string::npos) {
        http::Response r = LoginPage(call, context, Explain(answer.error()), username, 401);
        SetCookie(r, call.site, kFlowCookie, "", 0);
        return r;
      }
      error = Explain(answer.error());
      status = 401;
    }
  }

  return ChallengePage(call, context, flow, error, status);
}

http::Response OAuthEndpoints::ChallengePage(const Call& call, const AuthorizeContext& context,
                                             const json::object& flow, const std::string& error,
                                             int status) const {
  const std::string challenge = identity::GetString(flow, "c").value_or("");
  const std::string username = identity::GetString(flow, "u").value_or("");
  const json::object empty;
  const json::object* params = identity::GetObject(flow, "p");
  if (params == nullptr) params = &empty;
  PageParts parts = Parts(call, context, ChallengeTitle(challenge), "/challenge");
  parts.page.error = error;
  const std::string destination =
      identity::GetString(*params, "CODE_DELIVERY_DESTINATION").value_or("");
  std::string body;
  if (challenge == "SELECT_MFA_TYPE") {
    hosted::SelectMfaPage view;
    for (const std::string& f :
         JsonStringList(identity::GetString(*params, "MFAS_CAN_CHOOSE").value_or("[]"))) {
      view.choices.emplace_back(f, FactorLabel(f));
    }
    body = hosted::RenderSelectMfa(parts.page, parts.form, view);
  } else if (challenge == "MFA_SETUP") {
    hosted::TotpSetupPage view;
    view.secret_code = identity::GetString(flow, "k").value_or("");
    std::string label = UrlEncode(context.pool.record.name) + ":" + UrlEncode(username);
    view.otpauth_uri = "otpauth://totp/" + label + "?secret=" + view.secret_code +
                       "&issuer=" + UrlEncode(context.pool.record.name);
    body = hosted::RenderTotpSetup(parts.page, parts.form, view);
  } else if (challenge == "NEW_PASSWORD_REQUIRED") {
    hosted::NewPasswordPage view;
    view.with_code = false;
    view.password_rules = PasswordRules(context.pool);
    for (const std::string& name :
         JsonStringList(identity::GetString(*params, "requiredAttributes").value_or("[]"))) {
      std::string attr = name.starts_with("userAttributes.") ? name.substr(15) : name;
      view.attributes.push_back({attr, AttributeLabel(attr),
                                 attr == "email" ? "email" : attr == "phone_number" ? "tel" : "text",
                                 "", true, ""});
    }
    body = hosted::RenderNewPassword(parts.page, parts.form, view);
  } else if (challenge == "SOFTWARE_TOKEN_MFA" || challenge == "SMS_MFA" ||
             challenge == "EMAIL_OTP" || challenge == "SMS_OTP") {
    hosted::CodePage view;
    view.label = challenge == "SOFTWARE_TOKEN_MFA" ? "Code from your authenticator app"
                                                   : "Verification code";
    view.destination = destination;
    body = hosted::RenderCode(parts.page, parts.form, view);
  } else {
    return ErrorPage(call, 400, "This sign-in needs a step the hosted pages do not support.");
  }
  return Html(call, status, parts, std::move(body));
}

}  // namespace cognate::oauth
