#include "identity/password_policy.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>
#include <string>

namespace cognate::identity {
namespace {

namespace json = boost::json;

json::object Pool(std::string_view password_policy_json) {
  json::object pool;
  pool["Policies"] = {{"PasswordPolicy", json::parse(password_policy_json)}};
  return pool;
}

json::object StrictPool(int minimum_length = 8) {
  json::object policy{{"MinimumLength", minimum_length}, {"RequireUppercase", true},
                      {"RequireLowercase", true},        {"RequireNumbers", true},
                      {"RequireSymbols", true},          {"TemporaryPasswordValidityDays", 7}};
  json::object pool;
  pool["Policies"] = {{"PasswordPolicy", std::move(policy)}};
  return pool;
}

// "" when the password passes, else the error message (after checking the error's type).
std::string Check(const json::object& pool, std::string_view password) {
  Status s = CheckPasswordPolicy(pool, password);
  if (s.ok()) return "";
  EXPECT_EQ(s.error().type, "InvalidPasswordException");
  EXPECT_EQ(s.error().http_status, 400);
  return s.error().message;
}

constexpr char kPrefix[] = "Password did not conform with policy: ";
constexpr char kTooShort[] = "Password not long enough";
constexpr char kNoUpper[] = "Password must have uppercase characters";
constexpr char kNoLower[] = "Password must have lowercase characters";
constexpr char kNoDigit[] = "Password must have numeric characters";
constexpr char kNoSymbol[] = "Password must have symbol characters";

TEST(PasswordPolicyTest, ReportsTheFirstFailingRuleInCognitosOrder) {
  json::object pool = StrictPool();
  EXPECT_EQ(Check(pool, "a"), std::string(kPrefix) + kTooShort);
  EXPECT_EQ(Check(pool, "abcdefgh"), std::string(kPrefix) + kNoUpper);
  EXPECT_EQ(Check(pool, "ABCDEFGH"), std::string(kPrefix) + kNoLower);
  EXPECT_EQ(Check(pool, "Abcdefgh"), std::string(kPrefix) + kNoDigit);
  EXPECT_EQ(Check(pool, "Abcdefg1"), std::string(kPrefix) + kNoSymbol);
  EXPECT_EQ(Check(pool, "Abcdef1!"), "");
}

TEST(PasswordPolicyTest, MissingPolicyMeansCognitosDefaultPolicy) {
  json::object pool;
  EXPECT_EQ(Check(pool, "Abc1!"), std::string(kPrefix) + kTooShort);
  EXPECT_EQ(Check(pool, "Abcdefg1"), std::string(kPrefix) + kNoSymbol);
  EXPECT_EQ(Check(pool, "Abcdef1!"), "");
  json::object no_password_policy{{"Policies", json::object{}}};
  EXPECT_EQ(Check(no_password_policy, "abcdefgh"), std::string(kPrefix) + kNoUpper);
}

TEST(PasswordPolicyTest, PartialPolicyRequiresOnlyWhatItNames) {
  EXPECT_EQ(Check(Pool(R"({"MinimumLength":6})"), "aaaaaa"), "");
  EXPECT_EQ(Check(Pool(R"({"MinimumLength":6})"), "aaaaa"), std::string(kPrefix) + kTooShort);
  EXPECT_EQ(Check(Pool(R"({})"), "aaaaaaa"), std::string(kPrefix) + kTooShort);
  EXPECT_EQ(Check(Pool(R"({})"), "aaaaaaaa"), "");
  EXPECT_EQ(Check(Pool(R"({"RequireNumbers":true})"), "aaaaaaaa"), std::string(kPrefix) + kNoDigit);
  EXPECT_EQ(Check(Pool(R"({"RequireSymbols":true,"MinimumLength":6})"), "aaaaa b"), "");
}

TEST(PasswordPolicyTest, EverySymbolOfTheDocumentedSetCounts) {
  json::object pool = StrictPool();
  const std::string documented = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";
  ASSERT_EQ(documented.size(), 33u);
  EXPECT_EQ(documented, kPasswordSymbols);
  for (char symbol : documented) {
    EXPECT_EQ(Check(pool, std::string("Abcdefg1") + symbol), "") << "symbol '" << symbol << "'";
  }
}

TEST(PasswordPolicyTest, OtherCharactersAreNotSymbolsOrLetters) {
  json::object pool = StrictPool();
  for (std::string_view other : {"€", "é", "§", "£", "\t", "😀", "Ä"}) {
    EXPECT_EQ(Check(pool, std::string("Abcdefg1") + std::string(other)),
              std::string(kPrefix) + kNoSymbol)
        << other;
  }
  // Non-ASCII letters do not satisfy the Basic-Latin letter rules.
  EXPECT_EQ(Check(pool, "ÄÖÜÉÈa123!"), std::string(kPrefix) + kNoUpper);
  EXPECT_EQ(Check(pool, "äöüéèA123!"), std::string(kPrefix) + kNoLower);
}

TEST(PasswordPolicyTest, LengthCountsCodePointsNotBytes) {
  json::object pool = StrictPool(8);
  EXPECT_EQ(Check(pool, "Ab1!ééé"), std::string(kPrefix) + kTooShort);  // 10 bytes, 7 points
  EXPECT_EQ(Check(pool, "Ab1!éé😀€"), "");                               // 8 code points
  EXPECT_EQ(Check(StrictPool(99), std::string(98, 'a') + "A1!"), "");
  EXPECT_EQ(Check(StrictPool(99), std::string(95, 'a') + "A1!"), std::string(kPrefix) + kTooShort);
}

bool OnlyFrom(std::string_view s, std::string_view allowed) {
  return s.find_first_not_of(allowed) == std::string_view::npos;
}

TEST(PasswordPolicyTest, TemporaryPasswordsSatisfyTheStrictestPolicy) {
  const std::string allowed = std::string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") +
                              "0123456789!#$%*+-=?@^_~";
  std::set<std::string> seen;
  std::set<char> first_chars;
  for (int i = 0; i < 300; ++i) {
    std::string password = GenerateTemporaryPassword(json::object());
    ASSERT_EQ(password.size(), kTemporaryPasswordLength);
    ASSERT_EQ(Check(StrictPool(), password), "") << password;
    ASSERT_TRUE(OnlyFrom(password, allowed)) << password;
    seen.insert(password);
    first_chars.insert(password[0]);
  }
  EXPECT_EQ(seen.size(), 300u);
  // Shuffled: the guaranteed characters are not pinned to fixed positions.
  EXPECT_GT(first_chars.size(), 20u);
}

TEST(PasswordPolicyTest, TemporaryPasswordsGrowWithTheMinimumLength) {
  EXPECT_EQ(GenerateTemporaryPassword(StrictPool(6)).size(), 12u);
  EXPECT_EQ(GenerateTemporaryPassword(StrictPool(12)).size(), 12u);
  std::string long_one = GenerateTemporaryPassword(StrictPool(30));
  EXPECT_EQ(long_one.size(), 30u);
  EXPECT_EQ(Check(StrictPool(30), long_one), "");
  EXPECT_EQ(GenerateTemporaryPassword(StrictPool(99)).size(), 99u);
  EXPECT_EQ(GenerateTemporaryPassword(Pool(R"({"MinimumLength":6})")).size(), 12u);
}

}  // namespace
}  // namespace cognate::identity
