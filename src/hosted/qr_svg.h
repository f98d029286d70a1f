#pragma once
// QR codes as inline SVG for the TOTP setup page (otpauth:// URIs), encoded by libqrencode.

#include <string>
#include <string_view>

namespace cognate::hosted {

// `text` as a QR code (byte mode, error correction M): one <svg> with a white background
// <rect>, one <path> holding every dark module (quiet zone of 4 modules around the symbol,
// one module = one SVG unit, scaled by the page's CSS), role="img" and an aria-label. The
// output has no user text in it, so it needs no escaping. "" when the text does not fit in a
// QR code (more than about 2,300 bytes) or libqrencode fails.
std::string QrSvg(std::string_view text);

// Number of modules on a side of `text`'s symbol (without the quiet zone); 0 when it does not
// fit. For tests and layout.
int QrModuleCount(std::string_view text);

inline constexpr int kQrQuietZoneModules = 4;

}  // namespace cognate::hosted
