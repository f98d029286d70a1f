#include "identity/token_validity.h"

#include <optional>
#include <string>
#include <string_view>

#include "identity/json_fields.h"

namespace cognate::identity {

namespace json = boost::json;

namespace {

constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kDefaultRefreshDays = 30;

int64_t UnitSeconds(std::string_view unit) {
  if (unit == "seconds") return 1;
  if (unit == "minutes") return kMinute;
  if (unit == "days") return kDay;
  return kHour;
}

// Seconds per unit of the token `kind` ("AccessToken", "IdToken", "RefreshToken").
int64_t UnitOf(const json::object* units, std::string_view kind) {
  std::optional<std::string> unit = units ? GetString(*units, kind) : std::nullopt;
  if (unit) return UnitSeconds(*unit);
  return kind == "RefreshToken" ? kDay : kHour;
}

Status CheckRange(std::optional<int64_t> value, int64_t unit_seconds, int64_t min_seconds,
                  int64_t max_seconds, std::string_view message) {
  if (!value) return OkStatus();
  int64_t seconds = *value * unit_seconds;
  if (seconds < min_seconds || seconds > max_seconds) {
    return Error::InvalidParameter(std::string(message));
  }
  return OkStatus();
}

}  // namespace

Status ApplyTokenValidity(const json::object& request, json::object& config) {
  const json::object* units = GetObject(request, "TokenValidityUnits");
  std::optional<int64_t> access = GetInt(request, "AccessTokenValidity");
  std::optional<int64_t> id = GetInt(request, "IdTokenValidity");
  std::optional<int64_t> refresh = GetInt(request, "RefreshTokenValidity");
  if (refresh == 0) refresh.reset();  // 0 asks for the default
  COGNATE_RETURN_IF_ERROR(CheckRange(access, UnitOf(units, "AccessToken"), 5 * kMinute, kDay,
                                     "Access token validity must be between 5 minutes and 1 day."));
  COGNATE_RETURN_IF_ERROR(CheckRange(id, UnitOf(units, "IdToken"), 5 * kMinute, kDay,
                                     "Id token validity must be between 5 minutes and 1 day."));
  int64_t refresh_unit = UnitOf(units, "RefreshToken");
  COGNATE_RETURN_IF_ERROR(
      CheckRange(refresh, refresh_unit, kHour, 3650 * kDay,
                 "Refresh token validity must be between 60 minutes and 3650 days."));
  // The default is 30 days in real time, expressed in whatever unit the caller chose.
  config["RefreshTokenValidity"] = refresh.value_or(kDefaultRefreshDays * kDay / refresh_unit);
  if (access) config["AccessTokenValidity"] = *access;
  if (id) config["IdTokenValidity"] = *id;
  if (units) config["TokenValidityUnits"] = *units;
  return OkStatus();
}

TokenLifetimes EffectiveTokenLifetimes(const json::object& config) {
  const json::object* units = GetObject(config, "TokenValidityUnits");
  TokenLifetimes lifetimes;
  if (std::optional<int64_t> v = GetInt(config, "AccessTokenValidity")) {
    lifetimes.access_seconds = *v * UnitOf(units, "AccessToken");
  }
  if (std::optional<int64_t> v = GetInt(config, "IdTokenValidity")) {
    lifetimes.id_seconds = *v * UnitOf(units, "IdToken");
  }
  if (std::optional<int64_t> v = GetInt(config, "RefreshTokenValidity"); v && *v > 0) {
    lifetimes.refresh_seconds = *v * UnitOf(units, "RefreshToken");
  }
  if (std::optional<int64_t> v = GetInt(config, "AuthSessionValidity")) {
    lifetimes.auth_session_seconds = *v * kMinute;
  }
  return lifetimes;
}

}  // namespace cognate::identity
