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

// Like ParseStoredObject, for the config_json of the pool or client `id`, but shared rather
// than copied: identical text gives the same object. Thread-safe.
Result<std::shared_ptr<const boost::json::object>> SharedStoredConfig(const std::string& id,
                                                                      std::string_view text);

}  // namespace cognate::identity
