#pragma once
// The hosted pages' HTML: server-rendered, self-contained (no external assets, no script),
// accessible (every input has a <label>, errors are announced with role="alert" and tied to
// the form with aria-describedby, focus order follows the page, contrast at least 4.5:1) and
// responsive (one column, readable from 320 px phones to desktops).
//
// These functions only render: the controller (oauth/hosted_controller) decides which page to
// show, checks CSRF tokens and runs the sign-in. Every string from a user, a client or a pool
// is HTML-escaped here; URLs are escaped as attribute values. Styles go in one <style> element
// carrying `nonce` (the page's CSP allows that nonce and nothing else); the pool's logo is an
// <img> with a data: URI. Forms always use method="post". No style="" attributes and no
// inline SVG <style>, so a CSP of "default-src 'none'; style-src 'nonce-N'; img-src data:;
// form-action 'self' <redirect targets>; frame-ancestors 'none'" is enough.
//
// Field names the forms post (the controller reads these constants):

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cognate::hosted {

inline constexpr const char* kFieldCsrf = "_csrf";
inline constexpr const char* kFieldUsername = "username";
inline constexpr const char* kFieldPassword = "password";
inline constexpr const char* kFieldNewPassword = "new_password";
inline constexpr const char* kFieldCode = "code";
inline constexpr const char* kFieldSession = "session";   // a sign-in challenge Session
inline constexpr const char* kFieldMfaType = "mfa_type";  // SELECT_MFA_TYPE answer
// Sign-up and new-password pages post attributes as "attr:<name>" (e.g. "attr:email").
inline constexpr const char* kAttributeFieldPrefix = "attr:";

// The pool's branding (SetUICustomization; hosted/branding.h LoadBranding fills it): CSS appended after the built-in styles, and the
// logo as a data: URI ("" for none). The CSS was checked when it was stored; it is still
// written so that it cannot close the <style> element.
struct Branding {
  std::string css;
  std::string logo_data_uri;
};

// What every page has.
struct PageFrame {
  std::string title;        // <title> and the <h1>
  std::string style_nonce;  // CSP nonce of the <style> element
  Branding branding;
  std::string error;        // shown above the form with role="alert"; "" for none
  std::string notice;       // an informational line (e.g. "We sent a code to a***@e***"); "" for none
};

// A form: where it posts, its CSRF token, and hidden fields carried to the next step (e.g. the
// challenge session and the username). The action URL already carries the authorize
// parameters in its query string.
struct FormFrame {
  std::string action;
  std::string csrf_token;
  std::vector<std::pair<std::string, std::string>> hidden;
};

struct Link {
  std::string label;
  std::string href;
};

// An input for a user attribute (sign-up, new password required).
struct AttributeInput {
  std::string name;      // attribute name, posted as "attr:<name>"
  std::string label;     // "Email", "Phone number", "Given name", ...
  std::string type;      // HTML input type: "email", "tel", "text", "date"
  std::string value;     // prefilled value (kept after an error)
  bool required = false;
  std::string autocomplete;  // "email", "tel", "given-name", ... or ""
};

// A "Sign in with <name>" button: a link to /oauth2/authorize with identity_provider=<name>.
struct ProviderButton {
  std::string name;
  std::string href;
};

struct SignInPage {
  std::string username;  // prefilled after an error
  std::vector<ProviderButton> providers;
  bool allow_password = true;  // false when the client allows federated sign-in only
  std::vector<Link> links;     // "Forgot your password?", "Sign up"
};

struct SignUpPage {
  std::string username;
  bool username_is_email = false;  // pool uses email as username: the username input is type=email
  std::vector<AttributeInput> attributes;
  std::vector<std::string> password_rules;  // human text, e.g. "At least 8 characters"
  std::vector<Link> links;                  // "Already have an account? Sign in"
};

// Confirm a sign-up, or enter an MFA / sign-in code.
struct CodePage {
  std::string label;        // "Confirmation code", "Code from your authenticator app", ...
  std::string destination;  // masked, e.g. "a***@e***", or "" (authenticator app)
  std::string autocomplete = "one-time-code";
  std::vector<Link> links;  // e.g. "Back to sign in"
  // When set, a second form posting here (same CSRF token and hidden fields) asks for a new
  // code.
  std::string resend_action;
};

struct ForgotPasswordPage {
  std::string username;
  std::vector<Link> links;
};

// Reset with a code, or the NEW_PASSWORD_REQUIRED challenge (then `with_code` is false).
struct NewPasswordPage {
  bool with_code = true;
  std::string destination;
  std::vector<AttributeInput> attributes;  // required attributes still missing
  std::vector<std::string> password_rules;
  std::vector<Link> links;
};

struct SelectMfaPage {
  // Value posted as mfa_type, and its label: {"SOFTWARE_TOKEN_MFA", "Authenticator app"}, ...
  std::vector<std::pair<std::string, std::string>> choices;
};

struct TotpSetupPage {
  std::string otpauth_uri;   // rendered as an inline SVG QR code
  std::string secret_code;   // shown as text too, in groups of four
};

std::string RenderSignIn(const PageFrame& page, const FormFrame& form, const SignInPage& view);
std::string RenderSignUp(const PageFrame& page, const FormFrame& form, const SignUpPage& view);
std::string RenderCode(const PageFrame& page, const FormFrame& form, const CodePage& view);
std::string RenderForgotPassword(const PageFrame& page, const FormFrame& form,
                                 const ForgotPasswordPage& view);
std::string RenderNewPassword(const PageFrame& page, const FormFrame& form,
                              const NewPasswordPage& view);
std::string RenderSelectMfa(const PageFrame& page, const FormFrame& form,
                            const SelectMfaPage& view);
std::string RenderTotpSetup(const PageFrame& page, const FormFrame& form,
                            const TotpSetupPage& view);
// A page with a message and no form (errors, "You have signed out"); `links` may be empty.
std::string RenderMessage(const PageFrame& page, const std::vector<Link>& links);

// Escapes &, <, >, " and ' for text and attribute values.
std::string EscapeHtml(std::string_view text);

}  // namespace cognate::hosted
