// The frame every hosted page shares, and the form controls the pages are built from.
// Elements carry Cognito's "*-customizable" class names beside Cognate's own, so CSS written for
// Cognito's hosted UI (SetUICustomization) styles these pages too.

#include "hosted/page_shell.h"

#include <string>

namespace cognate::hosted {

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace internal {
namespace {

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool IsBase64Text(std::string_view s) {
  return !s.empty() && s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                           "0123456789+/=") == std::string_view::npos;
}

// aria-describedby for an input: its own hint/rules, then the page's error.
std::string DescribedBy(const PageFrame& page, const std::vector<std::string>& ids) {
  std::string value;
  for (const std::string& id : ids) value += (value.empty() ? "" : " ") + id;
  if (!page.error.empty()) value += (value.empty() ? "" : " ") + std::string(kErrorId);
  if (value.empty()) return "";
  // No aria-invalid: the page's error may be about the whole form ("Incorrect username or
  // password."), not this input.
  return " aria-describedby=\"" + EscapeHtml(value) + "\"";
}

std::string Attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + EscapeHtml(value) + "\"";
}

}  // namespace

std::string NeutraliseCss(std::string_view css) {
  std::string out;
  out.reserve(css.size());
  for (char c : css) {
    if (c == '<') {
      out += "\\3c ";
    } else {
      out += c;
    }
  }
  return out;
}

std::string SafeLogoUri(std::string_view uri) {
  for (std::string_view prefix : {"data:image/png;base64,", "data:image/jpeg;base64,",
                                  "data:image/gif;base64,", "data:image/webp;base64,"}) {
    if (uri.starts_with(prefix) && IsBase64Text(uri.substr(prefix.size()))) {
      return std::string(uri);
    }
  }
  return "";
}

std::string SafeUrl(std::string_view url) {
  if (StartsWithNoCase(url, "https://") || StartsWithNoCase(url, "http://")) {
    return std::string(url);
  }
  // Relative: a path, a query or a fragment. "//host" is a scheme-relative URL to another
  // host, and a colon before any / ? # means a scheme (javascript:, data:, ...).
  if (url.starts_with("//") || url.starts_with("/\\")) return "#";
  size_t end = url.find_first_of("/?#");
  if (url.substr(0, end).find(':') != std::string_view::npos) return "#";
  // Browsers drop tabs and newlines inside URLs, so "java\nscript:" must not slip through.
  if (url.find_first_of("\t\r\n") != std::string_view::npos) return "#";
  return std::string(url);
}

std::string Document(const PageFrame& page, std::string_view body_html) {
  std::string out;
  out.reserve(8192 + body_html.size() + page.branding.css.size());
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
         "<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
  out += EscapeHtml(page.title);
  out += "</title>\n<style" + Attr("nonce", page.style_nonce) + ">\n";
  out += BuiltInCss();
  if (!page.branding.css.empty()) {
    out += "\n/* The user pool's branding (SetUICustomization). */\n";
    out += NeutraliseCss(page.branding.css);
  }
  out += "\n</style>\n</head>\n<body class=\"background-customizable\">\n"
         "<main class=\"card\">\n";
  std::string logo = SafeLogoUri(page.branding.logo_data_uri);
  if (!logo.empty()) {
    out += "<div class=\"banner banner-customizable\"><img class=\"logo logo-customizable\"" +
           Attr("src", logo) + " alt=\"Logo\"></div>\n";
  }
  out += "<h1>" + EscapeHtml(page.title) + "</h1>\n";
  if (!page.notice.empty()) {
    out += "<p class=\"notice textDescription-customizable\" role=\"status\">" +
           EscapeHtml(page.notice) + "</p>\n";
  }
  if (!page.error.empty()) {
    out += "<p class=\"error errorMessage-customizable\" id=\"" + std::string(kErrorId) +
           "\" role=\"alert\">" + EscapeHtml(page.error) + "</p>\n";
  }
  out += body_html;
  out += "</main>\n</body>\n</html>\n";
  return out;
}

std::string FormOpen(const FormFrame& form) {
  std::string out = "<form method=\"post\"" + Attr("action", SafeUrl(form.action)) +
                    " accept-charset=\"utf-8\">\n";
  out += "<input type=\"hidden\"" + Attr("name", kFieldCsrf) + Attr("value", form.csrf_token) +
         ">\n";
  for (const auto& [name, value] : form.hidden) {
    out += "<input type=\"hidden\"" + Attr("name", name) + Attr("value", value) + ">\n";
  }
  return out;
}

std::string Input(const PageFrame& page, const Field& field) {
  std::vector<std::string> described;
  std::string out = "<div class=\"field\">\n<label class=\"label-customizable\"" +
                    Attr("for", field.id) + ">" + EscapeHtml(field.label);
  if (!field.required) out += " <span class=\"optional\">(optional)</span>";
  out += "</label>\n";
  if (!field.hint.empty()) {
    std::string id = field.id + "-hint";
    out += "<p class=\"hint\"" + Attr("id", id) + ">" + EscapeHtml(field.hint) + "</p>\n";
    described.push_back(std::move(id));
  }
  std::string rules_html;
  if (!field.rules.empty()) {
    std::string id = field.id + "-rules";
    rules_html = "<ul class=\"rules\"" + Attr("id", id) + ">";
    for (const std::string& rule : field.rules) rules_html += "<li>" + EscapeHtml(rule) + "</li>";
    rules_html += "</ul>\n";
    described.push_back(std::move(id));
  }
  // Numeric codes get the wide, spaced "code" look.
  out += std::string("<input class=\"inputField-customizable") +
         (field.inputmode == "numeric" ? " code" : "") + "\"" + Attr("id", field.id) +
         Attr("name", field.name) + Attr("type", field.type);
  if (!field.value.empty()) out += Attr("value", field.value);
  if (!field.autocomplete.empty()) out += Attr("autocomplete", field.autocomplete);
  if (!field.inputmode.empty()) out += Attr("inputmode", field.inputmode);
  if (field.type == "text" || field.type == "email") {
    out += " autocapitalize=\"none\" spellcheck=\"false\"";
  }
  if (field.required) out += " required";
  if (field.autofocus) out += " autofocus";
  out += DescribedBy(page, described) + ">\n" + rules_html + "</div>\n";
  return out;
}

std::string AttributeInputs(const PageFrame& page, const std::vector<AttributeInput>& attributes) {
  std::string out;
  for (const AttributeInput& a : attributes) {
    Field f;
    f.id = "attr-" + a.name;
    f.name = std::string(kAttributeFieldPrefix) + a.name;
    f.label = a.label.empty() ? a.name : a.label;
    f.type = a.type.empty() ? "text" : a.type;
    f.value = a.value;
    f.autocomplete = a.autocomplete;
    f.required = a.required;
    out += Input(page, f);
  }
  return out;
}

std::string SubmitButton(std::string_view label) {
  return "<button type=\"submit\" class=\"button primary submitButton-customizable\">" +
         EscapeHtml(label) + "</button>\n";
}

std::string LinkList(const std::vector<Link>& links) {
  if (links.empty()) return "";
  std::string out = "<ul class=\"links\">\n";
  for (const Link& link : links) {
    out += "<li><a class=\"redirect-customizable\"" + Attr("href", SafeUrl(link.href)) + ">" +
           EscapeHtml(link.label) + "</a></li>\n";
  }
  return out + "</ul>\n";
}

}  // namespace internal
}  // namespace cognate::hosted
