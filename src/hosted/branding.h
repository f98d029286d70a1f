#pragma once
// A pool's branding for the hosted pages (SetUICustomization): the rules its CSS and logo must
// meet, the form it is stored in (a PoolDocumentRecord of kind kUiCustomization named after the
// app client, or "ALL" for the whole pool), and the Branding the page renderer takes.
//
// The CSS may not escape the <style> element or fetch anything: the checks below refuse "</",
// "<!", @import, url() with anything but a data: URI, image-set()/src(), expression(),
// javascript:, behavior/-moz-binding, and backslash escapes outside strings (which could spell
// any of those). The renderer neutralises "<" again, and the page's CSP allows no fetches.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "hosted/pages.h"
#include "store/stores.h"

namespace cognate::hosted {

// The ClientId of the pool-wide customization.
inline constexpr const char* kAllClients = "ALL";
inline constexpr size_t kMaxLogoBytes = 100 * 1024;
inline constexpr size_t kMaxBrandingCssChars = 131072;

// InvalidParameterException "Invalid CSS: ..." when the CSS is too long or could escape or fetch.
Status CheckBrandingCss(std::string_view css);

// The logo's media type ("image/png" or "image/jpeg", from its magic bytes), or
// InvalidParameterException when it is another format or larger than kMaxLogoBytes.
Result<std::string> CheckLogo(std::string_view image_bytes);

// The CSSVersion of CSS set at `now_ms`: the time as yyyyMMddHHmmss (UTC), as Cognito shows it.
std::string CssVersion(int64_t now_ms);

// One stored customization (PoolDocumentRecord::body_json).
struct UiCustomization {
  std::string css;          // "" for none
  std::string css_version;  // set with the CSS: its time as yyyyMMddHHmmss (UTC)
  std::string logo;         // the image file's bytes; "" for none
  std::string logo_media_type;
};
std::string SerializeUiCustomization(const UiCustomization& customization);
// InternalErrorException when the stored JSON is not a customization.
Result<UiCustomization> ParseUiCustomization(std::string_view body_json);

// The stored customization document for `client_id`: its own, else the pool's "ALL" one, else
// nullopt. The document's name says which it is.
Result<std::optional<store::PoolDocumentRecord>> FindUiCustomization(
    store::PoolDocumentStore& documents, const std::string& pool_id, const std::string& client_id);

// The branding of the hosted pages of `client_id`: the client's own customization, else the
// pool-wide one, else none (also when the store fails: pages render unbranded rather than not
// at all). The logo comes as a data: URI.
Branding LoadBranding(store::PoolDocumentStore& documents, const std::string& pool_id,
                      const std::string& client_id);

// Where GetUICustomization says the logo is: "<public_url>/<pool_id>/ui/logo/<client_id|ALL>".
std::string LogoUrl(std::string_view public_url, std::string_view pool_id,
                    std::string_view name);

}  // namespace cognate::hosted
