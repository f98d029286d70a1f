#pragma once
// Every hosted page rendered with sample data, for the page tests and for dumping the pages to
// look at in a browser (pages_test.cc, HostedPagesDump).

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "hosted/pages.h"

namespace cognate::hosted::testing_pages {

// A 168x40 PNG: a blue mark and two grey bars standing for a product name.
inline constexpr char kSampleLogoDataUri[] =
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAKgAAAAoCAYAAABq+7FsAAABDElEQVR42u3csQ3CMBBA0axAR0PNNixCxwSMyTahpiGycw53+H3p2kiEp0hxnCzLRpfbax05i9TaaJSwqhRMUFUGJ6QCVHBCKkAF6NZsBah+grM1SHUI0L0BqmFAowJU4UCjA1RhQHuxRSBt/T2n83U1Y6cM0L1XX0AB3Q006man9ziAAtoMK3JpClBAu4FGr2n2HA9QQA+5evYeE1BAATWAAgoooIACmh2oJnqSBKjKAc2+zKTJnsVXW6gXoKkfdd4fz9V8zrS7mTJuFgES0NTb7YCcEGilDctATgq0yisfQE4M1EtzSg/Ua8cqg9SHG5QeqE/fCFAJTgEKqP4BqX9CKaE680qH1RnWt94HXNF2auAY/AAAAABJRU5ErkJggg==";

// Page name -> HTML, every page drawn with `frame` and `form` (the TOTP setup page's and the
// code pages' titles are their own).
inline std::map<std::string, std::string> SamplePages(const PageFrame& frame,
                                                      const FormFrame& form) {
  std::map<std::string, std::string> out;
  auto titled = [&frame](const char* title) {
    PageFrame page = frame;
    if (page.title.empty()) page.title = title;
    return page;
  };
  FormFrame with_session = form;
  if (with_session.hidden.empty()) with_session.hidden = {{kFieldSession, "AYABeD..."}};
  const std::vector<std::string> rules = {"At least 8 characters", "At least 1 number",
                                          "At least 1 uppercase letter",
                                          "At least 1 special character"};

  SignInPage sign_in;
  sign_in.username = frame.error.empty() ? "" : "alice";
  sign_in.links = {{"Forgot your password?", "/forgotPassword?client_id=example"},
                   {"Need an account? Sign up", "/signup?client_id=example"}};
  out["sign-in"] = RenderSignIn(titled("Sign in"), form, sign_in);
  sign_in.providers = {{"Google", "/oauth2/authorize?identity_provider=Google"},
                       {"Okta", "/oauth2/authorize?identity_provider=Okta"}};
  out["sign-in-federated"] = RenderSignIn(titled("Sign in"), form, sign_in);

  SignUpPage sign_up;
  sign_up.attributes = {
      {"email", "Email", "email", "", true, "email"},
      {"given_name", "Given name", "text", "", false, "given-name"},
      {"phone_number", "Phone number", "tel", "", false, "tel"}};
  sign_up.password_rules = rules;
  sign_up.links = {{"Already have an account? Sign in", "/login?client_id=example"}};
  out["sign-up"] = RenderSignUp(titled("Create an account"), form, sign_up);

  CodePage code;
  code.label = "Verification code";
  code.destination = "a***@e***.com";
  code.links = {{"Resend code", "/confirm/resend?client_id=example"}};
  out["code"] = RenderCode(titled("Confirm your account"), with_session, code);

  ForgotPasswordPage forgot;
  forgot.links = {{"Back to sign in", "/login?client_id=example"}};
  out["forgot-password"] = RenderForgotPassword(titled("Forgot your password?"), form, forgot);

  NewPasswordPage reset;
  reset.destination = "a***@e***.com";
  reset.password_rules = rules;
  reset.links = {{"Back to sign in", "/login?client_id=example"}};
  out["reset-password"] = RenderNewPassword(titled("Reset your password"), with_session, reset);

  NewPasswordPage required;
  required.with_code = false;
  required.password_rules = rules;
  required.attributes = {{"name", "Name", "text", "", true, "name"}};
  out["new-password-required"] =
      RenderNewPassword(titled("Change your password"), with_session, required);

  SelectMfaPage select{{{"SOFTWARE_TOKEN_MFA", "Authenticator app"},
                        {"EMAIL_OTP", "Email a code to a***@e***.com"},
                        {"SMS_MFA", "Text a code to +*******0123"}}};
  out["select-mfa"] = RenderSelectMfa(titled("Choose how to verify"), with_session, select);

  TotpSetupPage totp;
  totp.secret_code = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSW";
  totp.otpauth_uri = "otpauth://totp/Example%20App:alice?secret=" + totp.secret_code +
                     "&issuer=Example%20App";
  out["totp-setup"] = RenderTotpSetup(titled("Set up your authenticator app"), with_session, totp);

  out["message"] = RenderMessage(titled("You have signed out"),
                                 {{"Sign in again", "/login?client_id=example"}});
  return out;
}

// Frames to render every page in: plain, with an error and a notice, and branded.
inline std::vector<std::pair<std::string, PageFrame>> SampleFrames() {
  PageFrame plain;
  plain.style_nonce = "sample-nonce";
  PageFrame error = plain;
  error.error = "Incorrect username or password.";
  error.notice = "We sent a code to a***@e***.com.";
  PageFrame branded = plain;
  branded.branding.logo_data_uri = kSampleLogoDataUri;
  branded.branding.css =
      ".background-customizable{background:#0f172a}"
      ".submitButton-customizable{background:#047857;border-color:#047857}"
      ".submitButton-customizable:hover{background:#065f46}";
  return {{"", plain}, {"-error", error}, {"-branded", branded}};
}

}  // namespace cognate::hosted::testing_pages
