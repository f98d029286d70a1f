#include "identity/user_attributes.h"

#include <charconv>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "identity/json_fields.h"
#include "identity/schema.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

constexpr std::string_view kNotInSchema = "Attribute does not exist in the schema.";
constexpr std::string_view kCannotUpdate =
    "Attribute cannot be updated. (changing an immutable attribute)";

bool IsCreation(AttributeWriteMode mode) {
  return mode == AttributeWriteMode::kSignUp || mode == AttributeWriteMode::kAdminCreate;
}

bool IsClient(AttributeWriteMode mode) {
  return mode == AttributeWriteMode::kSignUp || mode == AttributeWriteMode::kUserUpdate;
}

// One line of a schema-conformance message, framed as Cognito frames it for the mode.
std::string SchemaLine(AttributeWriteMode mode, std::string_view name, std::string_view reason) {
  std::string line = IsCreation(mode) ? "" : "user.";
  return line.append(name).append(": ").append(reason).append("\n");
}

Error SchemaError(AttributeWriteMode mode, const std::string& lines) {
  return Error::InvalidParameter(
      IsCreation(mode) ? "Attributes did not conform to the schema: " + lines : lines);
}

Error Unauthorized() {
  return Error::NotAuthorized("A client attempted to write unauthorized attribute");
}

// The pool's schema; the standard one for a config without SchemaAttributes.
const json::array& SchemaOf(const json::object& pool_config, json::array& fallback) {
  if (const json::array* stored = GetArray(pool_config, "SchemaAttributes")) return *stored;
  fallback = StandardSchema();
  return fallback;
}

const json::object* FindEntry(const json::array& schema, std::string_view name) {
  for (const json::value& v : schema) {
    const json::object* entry = v.if_object();
    if (entry && GetString(*entry, "Name") == name) return entry;
  }
  return nullptr;
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::optional<int64_t> ParseInteger(std::string_view s) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

// The integer constraint `key` of `entry`'s `group` object, when present and well formed.
std::optional<int64_t> Constraint(const json::object& entry, std::string_view group,
                                  std::string_view key) {
  const json::object* c = GetObject(entry, group);
  std::optional<std::string> text = c ? GetString(*c, key) : std::nullopt;
  return text ? ParseInteger(*text) : std::nullopt;
}

// Value checks for one attribute: length, data type and the email / phone formats.
Status CheckValue(const json::object& entry, const std::string& name, std::string_view value) {
  const std::string type = GetString(entry, "AttributeDataType").value_or("String");
  const size_t length = CodePoints(value);
  const auto min_length = Constraint(entry, "StringAttributeConstraints", "MinLength");
  const auto max_length = Constraint(entry, "StringAttributeConstraints", "MaxLength");
  if (length > kMaxAttributeValueLength ||
      (type == "String" && min_length && static_cast<int64_t>(length) < *min_length) ||
      (type == "String" && max_length && static_cast<int64_t>(length) > *max_length)) {
    return Error::InvalidParameter("Invalid length for attribute " + name);
  }
  bool valid = true;
  if (type == "Number") {
    std::optional<int64_t> n = ParseInteger(value);
    auto min = Constraint(entry, "NumberAttributeConstraints", "MinValue");
    auto max = Constraint(entry, "NumberAttributeConstraints", "MaxValue");
    valid = n && (!min || *n >= *min) && (!max || *n <= *max);
  } else if (type == "Boolean") {
    valid = value == "true" || value == "false";
  }
  if (!valid) return Error::InvalidParameter("Invalid value for attribute " + name);
  if (name == "email" && !LooksLikeEmail(value)) {
    return Error::InvalidParameter("Invalid email address format.");
  }
  if (name == "phone_number" && !IsE164PhoneNumber(value)) {
    return Error::InvalidParameter("Invalid phone number format.");
  }
  return OkStatus();
}

// Who may write the attribute in this mode.
Status CheckWritable(const json::object& entry, const std::string& name, AttributeWriteMode mode) {
  if (name == "sub" || name == "identities" ||
      (!IsCreation(mode) && !GetBool(entry, "Mutable").value_or(true))) {
    return SchemaError(mode, SchemaLine(mode, name, kCannotUpdate));
  }
  const bool verified_flag = name == "email_verified" || name == "phone_number_verified";
  if (IsClient(mode) &&
      (verified_flag || GetBool(entry, "DeveloperOnlyAttribute").value_or(false))) {
    return Unauthorized();
  }
  return OkStatus();
}

bool IsDomainLabelChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c >= 0x80;
}

}  // namespace

