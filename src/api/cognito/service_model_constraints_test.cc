// Containers, encodings, nesting bounds and regex semantics of the service model validator.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <string>

#include "api/cognito/service_model.h"
#include "api/cognito/service_model_internal.h"
#include "api/cognito/service_model_test_util.h"

namespace cognate::api {
namespace {

namespace json = boost::json;
using model_internal::Regex;
using model_test::Check;
using model_test::CheckValue;
using model_test::kInvalid;
using model_test::kOneError;
using model_test::kSerialization;

TEST(ServiceModelContainersTest, ScalarListReportsOncePerList) {
  EXPECT_EQ(Check("CreateUserPool",
                  R"({"PoolName": "p", "AutoVerifiedAttributes": ["email", "fax", "pager"]})"),
            std::string(kOneError) +
                "Value '[email, fax, pager]' at 'autoVerifiedAttributes' failed to satisfy "
                "constraint: Member must satisfy constraint: [Member must satisfy enum value "
                "set: [phone_number, email]]");
  EXPECT_EQ(
      Check("CreateUserPool", R"({"PoolName": "p", "AutoVerifiedAttributes": ["email", null]})"),
      std::string(kOneError) +
          "Value '[email, null]' at 'autoVerifiedAttributes' failed to satisfy constraint: "
          "Member must satisfy constraint: [Member must not be null]");
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": "p", "AutoVerifiedAttributes": ["email", 1]})"),
            std::string(kSerialization) +
                "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be "
                "converted to an String");
}

TEST(ServiceModelContainersTest, ListCounts) {
  EXPECT_EQ(Check("CreateUserPool",
                  R"({"PoolName": "p", "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors":
                      ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN", "PASSWORD"]}}})"),
            std::string(kOneError) +
                "Value '[PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN, PASSWORD]' at "
                "'policies.signInPolicy.allowedFirstAuthFactors' failed to satisfy constraint: "
                "Member must have length less than or equal to 4");
  // Lists of structures are not echoed.
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": "p", "Schema": []})"),
            std::string(kOneError) +
                "Value at 'schema' failed to satisfy constraint: Member must have length greater "
                "than or equal to 1");
  json::value body = {{"PoolName", "p"}, {"Schema", json::array()}};
  for (int i = 0; i < 51; ++i) {
    body.at("Schema").as_array().push_back(json::value{{"Name", "a" + std::to_string(i)}});
  }
  EXPECT_EQ(CheckValue("CreateUserPool", body),
            std::string(kOneError) +
                "Value at 'schema' failed to satisfy constraint: Member must have length less "
                "than or equal to 50");
}

TEST(ServiceModelContainersTest, MapKeysAndValues) {
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": "p", "UserPoolTags": {"": "v", "k": ""}})"),
            std::string(kOneError) +
                "Value '{=v, k=}' at 'userPoolTags' failed to satisfy constraint: Map keys must "
                "satisfy constraint: [Member must have length greater than or equal to 1]");
  json::value body = {{"PoolName", "p"}, {"UserPoolTags", {{"k", std::string(257, 'v')}}}};
  EXPECT_EQ(CheckValue("CreateUserPool", body),
            std::string(kOneError) + "Value '{k=" + std::string(257, 'v') +
                "}' at 'userPoolTags' failed to satisfy constraint: Map value must satisfy "
                "constraint: [Member must have length less than or equal to 256]");
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": "p", "UserPoolTags": {"k": null}})"),
            std::string(kOneError) +
                "Value '{k=null}' at 'userPoolTags' failed to satisfy constraint: Map value must "
                "satisfy constraint: [Member must not be null]");
  EXPECT_EQ(Check("CreateUserPool", R"({"PoolName": "p", "UserPoolTags": {"k": {}}})"),
            std::string(kSerialization) + "Start of structure or map found where not expected.");
}

