// SrpServerSession::ParseTimestamp: the TIMESTAMP of PASSWORD_VERIFIER responses, rendered by
// amazon-cognito-identity-js DateHelper / Amplify as "EEE MMM d HH:mm:ss UTC yyyy".

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "auth/srp/srp_server.h"

namespace cognate::auth::srp {
namespace {

constexpr std::array<std::string_view, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Index of `name` in `names`, or nullopt.
template <std::size_t kSize>
std::optional<unsigned> IndexOf(const std::array<std::string_view, kSize>& names,
                                std::string_view name) {
  for (std::size_t i = 0; i < kSize; ++i) {
    if (names[i] == name) return static_cast<unsigned>(i);
  }
  return std::nullopt;
}

// Decimal digits only (no sign, no spaces), min_len..max_len of them.
std::optional<unsigned> ParseDigits(std::string_view text, std::size_t min_len,
                                    std::size_t max_len) {
  if (text.size() < min_len || text.size() > max_len) return std::nullopt;
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

// Splits off the text up to the next single space; false when there is none.
bool NextField(std::string_view& rest, std::string_view& field) {
  const std::size_t space = rest.find(' ');
  if (space == std::string_view::npos) return false;
  field = rest.substr(0, space);
  rest.remove_prefix(space + 1);
  return true;
}

}  // namespace

Result<int64_t> SrpServerSession::ParseTimestamp(std::string_view timestamp) {
  const Error bad = Error::InvalidParameter("TIMESTAMP is not in the expected format.");
  std::string_view rest = timestamp;
  std::string_view weekday_text, month_text, day_text, time_text, zone_text;
  if (!NextField(rest, weekday_text) || !NextField(rest, month_text) ||
      !NextField(rest, day_text) || !NextField(rest, time_text) || !NextField(rest, zone_text)) {
    return bad;
  }
  const std::optional<unsigned> weekday = IndexOf(kWeekdays, weekday_text);
  const std::optional<unsigned> month = IndexOf(kMonths, month_text);
  const std::optional<unsigned> day = ParseDigits(day_text, 1, 2);
  const std::optional<unsigned> year = ParseDigits(rest, 4, 4);
  if (!weekday || !month || !day || !year || zone_text != "UTC" || time_text.size() != 8 ||
      time_text[2] != ':' || time_text[5] != ':') {
    return bad;
  }
  const std::optional<unsigned> hours = ParseDigits(time_text.substr(0, 2), 2, 2);
  const std::optional<unsigned> minutes = ParseDigits(time_text.substr(3, 2), 2, 2);
  const std::optional<unsigned> seconds = ParseDigits(time_text.substr(6, 2), 2, 2);
  if (!hours || !minutes || !seconds || *hours > 23 || *minutes > 59 || *seconds > 59) {
    return bad;
  }

  using std::chrono::sys_days;
  const std::chrono::year_month_day date{std::chrono::year{static_cast<int>(*year)},
                                         std::chrono::month{*month + 1}, std::chrono::day{*day}};
  if (!date.ok()) return bad;
  const sys_days midnight{date};
  if (std::chrono::weekday{midnight}.c_encoding() != *weekday) return bad;
  return static_cast<int64_t>(midnight.time_since_epoch().count()) * 86400 +
         static_cast<int64_t>(*hours) * 3600 + static_cast<int64_t>(*minutes) * 60 +
         static_cast<int64_t>(*seconds);
}

}  // namespace cognate::auth::srp
