// UserService: ListUsers with Cognito's one-attribute Filter (`name = "v"`, `name ^= "v"`).
//
// The store lists users by username_key; the filter is applied while scanning. One call scans
// at most kMaxScannedRows rows, so a selective filter over a large pool answers with fewer (even
// zero) users and a PaginationToken rather than scanning everything at once. The token names
// the last scanned username_key, so paging visits every user exactly once.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/ascii.h"
#include "crypto/encoding.h"
#include "identity/ids.h"
#include "identity/json_fields.h"
#include "identity/schema.h"
#include "identity/user_service.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

constexpr int kMaxScannedRows = 2000;
constexpr int kScanBatch = 200;
constexpr std::string_view kTokenPrefix = "users:";

struct UserFilter {
  std::string attribute;
  bool prefix = false;  // ^= rather than =
  std::string value;
};

Error BadFilter() { return Error::InvalidParameter("Error while parsing filter."); }

bool IsSearchable(std::string_view name) {
  for (std::string_view s :
       {"username", "email", "phone_number", "name", "given_name", "family_name",
        "preferred_username", "cognito:user_status", "status", "sub"})
    if (s == name) return true;
  return false;
}

void SkipSpaces(std::string_view text, size_t& i) {
  while (i < text.size() && text[i] == ' ') ++i;
}

// `name op "value"`; nullopt for an empty filter (no filtering, as on Cognito).
Result<std::optional<UserFilter>> ParseFilter(std::string_view text) {
  size_t i = 0;
  SkipSpaces(text, i);
  if (i == text.size()) return std::optional<UserFilter>();
  UserFilter filter;
  while (i < text.size() && text[i] != ' ' && text[i] != '=' && text[i] != '^')
    filter.attribute += text[i++];
  SkipSpaces(text, i);
  if (text.substr(i, 2) == "^=") {
    filter.prefix = true;
    i += 2;
  } else if (text.substr(i, 1) == "=") {
    i += 1;
  } else {
    return BadFilter();
  }
  SkipSpaces(text, i);
  if (filter.attribute.empty() || i >= text.size() || text[i] != '"') return BadFilter();
  for (++i; i < text.size() && text[i] != '"'; ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) ++i;  // \" and \\ stand for themselves
    filter.value += text[i];
  }
  if (i >= text.size()) return BadFilter();  // Unterminated value.
  SkipSpaces(text, ++i);
  if (i != text.size()) return BadFilter();
  if (!IsSearchable(filter.attribute))
    return Error::InvalidParameter("Invalid search attribute: " + filter.attribute);
  return std::optional<UserFilter>(std::move(filter));
}

bool Matches(const UserFilter& filter, std::string_view actual, bool case_insensitive) {
  std::string have = case_insensitive ? AsciiLower(actual) : std::string(actual);
  std::string want = case_insensitive ? AsciiLower(filter.value) : filter.value;
  if (filter.prefix) return have.compare(0, want.size(), want) == 0;
  return have == want;
}

// Usernames and status compare as documented; email compares case-insensitively like the
// email alias; the other attributes compare exactly.
Result<bool> UserMatches(const PoolContext& pool, const UserFilter& f,
                         const store::UserRecord& user) {
  if (f.attribute == "username") return Matches(f, user.username, !pool.case_sensitive);
  if (f.attribute == "cognito:user_status") return Matches(f, user.status, true);
  if (f.attribute == "status") return Matches(f, user.enabled ? "Enabled" : "Disabled", false);
  if (f.attribute == "sub") return Matches(f, user.sub, false);
  auto attrs = ParseStoredObject(user.attributes_json);
  if (!attrs.ok()) return std::move(attrs).error();
  std::optional<std::string> value = GetString(*attrs, f.attribute);
  return value.has_value() && Matches(f, *value, f.attribute == "email");
}

Result<std::string> DecodeToken(const json::object& request) {
  std::optional<std::string> token = GetString(request, "PaginationToken");
  if (!token) return std::string();
  std::optional<std::string> decoded = crypto::Base64UrlDecode(*token);
  if (!decoded || decoded->rfind(kTokenPrefix, 0) != 0 || decoded->size() == kTokenPrefix.size())
    return Error::InvalidParameter("The pagination token is not valid.");
  return decoded->substr(kTokenPrefix.size());
}

// The requested attribute names; each must be in the pool's schema, as Cognito requires.
Result<std::vector<std::string>> AttributesToGet(const json::object& request,
                                                 const json::object& pool_config, bool& given) {
  std::vector<std::string> names;
  const json::array* list = GetArray(request, "AttributesToGet");
  given = list != nullptr;
  if (!list) return names;
  for (const json::value& v : *list) {
    if (!v.is_string()) continue;
    if (FindSchemaAttribute(pool_config, v.get_string()) == nullptr)
      return Error::InvalidParameter("One or more requested attributes do not exist.");
    names.emplace_back(v.get_string());
  }
  return names;
}

// One page of ListUsers: the matching users after `after`, at most `limit` of them and at most
// kMaxScannedRows rows looked at; `cursor` is the last row scanned, `more` whether rows remain.
struct ScanResult {
  json::array users;
  std::string cursor;
  bool more = true;
};

Result<ScanResult> Scan(store::UserStore& store, const PoolContext& pool,
                        const std::optional<UserFilter>& filter, std::string after, size_t limit,
                        const std::vector<std::string>* only) {
  ScanResult out{json::array(), std::move(after), true};
  for (int scanned = 0; out.more && out.users.size() < limit && scanned < kMaxScannedRows;) {
    auto page = store.ListUsers(pool.id(), out.cursor, kScanBatch);
    if (!page.ok()) return std::move(page).error();
    out.more = !page->next_after.empty();
    for (size_t i = 0; i < page->items.size(); ++i) {
      const store::UserRecord& user = page->items[i];
      out.cursor = user.username_key;
      ++scanned;
      auto match = filter ? UserMatches(pool, *filter, user) : Result<bool>(true);
      if (!match.ok()) return std::move(match).error();
      if (*match) {
        auto item = UserDirectory::UserType(user, only);
        if (!item.ok()) return std::move(item).error();
        out.users.push_back(std::move(*item));
      }
      if (out.users.size() == limit || scanned == kMaxScannedRows) {
        out.more = out.more || i + 1 < page->items.size();
        break;
      }
    }
  }
  return out;
}

}  // namespace

Result<json::object> UserService::ListUsers(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  auto filter = ParseFilter(GetString(request, "Filter").value_or(""));
  if (!filter.ok()) return std::move(filter).error();
  auto after = DecodeToken(request);
  if (!after.ok()) return std::move(after).error();
  std::optional<int64_t> limit = GetInt(request, "Limit");
  if (limit && *limit <= 0) limit.reset();  // 0 means the default.
  bool only_given = false;
  auto only = AttributesToGet(request, pool->config, only_given);
  if (!only.ok()) return std::move(only).error();
  auto scan = Scan(*directory_.stores().users, *pool, *filter, std::move(*after),
                   static_cast<size_t>(PageSize(limit)), only_given ? &*only : nullptr);
  if (!scan.ok()) return std::move(scan).error();
  json::object out{{"Users", std::move(scan->users)}};
  if (scan->more)
    out["PaginationToken"] = EncodePageToken(std::string(kTokenPrefix) + scan->cursor);
  return out;
}

}  // namespace cognate::identity
