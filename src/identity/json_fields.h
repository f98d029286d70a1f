#pragma once
// Small non-throwing accessors for the request objects the identity services read. Requests have
// already been checked against the service model, so a member of the wrong JSON type is treated
// as absent rather than reported.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cognate::identity {

const boost::json::object* GetObject(const boost::json::object& o, std::string_view key);
const boost::json::array* GetArray(const boost::json::object& o, std::string_view key);
std::optional<std::string> GetString(const boost::json::object& o, std::string_view key);
std::optional<bool> GetBool(const boost::json::object& o, std::string_view key);
std::optional<int64_t> GetInt(const boost::json::object& o, std::string_view key);

// True when `a` holds the string `s`.
bool Contains(const boost::json::array& a, std::string_view s);

// Copies `key` from `from` into `to` when present.
void CopyIfPresent(const boost::json::object& from, boost::json::object& to, std::string_view key);

// A stored epoch-milliseconds time as the wire's epoch seconds (a JSON number with a fraction).
boost::json::value EpochSeconds(int64_t ms);

// Parses a stored config_json; InternalErrorException when it is not a JSON object.
Result<boost::json::object> ParseStoredObject(std::string_view text);

}  // namespace cognate::identity
