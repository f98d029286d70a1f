// QrSvg: the SVG's modules, read back from its path, are exactly libqrencode's symbol, inside a
// quiet zone of 4 modules. When zbarimg and rsvg-convert are installed, the SVG is also
// rasterised and decoded by a real QR reader.

#include "hosted/qr_svg.h"

#include <gtest/gtest.h>
#include <qrencode.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace cognate::hosted {
namespace {

constexpr char kUri[] =
    "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    "&issuer=Example";

// The modules the path paints: each "M x y h n v1 h-n z" covers n modules of row y.
std::vector<std::vector<bool>> PaintedModules(const std::string& d, int size) {
  std::vector<std::vector<bool>> grid(size, std::vector<bool>(size, false));
  std::regex run("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
  size_t covered = 0;
  for (std::sregex_iterator it(d.begin(), d.end(), run), end; it != end; ++it) {
    int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]), n = std::stoi((*it)[3]);
    EXPECT_EQ(n, std::stoi((*it)[4]));
    for (int i = 0; i < n; ++i) {
      EXPECT_FALSE(grid.at(y).at(x + i)) << "painted twice";
      grid[y][x + i] = true;
    }
    covered += it->length();
  }
  EXPECT_EQ(covered, d.size()) << "the path holds only module runs";
  return grid;
}

std::string Capture(const std::string& svg, const std::string& re) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(svg, m, std::regex(re))) << re;
  return m.size() > 1 ? m[1].str() : "";
}

TEST(QrSvgTest, PathPaintsExactlyTheSymbolInsideAQuietZone) {
  std::string svg = QrSvg(kUri);
  const std::string uri = kUri;
  QRcode* code = QRcode_encodeData(static_cast<int>(uri.size()),
                                   reinterpret_cast<const unsigned char*>(uri.data()), 0,
                                   QR_ECLEVEL_M);
  ASSERT_NE(code, nullptr);
  const int width = code->width;
  const int size = width + 2 * kQrQuietZoneModules;
  EXPECT_EQ(QrModuleCount(kUri), width);
  EXPECT_EQ(Capture(svg, "viewBox=\"0 0 (\\d+) \\d+\""), std::to_string(size));
  std::string d = Capture(svg, "<path fill=\"#000\" d=\"([^\"]+)\"");
  ASSERT_FALSE(d.empty());
  std::vector<std::vector<bool>> grid = PaintedModules(d, size);
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      bool in_symbol = x >= kQrQuietZoneModules && y >= kQrQuietZoneModules &&
                       x < kQrQuietZoneModules + width && y < kQrQuietZoneModules + width;
      bool dark = in_symbol && (code->data[(y - kQrQuietZoneModules) * width +
                                           (x - kQrQuietZoneModules)] & 1) != 0;
      ASSERT_EQ(grid[y][x], dark) << "module " << x << "," << y;
    }
  }
  QRcode_free(code);
}

TEST(QrSvgTest, IsOneAccessibleSvgWithOnePath) {
  std::string svg = QrSvg(kUri);
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(svg.ends_with("</svg>"));
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("aria-label=\""), std::string::npos);
  EXPECT_EQ(svg.find("<path", svg.find("<path") + 1), std::string::npos);
  EXPECT_LT(svg.size(), 12000u) << "compact: runs, not one rect per module";
}

TEST(QrSvgTest, TextTooLongForAQrCodeGivesNothing) {
  EXPECT_EQ(QrSvg(std::string(5000, 'x')), "");
  EXPECT_EQ(QrModuleCount(std::string(5000, 'x')), 0);
  EXPECT_EQ(QrModuleCount("a"), 21);  // version 1
}

// A real reader: rasterise with rsvg-convert, decode with zbarimg (both optional).
TEST(QrSvgTest, DecodesWithZbarWhenInstalled) {
  if (std::system("command -v zbarimg >/dev/null 2>&1 && command -v rsvg-convert "
                  ">/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "zbarimg or rsvg-convert not installed";
  }
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("qr_svg_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "qr.svg") << QrSvg(kUri);
  std::string cmd = "rsvg-convert -w 400 -b white -o '" + (dir / "qr.png").string() + "' '" +
                    (dir / "qr.svg").string() + "' && zbarimg --quiet --raw '" +
                    (dir / "qr.png").string() + "'";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof(buf), pipe)) out.append(buf, n);
  int status = ::pclose(pipe);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(out, std::string(kUri) + "\n");
}

}  // namespace
}  // namespace cognate::hosted
