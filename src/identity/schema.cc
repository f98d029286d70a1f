#include "identity/schema.h"

#include <boost/json/object.hpp>
#include <charconv>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "identity/json_fields.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

// One standard attribute as Cognito lists it. For String attributes min/max are MinLength and
// MaxLength, for Number attributes MinValue and MaxValue; empty means "no such constraint".
struct StandardAttribute {
  std::string_view name;
  std::string_view type;
  bool is_mutable;
  bool required;
  std::string_view min;
  std::string_view max;
};

constexpr StandardAttribute kStandardAttributes[] = {
    {"sub", "String", false, true, "1", "2048"},
    {"name", "String", true, false, "0", "2048"},
    {"given_name", "String", true, false, "0", "2048"},
    {"family_name", "String", true, false, "0", "2048"},
    {"middle_name", "String", true, false, "0", "2048"},
    {"nickname", "String", true, false, "0", "2048"},
    {"preferred_username", "String", true, false, "0", "2048"},
    {"profile", "String", true, false, "0", "2048"},
    {"picture", "String", true, false, "0", "2048"},
    {"website", "String", true, false, "0", "2048"},
    {"email", "String", true, false, "0", "2048"},
    {"email_verified", "Boolean", true, false, "", ""},
    {"gender", "String", true, false, "0", "2048"},
    {"birthdate", "String", true, false, "10", "10"},
    {"zoneinfo", "String", true, false, "0", "2048"},
    {"locale", "String", true, false, "0", "2048"},
    {"phone_number", "String", true, false, "0", "2048"},
    {"phone_number_verified", "Boolean", true, false, "", ""},
    {"address", "String", true, false, "0", "2048"},
    {"updated_at", "Number", true, false, "0", ""},
    {"identities", "String", true, false, "", ""},
};

constexpr int64_t kMaxStringLength = 2048;

