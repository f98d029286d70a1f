#include "identity/schema.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

namespace cognate::identity {
namespace {

namespace json = boost::json;

json::array Parse(std::string_view text) { return json::parse(text).as_array(); }

const json::object* Entry(const json::array& schema, std::string_view name) {
  for (const json::value& v : schema) {
    if (v.as_object().at("Name").as_string() == name) return &v.as_object();
  }
  return nullptr;
}

std::string ErrorOf(const Result<json::array>& r) {
  return r.ok() ? std::string("<ok>") : r.error().type + ": " + r.error().message;
}

TEST(PoolSchemaTest, StandardListHasCognitosAttributesAndConstraints) {
  json::array schema = StandardSchema();
  ASSERT_EQ(schema.size(), 21u);
  EXPECT_EQ(schema.front().as_object().at("Name"), "sub");
  EXPECT_EQ(schema.back().as_object().at("Name"), "identities");
  EXPECT_EQ(json::value(*Entry(schema, "sub")), json::parse(R"({"Name":"sub",
      "AttributeDataType":"String","DeveloperOnlyAttribute":false,"Mutable":false,
      "Required":true,"StringAttributeConstraints":{"MinLength":"1","MaxLength":"2048"}})"));
  EXPECT_EQ(Entry(schema, "email")->at("StringAttributeConstraints"),
            json::parse(R"({"MinLength":"0","MaxLength":"2048"})"));
  EXPECT_EQ(Entry(schema, "birthdate")->at("StringAttributeConstraints"),
            json::parse(R"({"MinLength":"10","MaxLength":"10"})"));
  EXPECT_EQ(Entry(schema, "email_verified")->at("AttributeDataType"), "Boolean");
  EXPECT_FALSE(Entry(schema, "email_verified")->contains("StringAttributeConstraints"));
  EXPECT_EQ(Entry(schema, "phone_number_verified")->at("AttributeDataType"), "Boolean");
  EXPECT_EQ(Entry(schema, "updated_at")->at("AttributeDataType"), "Number");
  EXPECT_EQ(Entry(schema, "updated_at")->at("NumberAttributeConstraints"),
            json::parse(R"({"MinValue":"0"})"));
  EXPECT_EQ(Entry(schema, "identities")->at("AttributeDataType"), "String");
  EXPECT_EQ(Entry(schema, "email")->at("Mutable"), true);
  EXPECT_EQ(Entry(schema, "email")->at("Required"), false);
}

TEST(PoolSchemaTest, BuildWithoutRequestSchemaIsTheStandardList) {
  Result<json::array> schema = BuildSchema(nullptr);
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ(*schema, StandardSchema());
}

TEST(PoolSchemaTest, MergesStandardSettingsAndAppendsCustomAttributes) {
  json::array request = Parse(R"([
    {"Name":"email","AttributeDataType":"String","Required":true,"Mutable":false},
    {"Name":"name","StringAttributeConstraints":{"MinLength":"2","MaxLength":"100"}},
    {"Name":"tier","AttributeDataType":"String"},
    {"Name":"score","AttributeDataType":"Number","Mutable":false,
     "NumberAttributeConstraints":{"MinValue":"-5","MaxValue":"100"}},
    {"Name":"secret","AttributeDataType":"String","DeveloperOnlyAttribute":true,
     "StringAttributeConstraints":{"MaxLength":"64"}}])");
  Result<json::array> schema = BuildSchema(&request);
  ASSERT_TRUE(schema.ok()) << ErrorOf(schema);
  ASSERT_EQ(schema->size(), 24u);
  EXPECT_EQ(Entry(*schema, "email")->at("Required"), true);
  EXPECT_EQ(Entry(*schema, "email")->at("Mutable"), false);
  EXPECT_EQ(Entry(*schema, "name")->at("StringAttributeConstraints"),
            json::parse(R"({"MinLength":"2","MaxLength":"100"})"));
  EXPECT_EQ(json::value(*Entry(*schema, "custom:tier")), json::parse(R"({"Name":"custom:tier",
      "AttributeDataType":"String","DeveloperOnlyAttribute":false,"Mutable":true,
      "Required":false})"));
  EXPECT_EQ(Entry(*schema, "custom:score")->at("Mutable"), false);
  EXPECT_EQ(Entry(*schema, "custom:score")->at("NumberAttributeConstraints"),
            json::parse(R"({"MinValue":"-5","MaxValue":"100"})"));
  EXPECT_EQ(Entry(*schema, "custom:secret")->at("DeveloperOnlyAttribute"), true);
  EXPECT_EQ(Entry(*schema, "custom:secret")->at("StringAttributeConstraints"),
            json::parse(R"({"MaxLength":"64"})"));
}

TEST(PoolSchemaTest, CustomAttributeDefaultsToStringAndDropsMismatchedConstraints) {
  json::array request = Parse(R"([{"Name":"plain"},
    {"Name":"n","AttributeDataType":"Number","StringAttributeConstraints":{"MaxLength":"5"}},
    {"Name":"when","AttributeDataType":"DateTime"},
    {"Name":"flag","AttributeDataType":"Boolean"}])");
  Result<json::array> schema = BuildSchema(&request);
  ASSERT_TRUE(schema.ok()) << ErrorOf(schema);
  EXPECT_EQ(Entry(*schema, "custom:plain")->at("AttributeDataType"), "String");
  EXPECT_FALSE(Entry(*schema, "custom:n")->contains("StringAttributeConstraints"));
  EXPECT_EQ(Entry(*schema, "custom:when")->at("AttributeDataType"), "DateTime");
  EXPECT_EQ(Entry(*schema, "custom:flag")->at("AttributeDataType"), "Boolean");
}

