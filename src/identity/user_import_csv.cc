#include "identity/user_import_csv.h"

#include <algorithm>
#include <boost/json.hpp>

#include "crypto/random.h"
#include "identity/json_fields.h"
#include "identity/user_attributes.h"
#include "identity/user_mfa.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

constexpr std::string_view kUsernameColumn = "cognito:username";
constexpr std::string_view kMfaColumn = "cognito:mfa_enabled";

}  // namespace

std::vector<std::string> CsvHeaderFor(const json::object& pool_config) {
  std::vector<std::string> header;
  if (const json::array* schema = GetArray(pool_config, "SchemaAttributes")) {
    for (const json::value& entry : *schema) {
      const json::object* attribute = entry.if_object();
      std::optional<std::string> name = attribute ? GetString(*attribute, "Name") : std::nullopt;
      if (name && *name != "sub" && *name != "identities") header.push_back(*name);
    }
  }
  header.emplace_back(kMfaColumn);
  header.emplace_back(kUsernameColumn);
  return header;
}

Result<bool> CsvReader::Next(std::vector<std::string>& fields) {
  fields.clear();
  // Blank lines between rows are no rows.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) ++pos_;
  if (pos_ >= text_.size()) return false;
  ++row_;
  const std::size_t start = pos_;
  std::string field;
  bool quoted = false;
  bool was_quoted = false;
  for (;;) {
    if (pos_ - start > kMaxCsvRowChars) {
      return Error::InvalidParameter("Row " + std::to_string(row_) + " is longer than " +
                                     std::to_string(kMaxCsvRowChars) + " characters.");
    }
    if (pos_ >= text_.size()) {
      if (quoted) return Error::InvalidParameter("Row " + std::to_string(row_) +
                                                 " has an unterminated quoted field.");
      fields.push_back(std::move(field));
      return true;
    }
    const char c = text_[pos_++];
    if (quoted) {
      if (c != '"') {
        field.push_back(c);
      } else if (pos_ < text_.size() && text_[pos_] == '"') {
        field.push_back('"');
        ++pos_;
      } else {
        quoted = false;
      }
      continue;
    }
    if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      fields.push_back(std::move(field));
      return true;
    } else if (was_quoted) {
      return Error::InvalidParameter("Row " + std::to_string(row_) +
                                     " has text after a closing quote.");
    } else {
      field.push_back(c);
    }
  }
}

Status CheckCsvHeader(const json::object& pool_config, const std::vector<std::string>& columns) {
  const std::vector<std::string> expected = CsvHeaderFor(pool_config);
  for (const std::string& column : columns) {
    if (std::count(columns.begin(), columns.end(), column) > 1)
      return Error::InvalidParameter("The CSV header names " + column + " twice.");
    if (std::find(expected.begin(), expected.end(), column) == expected.end())
      return Error::InvalidParameter("The CSV header has an unknown column: " + column);
  }
  for (const std::string& column : expected) {
    if (std::find(columns.begin(), columns.end(), column) == columns.end())
      return Error::InvalidParameter("The CSV header lacks the column " + column);
  }
  return OkStatus();
}

Result<std::pair<store::UserRecord, std::vector<store::UserKey>>> UserFromCsvRow(
    const PoolContext& pool, const std::vector<std::string>& columns,
    const std::vector<std::string>& row, int64_t now_ms) {
  if (row.size() != columns.size()) {
    return Error::InvalidParameter("The row has " + std::to_string(row.size()) +
                                   " fields where the header has " +
                                   std::to_string(columns.size()) + ".");
  }
  std::string username;
  std::string mfa_enabled;
  json::array attribute_list;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == kUsernameColumn) {
      username = row[i];
    } else if (columns[i] == kMfaColumn) {
      mfa_enabled = row[i];
    } else if (!row[i].empty()) {
      attribute_list.push_back(json::object{{"Name", columns[i]}, {"Value", row[i]}});
    }
  }
  if (username.empty() || username.size() > 128)
    return Error::InvalidParameter("cognito:username must have 1 to 128 characters.");
  if (mfa_enabled != "true" && mfa_enabled != "false")
    return Error::InvalidParameter("cognito:mfa_enabled must be true or false.");
  auto attributes =
      ValidateAttributes(pool.config, attribute_list, AttributeWriteMode::kAdminCreate);
  if (!attributes.ok()) return std::move(attributes).error();
  auto value_of = [&](const char* name) {
    return GetString(*attributes, name).value_or("");
  };
  auto holds = [&](const char* name) { return !value_of(name).empty(); };
  const bool email_ok = value_of("email_verified") == "true" && holds("email");
  const bool phone_ok = value_of("phone_number_verified") == "true" && holds("phone_number");
  if (!email_ok && !phone_ok) {
    return Error::InvalidParameter(
        "A user needs a verified email or phone number to reset the password.");
  }
  if (mfa_enabled == "true" && !holds("phone_number"))
    return Error::InvalidParameter("cognito:mfa_enabled needs a phone_number.");

  store::UserRecord user;
  user.pool_id = pool.id();
  user.sub = crypto::RandomUuid();
  user.username = username;
  if (!pool.username_attributes.empty()) {
    // Email/phone as username: the row names the user by that address; the username proper is
    // the sub, as for users who sign up.
    if (username != value_of("email") && username != value_of("phone_number")) {
      return Error::InvalidParameter(
          "In this pool cognito:username must be the user's email or phone_number.");
    }
    user.username = user.sub;
  }
  user.username_key = UserDirectory::UsernameKey(pool, user.username);
  user.status = "RESET_REQUIRED";
  user.attributes_json = json::serialize(*attributes);
  user.created_ms = user.modified_ms = user.password_changed_ms = now_ms;
  if (mfa_enabled == "true") {
    UserMfa mfa;
    mfa.sms_enabled = true;
    user.mfa_json = SerializeUserMfa(mfa);
  }
  return std::make_pair(std::move(user), UserDirectory::KeysFor(pool, *attributes));
}

}  // namespace cognate::identity