TEST(ServiceModelContainersTest, ViolationsAreCapped) {
  json::value body = {{"PoolName", "p"}, {"Schema", json::array()}};
  for (int i = 0; i < 15; ++i) {
    body.at("Schema").as_array().push_back(json::value{{"Name", std::string(21, 'x')}});
  }
  const std::string outcome = CheckValue("CreateUserPool", body);
  EXPECT_EQ(outcome.rfind(std::string(kInvalid) + "10 validation errors detected: ", 0), 0u)
      << outcome;
  EXPECT_NE(outcome.find("'schema.10.member.name'"), std::string::npos);
  EXPECT_EQ(outcome.find("'schema.11.member.name'"), std::string::npos);
  // Type errors are still found after the cap.
  body.at("Schema").as_array().push_back(json::value{{"Name", 7}});
  EXPECT_EQ(CheckValue("CreateUserPool", body).rfind(kSerialization, 0), 0u);
}

TEST(ServiceModelEncodingTest, BlobIsBase64CountedInBytes) {
  const char* base = R"({"UserPoolId": "us-east-1_abc", "ImageFile": )";
  EXPECT_EQ(Check("SetUICustomization", std::string(base) + R"("aGVsbG8=" })"), "OK");
  EXPECT_EQ(Check("SetUICustomization", std::string(base) + R"("aGVsbG8" })"), "OK");
  EXPECT_EQ(Check("SetUICustomization", std::string(base) + R"("not base64!" })"),
            std::string(kSerialization) + "Invalid base64 encoded value");
  EXPECT_EQ(Check("SetUICustomization", std::string(base) + "12 }"),
            std::string(kSerialization) + "NUMBER_VALUE can not be converted to a Blob");
  // 174764 base64 digits decode to 131073 bytes, one over ImageFileType's maximum.
  json::value body = json::parse(std::string(base) + "null }");
  body.as_object()["ImageFile"] = std::string(174764, 'A');
  EXPECT_EQ(CheckValue("SetUICustomization", body),
            std::string(kOneError) +
                "Value at 'imageFile' failed to satisfy constraint: Member must have length less "
                "than or equal to 131072");
}

TEST(ServiceModelEncodingTest, LengthCountsCodePoints) {
  std::string accented, emoji;
  for (int i = 0; i < 20; ++i) accented += "\xC3\xA9";       // é
  for (int i = 0; i < 20; ++i) emoji += "\xF0\x9F\x98\x80";  // U+1F600, a \p{S}
  for (const std::string& name : {accented, emoji}) {
    json::value body = {{"PoolName", "p"}, {"Schema", {{{"Name", name}}}}};
    EXPECT_EQ(CheckValue("CreateUserPool", body), "OK");
    body.at("Schema").at(0).as_object()["Name"] = name + name.substr(0, name.size() / 20);
    EXPECT_EQ(CheckValue("CreateUserPool", body),
              std::string(kOneError) + "Value '" + name + name.substr(0, name.size() / 20) +
                  "' at 'schema.1.member.name' failed to satisfy constraint: Member must have "
                  "length less than or equal to 20");
  }
}

TEST(ServiceModelEncodingTest, InvalidUtf8IsASerializationError) {
  const std::pair<std::string, std::string> cases[] = {
      {"ab\xFF", "Invalid UTF-8 start byte 0xff"},
      {"\xC0\xAF", "Invalid UTF-8 start byte 0xc0"},           // overlong '/'
      {"\xED\xA0\x80", "Invalid UTF-8 middle byte 0xa0"},      // UTF-16 surrogate
      {"\xF4\x90\x80\x80", "Invalid UTF-8 middle byte 0x90"},  // above U+10FFFF
      {"ok\xC3", "Unexpected end-of-input in UTF-8 character"},
  };
  for (const auto& [text, message] : cases) {
    EXPECT_EQ(CheckValue("CreateUserPool", json::value{{"PoolName", text}}),
              std::string(kSerialization) + message);
    EXPECT_EQ(CheckValue("CreateUserPool",
                         json::value{{"PoolName", "p"}, {"UserPoolTags", {{text, "v"}}}}),
              std::string(kSerialization) + message);
  }
}