const StandardAttribute* FindStandard(std::string_view name) {
  for (const StandardAttribute& a : kStandardAttributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

json::object MakeEntry(std::string_view name, std::string_view type, bool developer_only,
                       bool is_mutable, bool required) {
  json::object entry;
  entry["Name"] = name;
  entry["AttributeDataType"] = type;
  entry["DeveloperOnlyAttribute"] = developer_only;
  entry["Mutable"] = is_mutable;
  entry["Required"] = required;
  return entry;
}

json::object StandardEntry(const StandardAttribute& a) {
  json::object entry = MakeEntry(a.name, a.type, false, a.is_mutable, a.required);
  if (a.type == "String" && !a.min.empty()) {
    entry["StringAttributeConstraints"] = {{"MinLength", a.min}, {"MaxLength", a.max}};
  } else if (a.type == "Number" && !a.min.empty()) {
    json::object c{{"MinValue", a.min}};
    if (!a.max.empty()) c["MaxValue"] = a.max;
    entry["NumberAttributeConstraints"] = std::move(c);
  }
  return entry;
}

std::optional<int64_t> ParseInteger(std::string_view s) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return n;
}

// Validates one constraints object; `lo`/`hi` bound each value, `min_key` <= `max_key`.
Result<json::object> CheckConstraints(const json::object& given, std::string_view min_key,
                                      std::string_view max_key, int64_t lo, int64_t hi,
                                      std::string_view attr) {
  json::object out;
  std::optional<int64_t> values[2];
  std::string_view keys[2] = {min_key, max_key};
  for (int i = 0; i < 2; ++i) {
    std::optional<std::string> text = GetString(given, keys[i]);
    if (!text) continue;
    values[i] = ParseInteger(*text);
    if (!values[i] || *values[i] < lo || *values[i] > hi) {
      return Error::InvalidParameter("Invalid " + std::string(keys[i]) + " for attribute " +
                                     std::string(attr) + ".");
    }
    out[keys[i]] = *text;
  }
  if (values[0] && values[1] && *values[0] > *values[1]) {
    return Error::InvalidParameter(std::string(min_key) + " is greater than " +
                                   std::string(max_key) + " for attribute " + std::string(attr) +
                                   ".");
  }
  return out;
}

// Copies the request's constraints of the kind that fits `type` into `entry`.
Status ApplyConstraints(const json::object& item, std::string_view type, std::string_view attr,
                        json::object& entry) {
  if (type == "String") {
    if (const json::object* c = GetObject(item, "StringAttributeConstraints")) {
      auto checked = CheckConstraints(*c, "MinLength", "MaxLength", 0, kMaxStringLength, attr);
      if (!checked.ok()) return std::move(checked).error();
      entry["StringAttributeConstraints"] = std::move(*checked);
    }
  } else if (type == "Number") {
    if (const json::object* c = GetObject(item, "NumberAttributeConstraints")) {
      auto checked = CheckConstraints(*c, "MinValue", "MaxValue", INT64_MIN, INT64_MAX, attr);
      if (!checked.ok()) return std::move(checked).error();
      entry["NumberAttributeConstraints"] = std::move(*checked);
    }
  }
  return OkStatus();
}

// Applies a CreateUserPool Schema item that names a standard attribute to its entry.
Status ApplyStandardSettings(const json::object& item, const StandardAttribute& standard,
                             json::object& entry) {
  std::optional<std::string> type = GetString(item, "AttributeDataType");
  if ((type && *type != standard.type) || GetBool(item, "DeveloperOnlyAttribute").value_or(false)) {
    return Error::InvalidParameter(
        "You can not change AttributeDataType or set developerOnlyAttribute for standard schema "
        "attribute " +
        std::string(standard.name));
  }
  std::optional<bool> is_mutable = GetBool(item, "Mutable");
  std::optional<bool> required = GetBool(item, "Required");
  // sub identifies the user for life: it stays required and immutable.
  if (standard.name == "sub" && (is_mutable.value_or(false) || !required.value_or(true))) {
    return Error::InvalidParameter("The sub attribute must remain required and immutable.");
  }
  if (is_mutable) entry["Mutable"] = *is_mutable;
  if (required) entry["Required"] = *required;
  return ApplyConstraints(item, standard.type, standard.name, entry);
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The schema entry for a custom attribute declared as `item` (name without the prefix).
Result<json::object> CustomEntry(const json::object& item) {
  std::string name = GetString(item, "Name").value_or("");
  size_t length = CodePoints(name);
  if (length < 1 || length > kMaxCustomNameLength) {
    return Error::InvalidParameter("Custom attribute names must be 1 to 20 characters long.");
  }
  if (GetBool(item, "Required").value_or(false)) {
    return Error::InvalidParameter("Required custom attributes are not supported currently.");
  }
  std::string full_name = std::string(kCustomPrefix) + name;
  std::string type = GetString(item, "AttributeDataType").value_or("String");
  json::object entry =
      MakeEntry(full_name, type, GetBool(item, "DeveloperOnlyAttribute").value_or(false),
                GetBool(item, "Mutable").value_or(true), false);
  COGNATE_RETURN_IF_ERROR(ApplyConstraints(item, type, full_name, entry));
  return entry;
}

int CountCustom(const json::array& schema) {
  int n = 0;
  for (const json::value& v : schema) {
    const json::object* entry = v.if_object();
    if (entry && GetString(*entry, "Name").value_or("").starts_with(kCustomPrefix)) ++n;
  }
  return n;
}

Error TooManyCustomAttributes() {
  return Error::InvalidParameter("A user pool can have at most 50 custom attributes.");
}

json::object* FindEntry(json::array& schema, std::string_view name) {
  for (json::value& v : schema) {
    json::object* entry = v.if_object();
    if (entry && GetString(*entry, "Name") == name) return entry;
  }
  return nullptr;
}

}  // namespace

json::array StandardSchema() {
  json::array schema;
  for (const StandardAttribute& a : kStandardAttributes) schema.push_back(StandardEntry(a));
  return schema;
}

Result<json::array> BuildSchema(const json::array* request_schema) {
  json::array schema = StandardSchema();
  if (request_schema == nullptr) return schema;
  std::set<std::string> seen;
  int custom_count = 0;
  for (const json::value& v : *request_schema) {
    const json::object* item = v.if_object();
    if (item == nullptr) continue;
    std::string name = GetString(*item, "Name").value_or("");
    if (!seen.insert(name).second) {
      return Error::InvalidParameter("Duplicate attribute name in schema: " + name + ".");
    }
    if (const StandardAttribute* standard = FindStandard(name)) {
      COGNATE_RETURN_IF_ERROR(ApplyStandardSettings(*item, *standard, *FindEntry(schema, name)));
      continue;
    }
    Result<json::object> entry = CustomEntry(*item);
    if (!entry.ok()) return std::move(entry).error();
    if (++custom_count > kMaxCustomAttributes) return TooManyCustomAttributes();
    schema.push_back(std::move(*entry));
  }
  return schema;
}

Result<json::array> AddCustomAttributesToSchema(const json::array& schema,
                                                const json::array& custom) {
  json::array out = schema;
  int custom_count = CountCustom(out);
  for (const json::value& v : custom) {
    const json::object* item = v.if_object();
    if (item == nullptr) continue;
    Result<json::object> entry = CustomEntry(*item);
    if (!entry.ok()) return std::move(entry).error();
    std::string full_name = GetString(*entry, "Name").value_or("");
    if (SchemaHasAttribute(out, full_name)) {
      return Error::InvalidParameter("Existing attribute already has name " + full_name + ".");
    }
    if (++custom_count > kMaxCustomAttributes) return TooManyCustomAttributes();
    out.push_back(std::move(*entry));
  }
  return out;
}

bool SchemaHasAttribute(const json::array& schema, std::string_view name) {
  for (const json::value& v : schema) {
    const json::object* entry = v.if_object();
    if (entry && GetString(*entry, "Name") == name) return true;
  }
  return false;
}

const json::object* FindSchemaAttribute(const json::object& pool_config, std::string_view name) {
  if (const json::array* schema = GetArray(pool_config, "SchemaAttributes"))
    for (const json::value& v : *schema)
      if (const json::object* entry = v.if_object(); entry && GetString(*entry, "Name") == name)
        return entry;
  return nullptr;
}

bool IsRequiredAttribute(const json::object& pool_config, std::string_view name) {
  const json::object* entry = FindSchemaAttribute(pool_config, name);
  return entry && GetBool(*entry, "Required").value_or(false);
}

}  // namespace cognate::identity
