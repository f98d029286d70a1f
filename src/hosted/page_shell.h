#pragma once
// Building blocks shared by the hosted pages (pages.cc): the document frame with its styles,
// forms, inputs, buttons and link lists. Internal to hosted/; the controller uses pages.h.
//
// Every function escapes the text it is given; arguments named `*_html` are markup already
// built by these functions.

#include <string>
#include <string_view>
#include <vector>

#include "hosted/pages.h"

namespace cognate::hosted::internal {

// id of the page's error paragraph; inputs name it in aria-describedby when there is an error.
inline constexpr const char* kErrorId = "form-error";

// The whole HTML document: head (viewport, title, the nonce'd <style> with the built-in styles
// then the pool's CSS), and a <main> card holding the logo, the <h1>, the notice, the error and
// `body_html`.
std::string Document(const PageFrame& page, std::string_view body_html);

// The built-in stylesheet (page_styles.cc).
std::string_view BuiltInCss();
// The pool's CSS made safe to place inside <style>: every "<" becomes the CSS escape "\3c ",
// so no "</style" (in any case or spacing) can end the element early.
std::string NeutraliseCss(std::string_view css);
// The logo URI when it is a base64 PNG/JPEG/GIF/WebP data: URI, else "" (no logo).
std::string SafeLogoUri(std::string_view uri);
// `url` when it is relative or http(s), else "#": the controller builds these, but a
// javascript: or data: URL must never become a link or a form action.
std::string SafeUrl(std::string_view url);

// <form method="post" action=...> with the CSRF token and the hidden fields, and its closing tag.
std::string FormOpen(const FormFrame& form);
inline constexpr std::string_view kFormClose = "</form>";

// One labelled text-like input.
struct Field {
  std::string id;
  std::string name;
  std::string label;
  std::string type = "text";
  std::string value;
  std::string autocomplete;  // "" leaves it out
  std::string inputmode;     // "" leaves it out
  bool required = true;
  bool autofocus = false;
  std::string hint;                 // a line under the label, tied with aria-describedby
  std::vector<std::string> rules;   // a list under the input (password rules), tied the same way
};
std::string Input(const PageFrame& page, const Field& field);

// Inputs for user attributes, posted as "attr:<name>".
std::string AttributeInputs(const PageFrame& page, const std::vector<AttributeInput>& attributes);

// The form's primary <button type="submit">.
std::string SubmitButton(std::string_view label);

// Links under a form ("Forgot your password?"), as a list; "" when empty.
std::string LinkList(const std::vector<Link>& links);

}  // namespace cognate::hosted::internal
