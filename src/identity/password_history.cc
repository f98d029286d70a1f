#include "identity/password_history.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "identity/json_fields.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

constexpr size_t kMaxPreviousHashes = kMaxPasswordHistorySize - 1;

// Cognito documents the exception but not its message text; this one says what happened without
// saying which of the remembered passwords matched.
Error ReusedPassword() {
  return Error::Make("PasswordHistoryPolicyViolationException",
                     "Password has previously been used.");
}

}  // namespace

int64_t PasswordHistorySize(const json::object& pool_config) {
  const json::object* policies = GetObject(pool_config, "Policies");
  const json::object* password = policies ? GetObject(*policies, "PasswordPolicy") : nullptr;
  const int64_t size = password ? GetInt(*password, "PasswordHistorySize").value_or(0) : 0;
  return std::clamp<int64_t>(size, 0, kMaxPasswordHistorySize);
}

std::vector<std::string> ParsePasswordHistory(std::string_view stored_json) {
  std::vector<std::string> hashes;
  boost::system::error_code ec;
  json::value parsed = json::parse(stored_json, ec);
  const json::array* list = ec ? nullptr : parsed.if_array();
  if (list == nullptr) return hashes;
  for (const json::value& entry : *list) {
    if (hashes.size() == kMaxPreviousHashes) break;
    if (entry.is_string() && !entry.get_string().empty()) hashes.emplace_back(entry.get_string());
  }
  return hashes;
}

Status CheckPasswordHistory(const auth::PasswordHasher& hasher, const json::object& pool_config,
                            const store::UserRecord& user, std::string_view password) {
  const int64_t size = PasswordHistorySize(pool_config);
  if (size == 0) return OkStatus();
  std::vector<std::string> remembered;
  if (!user.password_hash.empty()) remembered.push_back(user.password_hash);
  for (std::string& hash : ParsePasswordHistory(user.password_history_json)) {
    remembered.push_back(std::move(hash));
  }
  if (remembered.size() > static_cast<size_t>(size)) remembered.resize(size);
  for (const std::string& hash : remembered) {
    if (hasher.Verify(hash, password)) return ReusedPassword();
  }
  return OkStatus();
}

void RememberCurrentPassword(store::UserRecord& user, std::string_view new_hash) {
  if (user.password_hash.empty() || user.password_hash == new_hash) return;
  std::vector<std::string> previous = ParsePasswordHistory(user.password_history_json);
  previous.insert(previous.begin(), user.password_hash);
  if (previous.size() > kMaxPreviousHashes) previous.resize(kMaxPreviousHashes);
  json::array stored;
  for (std::string& hash : previous) stored.emplace_back(std::move(hash));
  user.password_history_json = json::serialize(stored);
}

}  // namespace cognate::identity
