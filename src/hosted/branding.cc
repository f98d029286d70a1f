#include "hosted/branding.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <system_error>
#include <utility>

#include "common/ascii.h"
#include "common/clock.h"
#include "crypto/encoding.h"

namespace cognate::hosted {
namespace json = boost::json;

namespace {

Error InvalidCss(std::string_view reason) {
  return Error::InvalidParameter("Invalid CSS: " + std::string(reason));
}

bool IsCssSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Walks the CSS as a browser tokenises strings and comments. Refuses backslash escapes outside
// strings (u\72l( is url( to a browser) and control characters; returns the text with comments
// removed, so that tokens split by a comment are still seen by the checks.
Result<std::string> StripCommentsAndCheckEscapes(std::string_view css) {
  std::string out;
  out.reserve(css.size());
  char quote = 0;
  for (size_t i = 0; i < css.size(); ++i) {
    char c = css[i];
    if (static_cast<unsigned char>(c) < 0x20 && !IsCssSpace(c)) {
      return InvalidCss("control characters are not allowed.");
    }
    if (quote != 0) {
      out += c;
      if (c == '\\' && i + 1 < css.size()) {
        out += css[++i];
      } else if (c == quote || c == '\n') {
        quote = 0;
      }
      continue;
    }
    if (c == '/' && i + 1 < css.size() && css[i + 1] == '*') {
      size_t end = css.find("*/", i + 2);
      if (end == std::string_view::npos) break;
      i = end + 1;
      continue;
    }
    if (c == '\\') return InvalidCss("escape sequences are only allowed inside strings.");
    if (c == '"' || c == '\'') quote = c;
    out += c;
  }
  return out;
}

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Whether `word` occurs in `lower` as the start of an identifier (not inside a longer one).
bool HasWord(std::string_view lower, std::string_view word) {
  for (size_t at = lower.find(word); at != std::string_view::npos;
       at = lower.find(word, at + 1)) {
    if (at == 0 || !IsIdentChar(lower[at - 1])) return true;
  }
  return false;
}

// Every url( in `lower` must hold a data: URI.
Status CheckUrls(std::string_view lower) {
  for (size_t at = lower.find("url("); at != std::string_view::npos;
       at = lower.find("url(", at + 4)) {
    size_t i = at + 4;
    while (i < lower.size() && IsCssSpace(lower[i])) ++i;
    if (i < lower.size() && (lower[i] == '"' || lower[i] == '\'')) ++i;
    if (lower.substr(i, 5) != "data:") {
      return InvalidCss("url() may only hold a data: URI.");
    }
  }
  return OkStatus();
}

Status CheckCssText(std::string_view lower) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kRefused{{
      {"</", "\"</\" is not allowed."},
      {"<!", "\"<!\" is not allowed."},
      {"@import", "@import is not allowed."},
      {"expression(", "expression() is not allowed."},
      {"javascript:", "javascript: URLs are not allowed."},
      {"vbscript:", "vbscript: URLs are not allowed."},
      {"image-set(", "image-set() is not allowed."},
      {"-moz-binding", "-moz-binding is not allowed."},
  }};
  for (const auto& [needle, reason] : kRefused) {
    if (lower.find(needle) != std::string_view::npos) return InvalidCss(reason);
  }
  // src("...") fetches like url() in CSS Values 4 ("src:" in @font-face is fine); IE's behavior
  // property runs script ("scroll-behavior" is fine).
  if (HasWord(lower, "src(")) return InvalidCss("src() is not allowed.");
  if (HasWord(lower, "behavior")) return InvalidCss("behavior is not allowed.");
  return CheckUrls(lower);
}

}  // namespace

std::string CssVersion(int64_t now_ms) { return FormatUtc(now_ms, "%Y%m%d%H%M%S"); }