struct SchemaErrorCase {
  const char* name;
  const char* request;
  const char* message;
};

// Keeps ctest's listing readable: print the case's name, not its bytes.
void PrintTo(const SchemaErrorCase& c, std::ostream* os) { *os << c.name; }

class PoolSchemaErrorTest : public ::testing::TestWithParam<SchemaErrorCase> {};

TEST_P(PoolSchemaErrorTest, IsInvalidParameter) {
  json::array request = Parse(GetParam().request);
  Result<json::array> schema = BuildSchema(&request);
  ASSERT_FALSE(schema.ok());
  EXPECT_EQ(schema.error().type, "InvalidParameterException");
  EXPECT_EQ(schema.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    SchemaErrors, PoolSchemaErrorTest,
    ::testing::Values(
        SchemaErrorCase{"RequiredCustom", R"([{"Name":"x","Required":true}])",
                        "Required custom attributes are not supported currently."},
        SchemaErrorCase{"NameTooLong", R"([{"Name":"abcdefghijklmnopqrstu"}])",
                        "Custom attribute names must be 1 to 20 characters long."},
        SchemaErrorCase{"NameMissing", R"([{"AttributeDataType":"String"}])",
                        "Custom attribute names must be 1 to 20 characters long."},
        SchemaErrorCase{"Duplicate", R"([{"Name":"x"},{"Name":"x"}])",
                        "Duplicate attribute name in schema: x."},
        SchemaErrorCase{"DuplicateStandard", R"([{"Name":"email"},{"Name":"email"}])",
                        "Duplicate attribute name in schema: email."},
        SchemaErrorCase{"StandardTypeChange", R"([{"Name":"email","AttributeDataType":"Number"}])",
                        "You can not change AttributeDataType or set developerOnlyAttribute for "
                        "standard schema attribute email"},
        SchemaErrorCase{"StandardDeveloperOnly",
                        R"([{"Name":"name","DeveloperOnlyAttribute":true}])",
                        "You can not change AttributeDataType or set developerOnlyAttribute for "
                        "standard schema attribute name"},
        SchemaErrorCase{"MutableSub", R"([{"Name":"sub","Mutable":true}])",
                        "The sub attribute must remain required and immutable."},
        SchemaErrorCase{"BadLength",
                        R"([{"Name":"x","StringAttributeConstraints":{"MaxLength":"abc"}}])",
                        "Invalid MaxLength for attribute custom:x."},
        SchemaErrorCase{"LengthTooBig",
                        R"([{"Name":"x","StringAttributeConstraints":{"MaxLength":"2049"}}])",
                        "Invalid MaxLength for attribute custom:x."},
        SchemaErrorCase{"MinAboveMax",
                        R"([{"Name":"x","AttributeDataType":"Number",
                             "NumberAttributeConstraints":{"MinValue":"9","MaxValue":"1"}}])",
                        "MinValue is greater than MaxValue for attribute custom:x."}),
    [](const ::testing::TestParamInfo<SchemaErrorCase>& info) { return info.param.name; });

TEST(PoolSchemaTest, AtMostFiftyCustomAttributes) {
  json::array request;
  for (int i = 0; i < 50; ++i) request.push_back(json::object{{"Name", "a" + std::to_string(i)}});
  ASSERT_TRUE(BuildSchema(&request).ok());
  json::array custom{json::object{{"Name", "one_more"}}};
  Result<json::array> schema = BuildSchema(&request);
  Result<json::array> extended = AddCustomAttributesToSchema(*schema, custom);
  ASSERT_FALSE(extended.ok());
  EXPECT_EQ(extended.error().type, "InvalidParameterException");
  EXPECT_EQ(extended.error().message, "A user pool can have at most 50 custom attributes.");
}

TEST(PoolSchemaTest, AddCustomAttributesAppendsPrefixedAttributes) {
  json::array custom = Parse(R"([{"Name":"email","AttributeDataType":"String"},
                                 {"Name":"level","AttributeDataType":"Number"}])");
  Result<json::array> schema = AddCustomAttributesToSchema(StandardSchema(), custom);
  ASSERT_TRUE(schema.ok()) << ErrorOf(schema);
  EXPECT_EQ(schema->size(), 23u);
  EXPECT_TRUE(SchemaHasAttribute(*schema, "custom:email"));  // always custom, even named "email"
  EXPECT_TRUE(SchemaHasAttribute(*schema, "custom:level"));
  EXPECT_FALSE(SchemaHasAttribute(*schema, "custom:nope"));
}

TEST(PoolSchemaTest, AddCustomAttributesRejectsExistingAndRequired) {
  json::array start = Parse(R"([{"Name":"tier"}])");
  Result<json::array> schema = BuildSchema(&start);
  ASSERT_TRUE(schema.ok());
  Result<json::array> again = AddCustomAttributesToSchema(*schema, Parse(R"([{"Name":"tier"}])"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, "Existing attribute already has name custom:tier.");
  Result<json::array> twice =
      AddCustomAttributesToSchema(*schema, Parse(R"([{"Name":"b"},{"Name":"b"}])"));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().message, "Existing attribute already has name custom:b.");
  Result<json::array> required =
      AddCustomAttributesToSchema(*schema, Parse(R"([{"Name":"r","Required":true}])"));
  ASSERT_FALSE(required.ok());
  EXPECT_EQ(required.error().message, "Required custom attributes are not supported currently.");
}

}  // namespace
}  // namespace cognate::identity
