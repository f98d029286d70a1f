// Branding: the CSS and logo rules of SetUICustomization, the stored form, and LoadBranding's
// fallback from a client to the pool-wide customization.

#include "hosted/branding.h"

#include <gtest/gtest.h>

#include <string>

#include "store/sqlite/open.h"

namespace cognate::hosted {
namespace {

constexpr char kPng[] = "\x89PNG\r\n\x1a\n rest of a png";
constexpr char kJpeg[] = "\xFF\xD8\xFF\xE0 rest of a jpeg";

TEST(BrandingCssTest, AcceptsCognitoStyleCss) {
  for (const char* css : {
           "",
           ".logo-customizable{max-width:60%;max-height:30%}",
           ".banner-customizable{padding:25px 0;background-color:#fafafa}\n"
           "/* a comment */ .submitButton-customizable{font-size:14px;color:#fff}",
           ".label-customizable{font-weight:400}.textDescription-customizable::after{"
           "content:\"\\2014 a \\\"quoted\\\" dash\"}",
           ".background-customizable{background-image:url(data:image/png;base64,iVBORw0KGgo=)}",
           ".x{background:URL( 'data:image/gif;base64,R0lGOD' )}",
           "@font-face{font-family:x;src:url(\"data:font/woff2;base64,AAAA\")}",
           "@media (max-width:600px){.idpButton-customizable{width:100%}}",
           "html{scroll-behavior:smooth;overscroll-behavior:none}",
           "a::before{content:'<'}",
       }) {
    Status status = CheckBrandingCss(css);
    EXPECT_TRUE(status.ok()) << css << ": " << status.error().message;
  }
}

TEST(BrandingCssTest, RefusesCssThatCouldEscapeOrFetch) {
  for (const char* css : {
           "a{}</style><script>alert(1)</script>",
           "a{}</STYLE >",
           "a{}<!--",
           "@import 'https://evil.example/x.css';",
           "@IMPORT url(x.css);",
           "a{background:url(https://evil.example/track.png)}",
           "a{background:url( \"//evil.example/x\")}",
           "a{background:Url(x.png)}",
           "a{background:u\\72l(https://evil.example/x)}",
           "a{background:\\75 rl(https://evil.example/x)}",
           "a{background:ur/**/l(https://evil.example/x)}",
           "a{content:\"/*\";background:url(https://evil.example/x);content:\"*/\"}",
           "a{width:expression(alert(1))}",
           "a{background:url(javascript:alert(1))}",
           "a{background:image-set(\"https://evil.example/x.png\" 1x)}",
           "a{background:-webkit-image-set(\"https://evil.example/x.png\" 1x)}",
           "a{background-image:src(\"https://evil.example/x.png\")}",
           "a{behavior:url(x.htc)}",
           "a{-moz-binding:url(x.xml#x)}",
           "a{color:red}\x01",
       }) {
    Status status = CheckBrandingCss(css);
    ASSERT_FALSE(status.ok()) << css;
    EXPECT_EQ(status.error().type, "InvalidParameterException") << css;
    EXPECT_TRUE(status.error().message.starts_with("Invalid CSS: ")) << status.error().message;
  }
}

TEST(BrandingCssTest, RefusesCssOverTheLimit) {
  EXPECT_TRUE(CheckBrandingCss(std::string(kMaxBrandingCssChars, ' ')).ok());
  EXPECT_FALSE(CheckBrandingCss(std::string(kMaxBrandingCssChars + 1, ' ')).ok());
}

TEST(BrandingLogoTest, AcceptsPngAndJpegUpTo100KB) {
  EXPECT_EQ(CheckLogo(std::string(kPng, sizeof(kPng) - 1)).value(), "image/png");
  EXPECT_EQ(CheckLogo(std::string(kJpeg, sizeof(kJpeg) - 1)).value(), "image/jpeg");
  std::string big(kMaxLogoBytes, 'x');
  big.replace(0, 8, "\x89PNG\r\n\x1a\n");
  EXPECT_TRUE(CheckLogo(big).ok());
  big += 'x';
  EXPECT_EQ(CheckLogo(big).error().message, "Invalid image file: it must be at most 100 KB.");
}

TEST(BrandingLogoTest, RefusesOtherFormats) {
  for (const std::string& image : {std::string("GIF89a...."), std::string("<svg></svg>"),
                                  std::string("\x89PNG"), std::string("")}) {
    auto result = CheckLogo(image);
    ASSERT_FALSE(result.ok()) << image;
    EXPECT_EQ(result.error().type, "InvalidParameterException");
  }
}

TEST(BrandingStoreTest, SerializesAndParsesBack) {
  UiCustomization c{".a{}", "20240102030405", std::string(kPng, sizeof(kPng) - 1), "image/png"};
  auto parsed = ParseUiCustomization(SerializeUiCustomization(c));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->css, c.css);
  EXPECT_EQ(parsed->css_version, c.css_version);
  EXPECT_EQ(parsed->logo, c.logo);
  EXPECT_EQ(parsed->logo_media_type, c.logo_media_type);
  EXPECT_EQ(ParseUiCustomization("[]").error().type, "InternalErrorException");
}

TEST(BrandingStoreTest, CssVersionIsTheUtcTime) {
  EXPECT_EQ(CssVersion(1'700'000'000'123), "20231114221320");
}

TEST(BrandingStoreTest, LogoUrlNamesPoolAndClient) {
  EXPECT_EQ(LogoUrl("https://id.example/", "eu-west-1_abc", "ALL"),
            "https://id.example/eu-west-1_abc/ui/logo/ALL");
}

class LoadBrandingTest : public ::testing::Test {
 protected:
  LoadBrandingTest() : stores_(store::sqlite::Open(":memory:")) {
    store::UserPoolRecord pool;
    pool.id = "eu-west-1_pool";
    pool.name = "p";
    pool.config_json = "{}";
    EXPECT_TRUE(stores_.pools->CreatePool(pool, {}).ok());
  }
  void Put(const std::string& name, const UiCustomization& c) {
    auto created = stores_.documents->CreateDocument(
        {"eu-west-1_pool", store::PoolDocumentRecord::kUiCustomization, name,
         SerializeUiCustomization(c), 1, 1, 0});
    ASSERT_TRUE(created.ok() && *created);
  }
  store::Stores stores_;
};

TEST_F(LoadBrandingTest, ClientsOwnElsePoolWideElseNone) {
  EXPECT_TRUE(LoadBranding(*stores_.documents, "eu-west-1_pool", "client1").css.empty());
  Put("ALL", {".all{}", "v", std::string(kJpeg, sizeof(kJpeg) - 1), "image/jpeg"});
  Branding all = LoadBranding(*stores_.documents, "eu-west-1_pool", "client1");
  EXPECT_EQ(all.css, ".all{}");
  EXPECT_TRUE(all.logo_data_uri.starts_with("data:image/jpeg;base64,/9j/")) << all.logo_data_uri;
  Put("client1", {".mine{}", "v", "", ""});
  Branding mine = LoadBranding(*stores_.documents, "eu-west-1_pool", "client1");
  EXPECT_EQ(mine.css, ".mine{}");
  EXPECT_EQ(mine.logo_data_uri, "") << "the client's own replaces the pool's as a whole";
  EXPECT_EQ(LoadBranding(*stores_.documents, "eu-west-1_pool", "client2").css, ".all{}");
  EXPECT_TRUE(LoadBranding(*stores_.documents, "other", "client1").css.empty());
}

TEST_F(LoadBrandingTest, StoredCssThatFailsTheChecksIsDropped) {
  Put("ALL", {"a{}</style><script>", "v", "", ""});
  EXPECT_EQ(LoadBranding(*stores_.documents, "eu-west-1_pool", "c").css, "");
}

}  // namespace
}  // namespace cognate::hosted