Result<json::object> ValidateAttributes(const json::object& pool_config,
                                        const json::array& attribute_list,
                                        AttributeWriteMode mode) {
  if (attribute_list.size() > kMaxAttributesPerRequest) {
    return Error::InvalidParameter("Too many attributes: at most " +
                                   std::to_string(kMaxAttributesPerRequest) + " may be given.");
  }
  json::array fallback;
  const json::array& schema = SchemaOf(pool_config, fallback);

  // Shape and duplicates first, then every unknown name at once, as Cognito lists them.
  json::object out;
  std::string unknown;
  for (const json::value& v : attribute_list) {
    const json::object* item = v.if_object();
    std::optional<std::string> name = item ? GetString(*item, "Name") : std::nullopt;
    if (!name || name->empty()) return Error::InvalidParameter("Attribute name is missing.");
    const json::value* value = item->if_contains("Value");
    if (value && !value->is_string()) {
      return Error::InvalidParameter("Value of attribute " + *name + " must be a string.");
    }
    if (out.contains(*name)) {
      return Error::InvalidParameter("Duplicate attribute name: " + *name + ".");
    }
    out[*name] = value ? value->get_string() : json::string();
    if (FindEntry(schema, *name) == nullptr) unknown += SchemaLine(mode, *name, kNotInSchema);
  }
  if (!unknown.empty()) return SchemaError(mode, unknown);

  for (const auto& [key, value] : out) {
    const std::string name(key);
    const json::object& entry = *FindEntry(schema, name);
    COGNATE_RETURN_IF_ERROR(CheckWritable(entry, name, mode));
    COGNATE_RETURN_IF_ERROR(CheckValue(entry, name, value.get_string()));
  }
  return out;
}

Status CheckClientMayWrite(const json::object& pool_config, const json::object& client_config,
                           const std::vector<std::string>& names) {
  const json::array* writable = GetArray(client_config, "WriteAttributes");
  if (writable == nullptr || writable->empty()) return OkStatus();
  for (const std::string& name : names) {
    // Required attributes are always writable (a client must be able to keep them filled).
    if (Contains(*writable, name) || IsRequiredAttribute(pool_config, name)) continue;
    return Error::NotAuthorized("A client attempted to write unauthorized attribute");
  }
  return OkStatus();
}

Status CheckRequiredAttributes(const json::object& pool_config, const json::object& attrs) {
  json::array fallback;
  const json::array& schema = SchemaOf(pool_config, fallback);
  std::string missing;
  for (const json::value& v : schema) {
    const json::object* entry = v.if_object();
    if (entry == nullptr || !GetBool(*entry, "Required").value_or(false)) continue;
    const std::string name = GetString(*entry, "Name").value_or("");
    if (name == "sub") continue;  // Generated by the server, never supplied.
    if (!GetString(attrs, name).value_or("").empty()) continue;
    if (!missing.empty()) missing += ", ";
    missing += name + ": The attribute " + name + " is required";
  }
  if (missing.empty()) return OkStatus();
  return Error::InvalidParameter("Attributes did not conform to the schema: " + missing);
}

bool LooksLikeEmail(std::string_view value) {
  const size_t at = value.find('@');
  if (at == std::string_view::npos || value.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  std::string_view local = value.substr(0, at);
  std::string_view domain = value.substr(at + 1);
  if (local.empty() || local.size() > 64 || domain.size() > 255) return false;
  for (unsigned char c : local) {
    if (c <= 0x20 || c == 0x7f) return false;
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return false;
  }
  int labels = 0;
  for (size_t start = 0; start <= domain.size(); ++labels) {
    size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (unsigned char c : label) {
      if (!IsDomainLabelChar(c)) return false;
    }
    start = dot + 1;
  }
  return labels >= 2;
}

bool IsE164PhoneNumber(std::string_view value) {
  if (value.size() < 6 || value.size() > 16 || value[0] != '+' || value[1] == '0') return false;
  for (char c : value.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace cognate::identity
