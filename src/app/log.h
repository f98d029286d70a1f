#pragma once
// JSON-lines logging to stdout: one object per line, safe to call from any thread. Callers pass
// only non-secret fields; there is deliberately no way to log a request body or header.

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace cognate::app {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Parses "debug", "info", "warn", "error"; false when unknown.
bool ParseLogLevel(std::string_view text, LogLevel& out);
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);
// Writes {"time":..., "level":..., "msg": msg, ...fields}.
void Log(LogLevel level, std::string_view msg, boost::json::object fields = {});

}  // namespace cognate::app
