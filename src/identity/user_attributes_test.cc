#include "identity/user_attributes.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "identity/schema.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;
using Mode = AttributeWriteMode;

constexpr Mode kAllModes[] = {Mode::kSignUp, Mode::kAdminCreate, Mode::kUserUpdate,
                              Mode::kAdminUpdate};

json::object TestPool() {
  json::array request = json::parse(R"([
    {"Name": "name", "Required": true},
    {"Name": "email", "Required": true},
    {"Name": "tier", "AttributeDataType": "String",
     "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "5"}},
    {"Name": "age", "AttributeDataType": "Number",
     "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "150"}},
    {"Name": "employee_id", "AttributeDataType": "String", "Mutable": false},
    {"Name": "risk", "AttributeDataType": "String", "DeveloperOnlyAttribute": true},
    {"Name": "beta", "AttributeDataType": "Boolean"}])")
                            .as_array();
  Result<json::array> schema = BuildSchema(&request);
  EXPECT_TRUE(schema.ok());
  return json::object{{"SchemaAttributes", std::move(*schema)}};
}

json::array List(std::initializer_list<std::pair<std::string_view, std::string_view>> items) {
  json::array list;
  for (const auto& [name, value] : items) {
    list.push_back(json::object{{"Name", name}, {"Value", value}});
  }
  return list;
}

// "<type>: <message>", or "ok".
std::string Outcome(const json::array& list, Mode mode, const json::object& pool = TestPool()) {
  Result<json::object> r = ValidateAttributes(pool, list, mode);
  return r.ok() ? "ok" : r.error().type + ": " + r.error().message;
}

std::string Invalid(std::string_view message) {
  return "InvalidParameterException: " + std::string(message);
}

constexpr char kUnauthorized[] =
    "NotAuthorizedException: A client attempted to write unauthorized attribute";

TEST(UserAttributesTest, ValidListComesBackAsNameValueObject) {
  json::array list = List({{"email", "alice@example.com"},
                           {"name", "Alice"},
                           {"custom:tier", "gold"},
                           {"custom:age", "42"},
                           {"custom:beta", "true"},
                           {"custom:employee_id", "E-1"}});
  Result<json::object> r = ValidateAttributes(TestPool(), list, Mode::kSignUp);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(json::value(*r), json::parse(R"({"email":"alice@example.com","name":"Alice",
      "custom:tier":"gold","custom:age":"42","custom:beta":"true","custom:employee_id":"E-1"})"));
  EXPECT_EQ(r->begin()->key(), "email");  // List order is kept.
}

TEST(UserAttributesTest, UnknownNamesAreAllListedInCognitosWording) {
  json::array list = List({{"favorite_flavor", "x"}, {"name", "A"}, {"custom:missing", "y"}});
  EXPECT_EQ(Outcome(list, Mode::kSignUp),
            Invalid("Attributes did not conform to the schema: favorite_flavor: Attribute does "
                    "not exist in the schema.\ncustom:missing: Attribute does not exist in the "
                    "schema.\n"));
  EXPECT_EQ(Outcome(list, Mode::kAdminUpdate),
            Invalid("user.favorite_flavor: Attribute does not exist in the schema.\n"
                    "user.custom:missing: Attribute does not exist in the schema.\n"));
  // Custom attributes are only known by their full name.
  EXPECT_EQ(Outcome(List({{"tier", "gold"}}), Mode::kAdminCreate),
            Invalid("Attributes did not conform to the schema: tier: Attribute does not exist in "
                    "the schema.\n"));
}

TEST(UserAttributesTest, MalformedListsAreRefused) {
  EXPECT_EQ(Outcome(List({{"name", "A"}, {"name", "B"}}), Mode::kSignUp),
            Invalid("Duplicate attribute name: name."));
  EXPECT_EQ(Outcome(json::parse(R"([{"Value":"x"}])").as_array(), Mode::kSignUp),
            Invalid("Attribute name is missing."));
  EXPECT_EQ(Outcome(json::parse(R"([{"Name":"","Value":"x"}])").as_array(), Mode::kSignUp),
            Invalid("Attribute name is missing."));
  EXPECT_EQ(Outcome(json::parse(R"(["name"])").as_array(), Mode::kSignUp),
            Invalid("Attribute name is missing."));
  EXPECT_EQ(Outcome(json::parse(R"([{"Name":"custom:age","Value":42}])").as_array(), Mode::kSignUp),
            Invalid("Value of attribute custom:age must be a string."));
  json::array many;
  for (int i = 0; i < 51; ++i) {
    many.push_back(json::object{{"Name", "custom:x" + std::to_string(i)}});
  }
  EXPECT_EQ(Outcome(many, Mode::kAdminCreate),
            Invalid("Too many attributes: at most 50 may be given."));
}

TEST(UserAttributesTest, MissingValueIsEmpty) {
  Result<json::object> r = ValidateAttributes(
      TestPool(), json::parse(R"([{"Name":"given_name"}])").as_array(), Mode::kUserUpdate);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->at("given_name"), "");
}

