#pragma once
// Parsed settings (config_json) of pools and app clients, reused while the stored text stays the
// same. Nearly every request reads its pool's and its client's settings, and parsing a pool's
// (a few KB of JSON with its schema) cost more than the rest of a GetUser.

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cognate::identity {

// Like ParseStoredObject, for the config_json of the pool or client `id`. Thread-safe.
Result<boost::json::object> ParseStoredConfig(const std::string& id, std::string_view text);

// The same parsed settings, shared rather than copied (null when `text` is not a JSON object),
// for hot paths that only read them.
std::shared_ptr<const boost::json::object> SharedStoredConfig(const std::string& id,
                                                              std::string_view text);

}  // namespace cognate::identity