Status CheckBrandingCss(std::string_view css) {
  if (css.size() > kMaxBrandingCssChars) {
    return InvalidCss("it must be at most " + std::to_string(kMaxBrandingCssChars) +
                      " characters.");
  }
  auto stripped = StripCommentsAndCheckEscapes(css);
  if (!stripped.ok()) return std::move(stripped).error();
  // Both forms: the raw text sees what a string or comment would hide from the stripped one
  // ("/*" inside a string), the stripped text sees tokens split by a comment.
  COGNATE_RETURN_IF_ERROR(CheckCssText(AsciiLower(css)));
  return CheckCssText(AsciiLower(*stripped));
}

Result<std::string> CheckLogo(std::string_view image) {
  if (image.size() > kMaxLogoBytes) {
    return Error::InvalidParameter("Invalid image file: it must be at most 100 KB.");
  }
  if (image.starts_with("\x89PNG\r\n\x1a\n")) return std::string("image/png");
  if (image.starts_with("\xFF\xD8\xFF")) return std::string("image/jpeg");
  return Error::InvalidParameter("Invalid image file: it must be a PNG or JPEG image.");
}

std::string SerializeUiCustomization(const UiCustomization& c) {
  json::object o;
  if (!c.css.empty()) {
    o["css"] = c.css;
    o["css_version"] = c.css_version;
  }
  if (!c.logo.empty()) {
    o["logo"] = crypto::Base64Encode(c.logo);
    o["logo_media_type"] = c.logo_media_type;
  }
  return json::serialize(o);
}

Result<UiCustomization> ParseUiCustomization(std::string_view body_json) {
  std::error_code ec;
  json::value v = json::parse(body_json, ec);
  if (ec || !v.is_object()) return Error::Internal("Stored UI customization is not valid.");
  const json::object& o = v.get_object();
  auto text = [&o](std::string_view key) -> std::string {
    const json::value* m = o.if_contains(key);
    return m != nullptr && m->is_string() ? std::string(m->get_string()) : std::string();
  };
  UiCustomization c{text("css"), text("css_version"), "", text("logo_media_type")};
  std::string logo = text("logo");
  if (!logo.empty()) {
    std::optional<std::string> bytes = crypto::Base64Decode(logo);
    if (!bytes) return Error::Internal("Stored UI customization is not valid.");
    c.logo = std::move(*bytes);
  }
  return c;
}

Result<std::optional<store::PoolDocumentRecord>> FindUiCustomization(
    store::PoolDocumentStore& documents, const std::string& pool_id, const std::string& client_id) {
  for (const std::string& name : {client_id, std::string(kAllClients)}) {
    auto found = documents.GetDocument(pool_id, store::PoolDocumentRecord::kUiCustomization, name);
    if (!found.ok() || found->has_value()) return found;
  }
  return std::optional<store::PoolDocumentRecord>();
}

Branding LoadBranding(store::PoolDocumentStore& documents, const std::string& pool_id,
                      const std::string& client_id) {
  auto found = FindUiCustomization(documents, pool_id, client_id);
  if (!found.ok() || !found->has_value()) return {};
  auto parsed = ParseUiCustomization((*found)->body_json);
  if (!parsed.ok()) return {};
  const UiCustomization& c = *parsed;
  Branding branding;
  // Checked when stored; checked again so a document written by other means cannot break out.
  if (CheckBrandingCss(c.css).ok()) branding.css = c.css;
  if (!c.logo.empty()) {
    if (auto media_type = CheckLogo(c.logo); media_type.ok()) {
      branding.logo_data_uri = "data:" + *media_type + ";base64," + crypto::Base64Encode(c.logo);
    }
  }
  return branding;
}

std::string LogoUrl(std::string_view public_url, std::string_view pool_id,
                    std::string_view name) {
  while (public_url.ends_with('/')) public_url.remove_suffix(1);
  return std::string(public_url) + "/" + std::string(pool_id) + "/ui/logo/" + std::string(name);
}

}  // namespace cognate::hosted