TEST(UserAttributesTest, SubAndIdentitiesAreNeverWritable) {
  for (Mode mode : kAllModes) {
    std::string prefix = mode == Mode::kSignUp || mode == Mode::kAdminCreate
                             ? "Attributes did not conform to the schema: "
                             : "user.";
    EXPECT_EQ(Outcome(List({{"sub", "6b1d1f3e-0000-4000-8000-000000000000"}}), mode),
              Invalid(prefix + "sub: Attribute cannot be updated. (changing an immutable "
                               "attribute)\n"));
    EXPECT_EQ(Outcome(List({{"identities", "[]"}}), mode),
              Invalid(prefix + "identities: Attribute cannot be updated. (changing an immutable "
                               "attribute)\n"));
  }
}

TEST(UserAttributesTest, ImmutableAttributesOnlyAtCreation) {
  json::array list = List({{"custom:employee_id", "E-2"}});
  EXPECT_EQ(Outcome(list, Mode::kSignUp), "ok");
  EXPECT_EQ(Outcome(list, Mode::kAdminCreate), "ok");
  const std::string message =
      "user.custom:employee_id: Attribute cannot be updated. (changing an immutable attribute)\n";
  EXPECT_EQ(Outcome(list, Mode::kUserUpdate), Invalid(message));
  EXPECT_EQ(Outcome(list, Mode::kAdminUpdate), Invalid(message));
}

TEST(UserAttributesTest, DeveloperOnlyAttributesOnlyThroughAdminModes) {
  json::array list = List({{"custom:risk", "low"}});
  EXPECT_EQ(Outcome(list, Mode::kSignUp), kUnauthorized);
  EXPECT_EQ(Outcome(list, Mode::kUserUpdate), kUnauthorized);
  EXPECT_EQ(Outcome(list, Mode::kAdminCreate), "ok");
  EXPECT_EQ(Outcome(list, Mode::kAdminUpdate), "ok");
}

TEST(UserAttributesTest, VerifiedFlagsAreAdminOnlyBooleans) {
  for (std::string_view flag : {"email_verified", "phone_number_verified"}) {
    EXPECT_EQ(Outcome(List({{flag, "true"}}), Mode::kSignUp), kUnauthorized);
    EXPECT_EQ(Outcome(List({{flag, "true"}}), Mode::kUserUpdate), kUnauthorized);
    EXPECT_EQ(Outcome(List({{flag, "true"}}), Mode::kAdminCreate), "ok");
    EXPECT_EQ(Outcome(List({{flag, "false"}}), Mode::kAdminUpdate), "ok");
    for (std::string_view bad : {"True", "yes", "1", ""}) {
      EXPECT_EQ(Outcome(List({{flag, bad}}), Mode::kAdminUpdate),
                Invalid("Invalid value for attribute " + std::string(flag)))
          << bad;
    }
  }
  EXPECT_EQ(Outcome(List({{"custom:beta", "false"}}), Mode::kUserUpdate), "ok");
  EXPECT_EQ(Outcome(List({{"custom:beta", "no"}}), Mode::kUserUpdate),
            Invalid("Invalid value for attribute custom:beta"));
}

TEST(UserAttributesTest, LengthsFollowTheSchemaInCodePoints) {
  const std::string tier_error = Invalid("Invalid length for attribute custom:tier");
  EXPECT_EQ(Outcome(List({{"custom:tier", ""}}), Mode::kSignUp), tier_error);
  EXPECT_EQ(Outcome(List({{"custom:tier", "abcdef"}}), Mode::kSignUp), tier_error);
  EXPECT_EQ(Outcome(List({{"custom:tier", "ééééé"}}), Mode::kSignUp), "ok");  // 10 bytes
  const std::string max(2048, 'n');
  EXPECT_EQ(Outcome(List({{"name", max}}), Mode::kSignUp), "ok");
  EXPECT_EQ(Outcome(List({{"name", max + "n"}}), Mode::kSignUp),
            Invalid("Invalid length for attribute name"));
  EXPECT_EQ(Outcome(List({{"birthdate", "1990-01-01"}}), Mode::kSignUp), "ok");
  EXPECT_EQ(Outcome(List({{"birthdate", "1990-1-1"}}), Mode::kSignUp),
            Invalid("Invalid length for attribute birthdate"));
}

