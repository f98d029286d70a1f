#include "identity/ids.h"

#include <algorithm>

#include "crypto/encoding.h"
#include "crypto/random.h"

namespace cognate::identity {

namespace {

constexpr size_t kPoolSuffixLength = 9;
constexpr size_t kClientIdLength = 26;
constexpr size_t kClientSecretLength = 51;

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsWordChar(char c) { return IsAsciiAlnum(c) || c == '_'; }

}  // namespace

std::string NewPoolId(std::string_view region) {
  return std::string(region) + "_" + crypto::RandomString(kPoolSuffixLength, crypto::kAlnum);
}

std::string NewClientId() { return crypto::RandomString(kClientIdLength, crypto::kLowerAlnum); }

std::string NewClientSecret() {
  return crypto::RandomString(kClientSecretLength, crypto::kLowerAlnum);
}

std::string PoolArn(std::string_view region, std::string_view account_id,
                    std::string_view pool_id) {
  std::string arn = "arn:aws:cognito-idp:";
  arn.append(region).append(":").append(account_id).append(":userpool/").append(pool_id);
  return arn;
}

bool IsPoolIdShape(std::string_view id) {
  size_t sep = id.rfind('_');
  if (sep == std::string_view::npos || sep == 0 || sep + 1 == id.size()) return false;
  std::string_view head = id.substr(0, sep);
  std::string_view tail = id.substr(sep + 1);
  return std::all_of(head.begin(), head.end(), [](char c) { return IsWordChar(c) || c == '-'; }) &&
         std::all_of(tail.begin(), tail.end(), IsAsciiAlnum);
}

bool IsClientIdShape(std::string_view id) {
  return !id.empty() &&
         std::all_of(id.begin(), id.end(), [](char c) { return IsWordChar(c) || c == '+'; });
}

int PageSize(std::optional<int64_t> max_results) {
  constexpr int64_t kMaxPage = 60;
  return static_cast<int>(std::clamp<int64_t>(max_results.value_or(kMaxPage), 1, kMaxPage));
}

std::string EncodePageToken(std::string_view next_after) {
  return crypto::Base64UrlEncode(next_after);
}

std::optional<std::string> DecodePoolPageToken(std::string_view token) {
  std::optional<std::string> id = crypto::Base64UrlDecode(token);
  if (!id || !IsPoolIdShape(*id)) return std::nullopt;
  return id;
}

std::optional<std::string> DecodeClientPageToken(std::string_view token) {
  std::optional<std::string> id = crypto::Base64UrlDecode(token);
  if (!id || !IsClientIdShape(*id)) return std::nullopt;
  return id;
}

std::string EncodeTaggedPageToken(std::string_view tag, std::string_view next_after) {
  return crypto::Base64UrlEncode(std::string(tag).append(next_after));
}

std::optional<std::string> DecodeTaggedPageToken(std::string_view tag, std::string_view token) {
  std::optional<std::string> plain = crypto::Base64UrlDecode(token);
  if (!plain || !plain->starts_with(tag) || plain->size() == tag.size()) return std::nullopt;
  return plain->substr(tag.size());
}

}  // namespace cognate::identity
