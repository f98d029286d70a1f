#include "identity/password_policy.h"

#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <optional>

#include "crypto/random.h"
#include "identity/json_fields.h"
#include "identity/password_blocklist.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

constexpr int64_t kDefaultMinimumLength = 8;
constexpr int64_t kMaxMinimumLength = 99;  // The API's upper bound for MinimumLength.

constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kDigits = "0123456789";
constexpr std::string_view kTemporarySymbols = "!#$%*+-=?@^_~";

struct Policy {
  int64_t minimum_length = kDefaultMinimumLength;
  bool uppercase = true;
  bool lowercase = true;
  bool numbers = true;
  bool symbols = true;
};

Policy ReadPolicy(const json::object& pool_config) {
  const json::object* policies = GetObject(pool_config, "Policies");
  const json::object* given = policies ? GetObject(*policies, "PasswordPolicy") : nullptr;
  Policy p;
  if (given == nullptr) return p;
  p.minimum_length = GetInt(*given, "MinimumLength").value_or(kDefaultMinimumLength);
  p.uppercase = GetBool(*given, "RequireUppercase").value_or(false);
  p.lowercase = GetBool(*given, "RequireLowercase").value_or(false);
  p.numbers = GetBool(*given, "RequireNumbers").value_or(false);
  p.symbols = GetBool(*given, "RequireSymbols").value_or(false);
  return p;
}

int64_t CodePoints(std::string_view s) {
  int64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // Count every byte but continuations.
  return n;
}

bool HasAny(std::string_view password, std::string_view set) {
  return password.find_first_of(set) != std::string_view::npos;
}

Error Violation(std::string_view rule) {
  return Error::Make("InvalidPasswordException",
                     "Password did not conform with policy: " + std::string(rule));
}

// Uniform in [0, n): randombytes_uniform rejects biased draws.
uint32_t RandomBelow(size_t n) {
  [[maybe_unused]] static const bool initialised = sodium_init() >= 0;  // Idempotent, once.
  return randombytes_uniform(static_cast<uint32_t>(n));
}

}  // namespace

Status CheckPasswordPolicy(const json::object& pool_config, std::string_view password) {
  const Policy p = ReadPolicy(pool_config);
  if (CodePoints(password) < p.minimum_length) return Violation("Password not long enough");
  if (p.uppercase && !HasAny(password, kUpper)) {
    return Violation("Password must have uppercase characters");
  }
  if (p.lowercase && !HasAny(password, kLower)) {
    return Violation("Password must have lowercase characters");
  }
  if (p.numbers && !HasAny(password, kDigits)) {
    return Violation("Password must have numeric characters");
  }
  if (p.symbols && !HasAny(password, kPasswordSymbols)) {
    return Violation("Password must have symbol characters");
  }
  if (auto blocklist = ActivePasswordBlocklist(); blocklist && blocklist->Contains(password)) {
    return Violation("Password is too common");
  }
  return OkStatus();
}

std::string GenerateTemporaryPassword(const json::object& pool_config) {
  const Policy p = ReadPolicy(pool_config);
  const size_t length = static_cast<size_t>(std::clamp<int64_t>(
      p.minimum_length, static_cast<int64_t>(kTemporaryPasswordLength), kMaxMinimumLength));
  std::string all;
  for (std::string_view set : {kUpper, kLower, kDigits, kTemporarySymbols}) all += set;
  std::string password;
  password.reserve(length);
  for (std::string_view set : {kUpper, kLower, kDigits, kTemporarySymbols}) {
    password += crypto::RandomString(1, set);
  }
  password += crypto::RandomString(length - password.size(), all);
  // Fisher-Yates, so the guaranteed characters are not always at the front.
  for (size_t i = password.size() - 1; i > 0; --i) {
    std::swap(password[i], password[RandomBelow(i + 1)]);
  }
  return password;
}

}  // namespace cognate::identity