json::value NestedArrays(int depth) {
  json::value v = json::array();
  for (int i = 0; i < depth; ++i) {
    json::array outer;
    outer.push_back(std::move(v));
    v = std::move(outer);
  }
  return v;
}

TEST(ServiceModelNestingTest, HostileNestingIsNotWalked) {
  json::value body = {{"PoolName", "p"}, {"Unknown", NestedArrays(10000)}};
  EXPECT_EQ(CheckValue("CreateUserPool", body), "OK");
  body.as_object()["Policies"] = NestedArrays(10000);
  EXPECT_EQ(CheckValue("CreateUserPool", body),
            std::string(kSerialization) + "Start of list found where not expected");
}

TEST(ServiceModelNestingTest, DepthIsBoundedEvenForRecursiveShapes) {
  // The shipped model is not recursive; a self-referencing shape shows the walk still stops.
  model_internal::Shape node;
  node.name = "Node";
  node.members.push_back({"Next", "next", &node, false});
  json::value body = json::object();
  for (int i = 0; i < 100; ++i) body = json::value{{"Next", std::move(body)}};
  EXPECT_EQ(
      model_test::Outcome(model_internal::Validate(&node, body)),
      std::string(kSerialization) + "Document nesting depth exceeds the maximum allowed (32)");
  json::value shallow = {{"Next", {{"Next", json::object()}}}};
  EXPECT_EQ(model_test::Outcome(model_internal::Validate(&node, shallow)), "OK");
}

TEST(ServiceModelRegexTest, EveryModelPatternCompiles) {
  const ServiceModel& model = ServiceModel::Get();
  EXPECT_TRUE(model.SkippedPatterns().empty());
  EXPECT_GE(model.AllPatterns().size(), 38u);  // the shipped model has 38
}

// Expected results come from java.util.regex.Pattern.matches() (OpenJDK), which Coral uses:
// \w and \s are ASCII-only, '.' stops at \r and \n, '$' does not end a match before a newline.
TEST(ServiceModelRegexTest, MatchesLikeJava) {
  const std::string kAttr = R"([\p{L}\p{M}\p{S}\p{N}\p{P}]+)";
  const std::string kMessage = R"([\p{L}\p{M}\p{S}\p{N}\p{P}\s*]+)";
  const std::string kPoolId = R"([\w-]+_[0-9a-zA-Z]+)";
  const std::string kPoolName = R"([\w\s+=,.@-]+)";
  const std::string kNoDot = R"(^[0-9A-Za-z\.\-_]*(?<!\.)$)";
  const std::string kDomain = R"(^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$)";
  const std::string kScope = R"([\x21\x23-\x5B\x5D-\x7E]+)";
  const std::string kName = R"([\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+)";
  const std::string kClient = R"([^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+)";
  const struct {
    std::string pattern, text;
    bool matches;
  } cases[] = {
      {kPoolName, "caf\u00E9", false},
      {kPoolName, "a\tb c", true},
      {R"([\S]+)", "a\u00A0b", true},  // no-break space
      {R"([\S]+)", "a\u2003b", true},  // em space
      {R"([\S]+)", "a b", false},
      {"[A-Za-z0-9-_=.]+", "a-b_c=.", true},
      {"(?s).*", "a\nb", true},
      {R"(.*\{####\}.*)", "a\n{####}", false},
      {R"(.*\{####\}.*)", "a\r{####}", false},
      {R"(.*\{####\}.*)", "a {####} b", true},
      {kMessage, "a\u00A0b", false},
      {kMessage, "a\r\nb", true},
      {kPoolId, "us-east-1_Ab\n", false},
      {kPoolId, "us-east-1_Ab", true},
      {kPoolId, "x_y z", false},
      {kNoDot, "abc.", false},
      {kNoDot, "a.bc", true},
      {"^[0-9a-fA-F]+$", "abc\n", false},
      {kAttr, "j\u00F6hn", true},
      {kAttr, "a b", false},
      {kAttr, "\U0001F600", true},
      {kAttr, "e\u0301", true},
      {R"([\w+]+)", "ab+c", true},
      {R"([\w+]+)", "ab-c", false},
      {kClient, "_abc", false},
      {kClient, "abc", true},
      {kScope, "openid", true},
      {kScope, "a\"b", false},
      {kDomain, "my-domain", true},
      {kDomain, "-x", false},
      {kName, "given name", true},
      {kName, "a\vb", false},
  };
  for (const auto& c : cases) {
    std::string error;
    auto re = Regex::Compile(c.pattern, &error);
    ASSERT_NE(re, nullptr) << c.pattern << ": " << error;
    EXPECT_EQ(re->FullMatch(c.text), c.matches) << c.pattern << " on '" << c.text << "'";
  }
}