TEST(UserAttributesTest, NumbersAreIntegersWithinTheirConstraints) {
  for (std::string_view good : {"0", "42", "150"}) {
    EXPECT_EQ(Outcome(List({{"custom:age", good}}), Mode::kSignUp), "ok") << good;
  }
  for (std::string_view bad :
       {"-1", "151", "4.2", "abc", "", " 42", "42 ", "+42", "1e2", "99999999999999999999"}) {
    EXPECT_EQ(Outcome(List({{"custom:age", bad}}), Mode::kSignUp),
              Invalid("Invalid value for attribute custom:age"))
        << bad;
  }
  EXPECT_EQ(Outcome(List({{"updated_at", "1700000000"}}), Mode::kAdminUpdate), "ok");
  EXPECT_EQ(Outcome(List({{"updated_at", "-5"}}), Mode::kAdminUpdate),
            Invalid("Invalid value for attribute updated_at"));
}

TEST(UserAttributesTest, EmailAndPhoneFormats) {
  EXPECT_EQ(Outcome(List({{"email", "not-an-email"}}), Mode::kSignUp),
            Invalid("Invalid email address format."));
  EXPECT_EQ(Outcome(List({{"phone_number", "+1 432-555-1212"}}), Mode::kSignUp),
            Invalid("Invalid phone number format."));
  EXPECT_EQ(Outcome(List({{"phone_number", "+14325551212"}}), Mode::kSignUp), "ok");
}

TEST(UserAttributesTest, EmailSyntax) {
  for (std::string_view good : {"a@b.co", "alice.smith+tag@mail.example.com", "Z_9@x-y.org",
                                "zoë@bücher.example", "o'neil@example.ie"}) {
    EXPECT_TRUE(LooksLikeEmail(good)) << good;
  }
  for (std::string_view bad :
       {"", "alice", "@example.com", "alice@", "alice@localhost", "a@b@c.com", "a b@c.com",
        "a@b c.com", ".a@b.com", "a.@b.com", "a..b@c.com", "a@b..com", "a@.b.com", "a@b.com.",
        "a@-b.com", "a@b-.com", "a@b_c.com", "a\n@b.com", "a@b.com\t"}) {
    EXPECT_FALSE(LooksLikeEmail(bad)) << bad;
  }
  EXPECT_FALSE(LooksLikeEmail(std::string(65, 'a') + "@b.com"));
  EXPECT_TRUE(LooksLikeEmail(std::string(64, 'a') + "@b.com"));
  EXPECT_FALSE(LooksLikeEmail("a@" + std::string(64, 'b') + ".com"));
}

TEST(UserAttributesTest, PhoneSyntaxIsE164) {
  for (std::string_view good : {"+14325551212", "+447911123456", "+68312345", "+123456789012345"}) {
    EXPECT_TRUE(IsE164PhoneNumber(good)) << good;
  }
  for (std::string_view bad :
       {"", "+", "14325551212", "+0123456789", "+1 4325551212", "+1-432-555-1212", "+1234",
        "+1234567890123456", "++14325551212", "+1432555121a"}) {
    EXPECT_FALSE(IsE164PhoneNumber(bad)) << bad;
  }
}

TEST(UserAttributesTest, PoolWithoutSchemaUsesTheStandardAttributes) {
  json::object pool;
  EXPECT_EQ(Outcome(List({{"email", "a@b.co"}}), Mode::kSignUp, pool), "ok");
  EXPECT_EQ(Outcome(List({{"custom:tier", "x"}}), Mode::kSignUp, pool),
            Invalid("Attributes did not conform to the schema: custom:tier: Attribute does not "
                    "exist in the schema.\n"));
  EXPECT_TRUE(CheckRequiredAttributes(pool, json::object()).ok());
}

TEST(UserAttributesTest, RequiredAttributesAreReportedInSchemaOrder) {
  json::object pool = TestPool();
  EXPECT_TRUE(CheckRequiredAttributes(pool, {{"name", "A"}, {"email", "a@b.co"}}).ok());
  Status one = CheckRequiredAttributes(pool, {{"name", "A"}});
  ASSERT_FALSE(one.ok());
  EXPECT_EQ(one.error().type, "InvalidParameterException");
  EXPECT_EQ(one.error().message,
            "Attributes did not conform to the schema: email: The attribute email is required");
  Status two = CheckRequiredAttributes(pool, {{"email", ""}, {"custom:tier", "x"}});
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().message,
            "Attributes did not conform to the schema: name: The attribute name is required, "
            "email: The attribute email is required");
}

}  // namespace
}  // namespace cognate::identity
