// The hosted pages: each Render* function lays out one page from the shared pieces in
// page_shell.h. Wording follows Cognito's hosted UI where it has an equivalent.

#include "hosted/pages.h"

#include <string>

#include "hosted/page_shell.h"
#include "hosted/qr_svg.h"

namespace cognate::hosted {

using internal::Document;
using internal::Field;
using internal::FormOpen;
using internal::Input;
using internal::kFormClose;
using internal::LinkList;
using internal::SubmitButton;

namespace {

Field UsernameField(const std::string& value, bool is_email, bool autofocus) {
  Field f;
  f.id = "username";
  f.name = kFieldUsername;
  f.label = is_email ? "Email" : "Username";
  f.type = is_email ? "email" : "text";
  f.value = value;
  f.autocomplete = "username";
  f.autofocus = autofocus;
  return f;
}

Field CodeField(const CodePage* view, const std::string& destination) {
  Field f;
  f.id = "code";
  f.name = kFieldCode;
  f.label = view != nullptr && !view->label.empty() ? view->label : "Code";
  f.autocomplete = view != nullptr && !view->autocomplete.empty() ? view->autocomplete
                                                                   : "one-time-code";
  f.inputmode = "numeric";
  f.autofocus = true;
  if (!destination.empty()) f.hint = "We sent a code to " + destination + ".";
  return f;
}

Field NewPasswordField(const char* label, const std::vector<std::string>& rules,
                       bool autofocus) {
  Field f;
  f.id = "new_password";
  f.name = kFieldNewPassword;
  f.label = label;
  f.type = "password";
  f.autocomplete = "new-password";
  f.rules = rules;
  f.autofocus = autofocus;
  return f;
}

// Sign in with an external identity provider: links styled as buttons.
std::string ProviderButtons(const std::vector<ProviderButton>& providers) {
  std::string out;
  for (const ProviderButton& p : providers) {
    out += "<a class=\"button secondary idpButton-customizable\" href=\"" +
           EscapeHtml(internal::SafeUrl(p.href)) + "\">Sign in with " + EscapeHtml(p.name) +
           "</a>\n";
  }
  return out;
}

// The secret as the authenticator apps print it: groups of four characters.
std::string GroupsOfFour(std::string_view secret) {
  std::string out;
  for (size_t i = 0; i < secret.size(); i += 4) {
    if (i > 0) out += ' ';
    out += secret.substr(i, 4);
  }
  return out;
}

}  // namespace

std::string RenderSignIn(const PageFrame& page, const FormFrame& form, const SignInPage& view) {
  std::string body = ProviderButtons(view.providers);
  if (view.allow_password) {
    if (!view.providers.empty()) body += "<p class=\"divider\">or</p>\n";
    body += FormOpen(form);
    body += Input(page, UsernameField(view.username, false, view.username.empty()));
    Field password;
    password.id = "password";
    password.name = kFieldPassword;
    password.label = "Password";
    password.type = "password";
    password.autocomplete = "current-password";
    password.autofocus = !view.username.empty();
    body += Input(page, password);
    body += SubmitButton("Sign in");
    body += kFormClose;
  }
  body += LinkList(view.links);
  return Document(page, body);
}

std::string RenderSignUp(const PageFrame& page, const FormFrame& form, const SignUpPage& view) {
  std::string body = FormOpen(form);
  Field username = UsernameField(view.username, view.username_is_email, true);
  body += Input(page, username);
  body += internal::AttributeInputs(page, view.attributes);
  Field password = NewPasswordField("Password", view.password_rules, false);
  password.name = kFieldPassword;
  password.id = "password";
  body += Input(page, password);
  body += SubmitButton("Sign up");
  body += kFormClose;
  body += LinkList(view.links);
  return Document(page, body);
}

std::string RenderCode(const PageFrame& page, const FormFrame& form, const CodePage& view) {
  Field code = CodeField(&view, view.destination);
  std::string body = FormOpen(form);
  body += Input(page, code);
  body += SubmitButton("Continue");
  body += kFormClose;
  if (!view.resend_action.empty()) {
    FormFrame resend = form;
    resend.action = view.resend_action;
    body += FormOpen(resend);
    body += "<button type=\"submit\" class=\"button secondary\">Send a new code</button>\n";
    body += kFormClose;
  }
  body += LinkList(view.links);
  return Document(page, body);
}

std::string RenderForgotPassword(const PageFrame& page, const FormFrame& form,
                                 const ForgotPasswordPage& view) {
  std::string body =
      "<p class=\"lead textDescription-customizable\">Enter your username and we will send you "
      "a code to reset your password.</p>\n";
  body += FormOpen(form);
  body += Input(page, UsernameField(view.username, false, true));
  body += SubmitButton("Send code");
  body += kFormClose;
  body += LinkList(view.links);
  return Document(page, body);
}

std::string RenderNewPassword(const PageFrame& page, const FormFrame& form,
                              const NewPasswordPage& view) {
  std::string body;
  if (!view.with_code) {
    body += "<p class=\"lead textDescription-customizable\">Choose a new password to finish "
            "signing in.</p>\n";
  }
  body += FormOpen(form);
  if (view.with_code) {
    Field code = CodeField(nullptr, view.destination);
    code.label = "Code";
    body += Input(page, code);
  }
  body += Input(page, NewPasswordField("New password", view.password_rules, !view.with_code));
  body += internal::AttributeInputs(page, view.attributes);
  body += SubmitButton(view.with_code ? "Reset password" : "Set password");
  body += kFormClose;
  body += LinkList(view.links);
  return Document(page, body);
}

std::string RenderSelectMfa(const PageFrame& page, const FormFrame& form,
                            const SelectMfaPage& view) {
  std::string body = FormOpen(form);
  body += "<fieldset";
  if (!page.error.empty()) body += " aria-describedby=\"" + std::string(internal::kErrorId) + "\"";
  body += ">\n<legend>How do you want to receive your sign-in code?</legend>\n";
  for (size_t i = 0; i < view.choices.size(); ++i) {
    const auto& [value, label] = view.choices[i];
    std::string id = "mfa-" + std::to_string(i);
    body += "<div class=\"choice\"><input type=\"radio\" id=\"" + id + "\" name=\"" +
            std::string(kFieldMfaType) + "\" value=\"" + EscapeHtml(value) + "\"" +
            (i == 0 ? " checked" : "") + " required><label for=\"" + id + "\">" +
            EscapeHtml(label) + "</label></div>\n";
  }
  body += "</fieldset>\n";
  body += SubmitButton("Continue");
  body += kFormClose;
  return Document(page, body);
}

std::string RenderTotpSetup(const PageFrame& page, const FormFrame& form,
                            const TotpSetupPage& view) {
  std::string body = "<ol class=\"steps\">\n<li><p>Scan this QR code with your authenticator "
                     "app.</p>\n";
  body += QrSvg(view.otpauth_uri);
  body += "\n<p class=\"hint after-qr\">Can't scan it? Enter this key instead:</p>\n"
          "<code class=\"secret\">";
  body += EscapeHtml(GroupsOfFour(view.secret_code));
  body += "</code>\n";
  if (!view.otpauth_uri.empty()) {
    std::string uri = EscapeHtml(view.otpauth_uri);
    body += "<details><summary>Show the setup link</summary>\n";
    // otpauth:// opens the authenticator app on a phone; other schemes stay text.
    if (view.otpauth_uri.starts_with("otpauth://")) {
      body += "<a class=\"uri\" href=\"" + uri + "\">" + uri + "</a>";
    } else {
      body += "<code class=\"uri\">" + uri + "</code>";
    }
    body += "\n</details>\n";
  }
  body += "</li>\n<li>\n";
  body += FormOpen(form);
  Field code;
  code.id = "code";
  code.name = kFieldCode;
  code.label = "Enter the 6-digit code from the app";
  code.autocomplete = "one-time-code";
  code.inputmode = "numeric";
  body += Input(page, code);
  body += SubmitButton("Verify");
  body += kFormClose;
  body += "</li>\n</ol>\n";
  return Document(page, body);
}

std::string RenderMessage(const PageFrame& page, const std::vector<Link>& links) {
  return Document(page, LinkList(links));
}

}  // namespace cognate::hosted