// "[CLASS]+" and "[CLASS]*" answer ASCII values from a table; the same pattern in a group
// ("(?:...)") always runs the DFA. Both must agree on every model pattern and value.
TEST(ServiceModelRegexTest, AsciiTableAgreesWithTheDfa) {
  std::vector<std::string> texts = {"", "a", "A-b_c=.", "a b", "a\tb", "a\nb", "x+y", "\x7f",
                                    "caf\u00E9", "a\u00A0b", std::string(1, '\0'), "{####}"};
  for (int c = 0; c < 128; ++c) {
    texts.push_back(std::string(1, static_cast<char>(c)));
    texts.push_back("ab" + std::string(1, static_cast<char>(c)) + "cd");
  }
  int eligible = 0;
  for (const std::string& pattern : ServiceModel::Get().AllPatterns()) {
    std::string error;
    auto fast = Regex::Compile(pattern, &error);
    auto dfa = Regex::Compile("(?:" + pattern + ")", &error);
    ASSERT_NE(fast, nullptr);
    ASSERT_NE(dfa, nullptr) << pattern << ": " << error;
    eligible += pattern.starts_with('[') && (pattern.ends_with("]+") || pattern.ends_with("]*"));
    for (const std::string& text : texts)
      EXPECT_EQ(fast->FullMatch(text), dfa->FullMatch(text)) << pattern << " on '" << text << "'";
  }
  EXPECT_GE(eligible, 15);
}

TEST(ServiceModelRegexTest, LongValuesMatchAndHostileOnesFailFast) {
  // EmailVerificationMessageByLinkType: 6..20000 code points, backtracking-prone pattern.
  const std::string base = R"({"PoolName": "p", "VerificationMessageTemplate": {)";
  json::value body = json::parse(base + "}}");
  json::object& tmpl = body.at("VerificationMessageTemplate").as_object();
  tmpl["EmailMessageByLink"] = "Click {##" + std::string(19984, 'a') + "##} now";
  tmpl["EmailMessage"] = std::string(19994, ' ') + "{####}";
  EXPECT_EQ(CheckValue("CreateUserPool", body), "OK");

  // Takes tens of seconds with a backtracking matcher: every "{##" x "##}" pair is tried.
  std::string hostile;
  while (hostile.size() + 5 <= 20000) hostile += "{##}";
  hostile += "\x01";
  tmpl.erase("EmailMessage");
  tmpl["EmailMessageByLink"] = hostile;
  const auto start = std::chrono::steady_clock::now();
  const std::string outcome = CheckValue("CreateUserPool", body);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_NE(outcome.find("at 'verificationMessageTemplate.emailMessageByLink' failed to satisfy "
                         "constraint: Member must satisfy regular expression pattern"),
            std::string::npos);
}

}  // namespace
}  // namespace cognate::api
