#include "identity/password_blocklist.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "identity/password_policy.h"

namespace cognate::identity {
namespace {

TEST(PasswordBlocklistTest, MatchesWholePasswordsInAnyCase) {
  auto list = PasswordBlocklist::FromText(
      "#!comment: john's header\n#!comment:\n123456\nPassword1\r\ncorrect horse\n\n");
  EXPECT_EQ(list.size(), 3u);
  EXPECT_TRUE(list.Contains("123456"));
  EXPECT_TRUE(list.Contains("password1"));
  EXPECT_TRUE(list.Contains("PASSWORD1"));
  EXPECT_TRUE(list.Contains("Correct Horse"));
  EXPECT_FALSE(list.Contains("password12"));
  EXPECT_FALSE(list.Contains("assword1"));
  EXPECT_FALSE(list.Contains("#!comment: john's header"));
  EXPECT_FALSE(list.Contains(""));
}

TEST(PasswordBlocklistTest, OverlongLinesAreSkipped) {
  auto list = PasswordBlocklist::FromText(std::string(300, 'a') + "\nshort\n");
  EXPECT_EQ(list.size(), 1u);
  EXPECT_FALSE(list.Contains(std::string(300, 'a')));
}

TEST(PasswordBlocklistTest, LoadsAFileAndReportsAMissingOne) {
  const auto path = std::filesystem::temp_directory_path() / "cognate-blocklist-test.lst";
  std::ofstream(path) << "letmein\nqwerty123\n";
  auto loaded = PasswordBlocklist::Load(path.string());
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->Contains("LetMeIn"));
  std::filesystem::remove(path);
  EXPECT_FALSE(PasswordBlocklist::Load(path.string()).ok());
}

TEST(PasswordBlocklistTest, JohnDataListWhenInstalled) {
  if (!std::filesystem::exists(kDefaultPasswordBlocklist)) GTEST_SKIP() << "no john-data";
  auto list = PasswordBlocklist::Load(kDefaultPasswordBlocklist);
  ASSERT_TRUE(list.ok());
  EXPECT_GT(list->size(), 3000u);
  EXPECT_TRUE(list->Contains("password1"));
  EXPECT_TRUE(list->Contains("Qwerty"));
}

TEST(PasswordBlocklistTest, ThePolicyRefusesListedPasswordsAfterItsOwnRules) {
  const auto relaxed = boost::json::parse(
      R"({"Policies":{"PasswordPolicy":{"MinimumLength":8,"RequireUppercase":false,
          "RequireLowercase":false,"RequireNumbers":false,"RequireSymbols":false}}})")
                           .as_object();
  EXPECT_TRUE(CheckPasswordPolicy(relaxed, "sunshine1").ok());
  SetActivePasswordBlocklist(
      std::make_shared<const PasswordBlocklist>(PasswordBlocklist::FromText("sunshine1\nabc\n")));
  Status refused = CheckPasswordPolicy(relaxed, "SunShine1");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "InvalidPasswordException");
  EXPECT_EQ(refused.error().message, "Password did not conform with policy: Password is too common");
  // The pool's own rules are reported first.
  EXPECT_EQ(CheckPasswordPolicy(relaxed, "abc").error().message,
            "Password did not conform with policy: Password not long enough");
  EXPECT_TRUE(CheckPasswordPolicy(relaxed, "sunshine12").ok());
  SetActivePasswordBlocklist(nullptr);
  EXPECT_TRUE(CheckPasswordPolicy(relaxed, "sunshine1").ok());
}

}  // namespace
}  // namespace cognate::identity
