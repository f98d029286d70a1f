#include "identity/json_fields.h"

#include <boost/json/parse.hpp>

namespace cognate::identity {

namespace json = boost::json;

const json::object* GetObject(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

const json::array* GetArray(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

std::optional<std::string> GetString(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

std::optional<bool> GetBool(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_bool()) return std::nullopt;
  return v->get_bool();
}

std::optional<int64_t> GetInt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  boost::system::error_code ec;
  int64_t n = v->to_number<int64_t>(ec);
  if (ec) return std::nullopt;
  return n;
}

bool Contains(const json::array& a, std::string_view s) {
  for (const json::value& v : a) {
    if (v.is_string() && v.get_string() == s) return true;
  }
  return false;
}

void CopyIfPresent(const json::object& from, json::object& to, std::string_view key) {
  if (const json::value* v = from.if_contains(key)) to[key] = *v;
}

json::value EpochSeconds(int64_t ms) {
  // Whole seconds stay integral on the wire; clients parse either form.
  if (ms % 1000 == 0) return json::value(ms / 1000);
  return json::value(static_cast<double>(ms) / 1000.0);
}

Result<json::object> ParseStoredObject(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Error::Internal("Stored configuration is not a JSON object.");
  return std::move(v.get_object());
}

}  // namespace cognate::identity
