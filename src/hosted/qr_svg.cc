#include "hosted/qr_svg.h"

#include <qrencode.h>

#include <memory>
#include <string>

namespace cognate::hosted {
namespace {

struct QrCodeDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};
using QrCodePtr = std::unique_ptr<QRcode, QrCodeDeleter>;

QrCodePtr Encode(std::string_view text) {
  // QRcode_encodeData takes a length, so NUL bytes and unterminated views are fine.
  return QrCodePtr(QRcode_encodeData(static_cast<int>(text.size()),
                                     reinterpret_cast<const unsigned char*>(text.data()),
                                     /*version=*/0, QR_ECLEVEL_M));
}

// Dark modules as path commands, one "M x y h n v1 h-n z" rectangle per horizontal run, which
// keeps a typical otpauth code to a few KB.
std::string DarkModulesPath(const QRcode& code) {
  const int width = code.width;
  std::string d;
  d.reserve(static_cast<size_t>(width) * width);
  for (int y = 0; y < width; ++y) {
    int x = 0;
    while (x < width) {
      if ((code.data[y * width + x] & 1) == 0) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < width && (code.data[y * width + x + run] & 1) != 0) ++run;
      d += "M" + std::to_string(x + kQrQuietZoneModules) + " " +
           std::to_string(y + kQrQuietZoneModules) + "h" + std::to_string(run) + "v1h-" +
           std::to_string(run) + "z";
      x += run;
    }
  }
  return d;
}

}  // namespace

int QrModuleCount(std::string_view text) {
  QrCodePtr code = Encode(text);
  return code ? code->width : 0;
}

std::string QrSvg(std::string_view text) {
  QrCodePtr code = Encode(text);
  if (!code) return "";
  const std::string size = std::to_string(code->width + 2 * kQrQuietZoneModules);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 " + size + " " +
         size + "\" role=\"img\" aria-label=\"QR code for your authenticator app\" "
         "shape-rendering=\"crispEdges\"><rect width=\"" + size + "\" height=\"" + size +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + DarkModulesPath(*code) + "\"/></svg>";
}

}  // namespace cognate::hosted
