// The hosted pages: escaping of everything supplied by users, clients and pools; accessibility
// (labels, autocomplete, the error announced and tied to the inputs); forms (post, CSRF, hidden
// fields); the style nonce and no script. With COGNATE_PAGES_DUMP_DIR set, a test also writes
// every page with sample data there, to look at in a browser.

#include "hosted/pages.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "hosted/testing/sample_pages.h"

namespace cognate::hosted {
namespace {

using testing_pages::SamplePages;

constexpr char kHostile[] = "\"'><script>alert(1)</script>&";
constexpr char kHostileEscaped[] = "&quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;";

PageFrame HostileFrame() {
  PageFrame page;
  page.title = std::string("Sign in ") + kHostile;
  page.style_nonce = "n0nce\"><script>";
  page.error = std::string("Bad <b>error</b> ") + kHostile;
  page.notice = std::string("Notice ") + kHostile;
  page.branding.css = "body{color:red}</style><script>alert(1)</script><style>";
  page.branding.logo_data_uri = "data:image/png;base64,iVBORw0KGgo=";
  return page;
}

FormFrame HostileForm() {
  FormFrame form;
  form.action = std::string("/login?client_id=abc&redirect_uri=") + kHostile;
  form.csrf_token = std::string("csrf") + kHostile;
  form.hidden = {{kFieldSession, std::string("sess") + kHostile},
                 {std::string("x") + kHostile, "v"}};
  return form;
}

// Every start tag named `tag`, as its attribute text.
std::vector<std::string> Tags(const std::string& html, const std::string& tag) {
  std::vector<std::string> out;
  std::regex re("<" + tag + "(\\s[^>]*)?>", std::regex::icase);
  for (std::sregex_iterator it(html.begin(), html.end(), re), end; it != end; ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

std::string AttrOf(const std::string& tag_attrs, const std::string& name) {
  std::smatch m;
  std::regex re("\\s" + name + "=\"([^\"]*)\"");
  return std::regex_search(tag_attrs, m, re) ? m[1].str() : "";
}

bool HasAttr(const std::string& tag_attrs, const std::string& name) {
  return std::regex_search(tag_attrs, std::regex("\\s" + name + "(=|\\s|$)"));
}

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(EscapeHtmlTest, EscapesTheFiveCharacters) {
  EXPECT_EQ(EscapeHtml(kHostile), kHostileEscaped);
  EXPECT_EQ(EscapeHtml("plain text é"), "plain text é");
}

TEST(HostedPagesTest, EveryPageIsOneAccessibleHtml5Document) {
  for (const auto& [name, html] : SamplePages(HostileFrame(), HostileForm())) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
    EXPECT_NE(html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"),
              std::string::npos);
    EXPECT_EQ(Tags(html, "main").size(), 1u);
    EXPECT_EQ(Tags(html, "h1").size(), 1u);
    EXPECT_EQ(Tags(html, "style").size(), 1u);
    EXPECT_EQ(Lower(html).find("<script"), std::string::npos);
    EXPECT_EQ(Lower(html).find(" style="), std::string::npos) << "CSP allows no style attributes";
    EXPECT_FALSE(std::regex_search(html, std::regex("\\son[a-z]+=", std::regex::icase)))
        << "no event handler attributes";
    // The style element carries the (escaped) nonce, and the pool's CSS cannot close it.
    EXPECT_EQ(AttrOf(Tags(html, "style")[0], "nonce"), "n0nce&quot;&gt;&lt;script&gt;");
    EXPECT_EQ(Count(Lower(html), "</style"), 1u);
    EXPECT_NE(html.find("body{color:red}\\3c /style>\\3c script>"), std::string::npos);
    // The error is announced.
    EXPECT_NE(html.find("role=\"alert\">Bad &lt;b&gt;error&lt;/b&gt; " +
                        std::string(kHostileEscaped)),
              std::string::npos);
    EXPECT_EQ(html.find(kHostile), std::string::npos) << "something unescaped";
    std::vector<std::string> images = Tags(html, "img");
    ASSERT_EQ(images.size(), 1u);
    EXPECT_FALSE(AttrOf(images[0], "alt").empty());
    EXPECT_TRUE(AttrOf(images[0], "src").starts_with("data:image/png;base64,"));
  }
}

TEST(HostedPagesTest, EveryVisibleInputHasALabelAndIsTiedToTheError) {
  for (const auto& [name, html] : SamplePages(HostileFrame(), HostileForm())) {
    SCOPED_TRACE(name);
    for (const std::string& input : Tags(html, "input")) {
      if (AttrOf(input, "type") == "hidden") continue;
      std::string id = AttrOf(input, "id");
      ASSERT_FALSE(id.empty()) << input;
      EXPECT_EQ(Count(html, "<label for=\"" + id + "\"") +
                    Count(html, "<label class=\"label-customizable\" for=\"" + id + "\""),
                1u)
          << id;
      EXPECT_FALSE(AttrOf(input, "name").empty()) << input;
      if (AttrOf(input, "type") != "radio") {
        EXPECT_NE(AttrOf(input, "aria-describedby").find("form-error"), std::string::npos)
            << input;
      }
    }
  }
}

TEST(HostedPagesTest, FormsPostWithTheCsrfTokenAndHiddenFields) {
  for (const auto& [name, html] : SamplePages(HostileFrame(), HostileForm())) {
    SCOPED_TRACE(name);
    std::vector<std::string> forms = Tags(html, "form");
    if (name == "message") {
      EXPECT_TRUE(forms.empty());
      continue;
    }
    ASSERT_EQ(forms.size(), 1u);
    EXPECT_EQ(AttrOf(forms[0], "method"), "post");
    EXPECT_EQ(AttrOf(forms[0], "action"),
              "/login?client_id=abc&amp;redirect_uri=" + std::string(kHostileEscaped));
    std::map<std::string, std::string> hidden;
    for (const std::string& input : Tags(html, "input")) {
      if (AttrOf(input, "type") == "hidden") hidden[AttrOf(input, "name")] = AttrOf(input, "value");
    }
    EXPECT_EQ(hidden["_csrf"], "csrf" + std::string(kHostileEscaped));
    EXPECT_EQ(hidden["session"], "sess" + std::string(kHostileEscaped));
    EXPECT_EQ(hidden["x" + std::string(kHostileEscaped)], "v");
    std::vector<std::string> buttons = Tags(html, "button");
    ASSERT_EQ(buttons.size(), 1u);
    EXPECT_EQ(AttrOf(buttons[0], "type"), "submit");
  }
}

TEST(HostedPagesTest, InputsCarryAutocompleteAndCodesAreNumeric) {
  std::map<std::string, std::string> pages = SamplePages(HostileFrame(), HostileForm());
  auto input_named = [&](const std::string& page, const std::string& field) {
    for (const std::string& input : Tags(pages[page], "input")) {
      if (AttrOf(input, "name") == field) return input;
    }
    ADD_FAILURE() << page << " has no input " << field;
    return std::string();
  };
  EXPECT_EQ(AttrOf(input_named("sign-in", "username"), "autocomplete"), "username");
  EXPECT_EQ(AttrOf(input_named("sign-in", "password"), "autocomplete"), "current-password");
  EXPECT_EQ(AttrOf(input_named("sign-in", "password"), "type"), "password");
  EXPECT_EQ(AttrOf(input_named("sign-up", "password"), "autocomplete"), "new-password");
  EXPECT_EQ(AttrOf(input_named("sign-up", "attr:email"), "autocomplete"), "email");
  EXPECT_EQ(AttrOf(input_named("sign-up", "attr:email"), "type"), "email");
  EXPECT_TRUE(HasAttr(input_named("sign-up", "attr:email"), "required"));
  EXPECT_FALSE(HasAttr(input_named("sign-up", "attr:given_name"), "required"));
  EXPECT_EQ(AttrOf(input_named("reset-password", "new_password"), "autocomplete"),
            "new-password");
  for (const char* page : {"code", "reset-password", "totp-setup"}) {
    SCOPED_TRACE(page);
    std::string code = input_named(page, "code");
    EXPECT_EQ(AttrOf(code, "autocomplete"), "one-time-code");
    EXPECT_EQ(AttrOf(code, "inputmode"), "numeric");
  }
  // Password rules are read out with the password input.
  std::string password = input_named("sign-up", "password");
  EXPECT_NE(AttrOf(password, "aria-describedby").find("password-rules"), std::string::npos);
  EXPECT_NE(pages["sign-up"].find("<li>At least 8 characters</li>"), std::string::npos);
}

TEST(HostedPagesTest, NoErrorMeansNoAlertAndNoDescribedByError) {
  PageFrame page;
  page.title = "Sign in";
  page.style_nonce = "abc";
  std::string html = RenderSignIn(page, FormFrame{"/login", "t", {}}, SignInPage{});
  EXPECT_EQ(html.find("role=\"alert\""), std::string::npos);
  EXPECT_EQ(html.find("form-error"), std::string::npos);
  EXPECT_EQ(html.find("aria-invalid"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos) << "no logo without branding";
  EXPECT_NE(html.find("<style nonce=\"abc\">"), std::string::npos);
}

TEST(HostedPagesTest, UnsafeUrlsNeverBecomeLinks) {
  PageFrame page;
  page.title = "Sign in";
  SignInPage view;
  view.providers = {{"Evil", "javascript:alert(1)"}, {"Google", "/oauth2/authorize?a=1&b=2"}};
  view.links = {{"Data", "data:text/html,<script>"},
                {"Tab", "java\tscript:alert(1)"},
                {"Other host", "//evil.example/x"},
                {"Sign up", "https://auth.example/signup?x=1"}};
  std::string html = RenderSignIn(page, FormFrame{" JavaScript:alert(1)", "t", {}}, view);
  EXPECT_EQ(Lower(html).find("javascript"), std::string::npos);
  EXPECT_EQ(html.find("data:text"), std::string::npos);
  EXPECT_EQ(html.find("//evil"), std::string::npos);
  EXPECT_NE(html.find("href=\"/oauth2/authorize?a=1&amp;b=2\""), std::string::npos);
  EXPECT_NE(html.find("href=\"https://auth.example/signup?x=1\""), std::string::npos);
  EXPECT_NE(html.find("<form method=\"post\" action=\"#\""), std::string::npos);
  EXPECT_NE(html.find(">Sign in with Google</a>"), std::string::npos);
}

TEST(HostedPagesTest, OnlyBase64ImageDataUrisBecomeTheLogo) {
  PageFrame page;
  page.title = "t";
  for (const char* uri : {"https://evil.example/logo.png", "data:image/svg+xml;base64,PHN2Zz4=",
                          "data:image/png;base64,AAA\" onerror=\"x", "javascript:1"}) {
    page.branding.logo_data_uri = uri;
    EXPECT_EQ(RenderMessage(page, {}).find("<img"), std::string::npos) << uri;
  }
}

TEST(HostedPagesTest, FederatedOnlySignInHasNoPasswordForm) {
  PageFrame page;
  page.title = "Sign in";
  SignInPage view;
  view.allow_password = false;
  view.providers = {{"Okta", "/oauth2/authorize?identity_provider=Okta"}};
  std::string html = RenderSignIn(page, FormFrame{"/login", "t", {}}, view);
  EXPECT_EQ(html.find("<form"), std::string::npos);
  EXPECT_EQ(html.find("class=\"divider\""), std::string::npos);
  EXPECT_NE(html.find("Sign in with Okta"), std::string::npos);
}

TEST(HostedPagesTest, TotpSetupShowsTheQrCodeTheKeyInGroupsAndTheLink) {
  PageFrame page;
  page.title = "Set up your authenticator app";
  TotpSetupPage view;
  view.otpauth_uri = "otpauth://totp/Pool:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Pool";
  view.secret_code = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  std::string html = RenderTotpSetup(page, FormFrame{"/mfa", "t", {}}, view);
  EXPECT_EQ(Tags(html, "svg").size(), 1u);
  EXPECT_EQ(Tags(html, "path").size(), 1u);
  EXPECT_NE(html.find("role=\"img\""), std::string::npos);
  EXPECT_NE(html.find(">JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP</code>"), std::string::npos);
  EXPECT_NE(html.find(">otpauth://totp/Pool:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&amp;"
                      "issuer=Pool</a>"),
            std::string::npos);
}

TEST(HostedPagesTest, SelectMfaOffersEveryChoiceAsALabelledRadio) {
  PageFrame page;
  page.title = "Choose";
  SelectMfaPage view{{{"SOFTWARE_TOKEN_MFA", "Authenticator app"}, {"EMAIL_OTP", "Email"}}};
  std::string html = RenderSelectMfa(page, FormFrame{"/mfa", "t", {}}, view);
  std::vector<std::string> radios = Tags(html, "input");
  int count = 0;
  for (const std::string& input : radios) {
    if (AttrOf(input, "type") != "radio") continue;
    ++count;
    EXPECT_EQ(AttrOf(input, "name"), "mfa_type");
  }
  EXPECT_EQ(count, 2);
  EXPECT_NE(html.find("value=\"SOFTWARE_TOKEN_MFA\" checked"), std::string::npos);
  EXPECT_NE(html.find("<legend>"), std::string::npos);
}

// Writes every page, plain and with an error and branding, for a look in a browser:
//   COGNATE_PAGES_DUMP_DIR=/tmp/pages ./cognate_unit_tests --gtest_filter='*Dump*'
TEST(HostedPagesDump, WritesSamplePagesWhenAsked) {
  const char* dir = std::getenv("COGNATE_PAGES_DUMP_DIR");
  if (dir == nullptr || *dir == '\0') GTEST_SKIP() << "COGNATE_PAGES_DUMP_DIR not set";
  std::filesystem::create_directories(dir);
  for (const auto& [variant, frame] : testing_pages::SampleFrames()) {
    FormFrame form{"/login?client_id=example&response_type=code", "csrf-token", {}};
    for (const auto& [name, html] : SamplePages(frame, form)) {
      std::ofstream(std::filesystem::path(dir) / (name + variant + ".html")) << html;
    }
  }
}

}  // namespace
}  // namespace cognate::hosted
