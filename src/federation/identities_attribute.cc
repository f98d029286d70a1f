#include "federation/identities_attribute.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace cognate::federation {
namespace json = boost::json;

json::object IdentityEntry(std::string_view user_id, std::string_view provider_name,
                           std::string_view provider_type, bool primary, int64_t created_ms) {
  return json::object{{"userId", user_id},
                      {"providerName", provider_name},
                      {"providerType", provider_type},
                      {"issuer", nullptr},
                      {"primary", primary ? "true" : "false"},
                      {"dateCreated", std::to_string(created_ms)}};
}

Result<json::array> ParseIdentities(std::string_view value) {
  if (value.empty()) return json::array();
  boost::system::error_code ec;
  json::value parsed = json::parse(value, ec);
  if (ec || !parsed.is_array()) return Error::Internal("Malformed identities attribute.");
  return std::move(parsed.get_array());
}

std::size_t RemoveIdentity(json::array& identities, std::string_view provider_name,
                           std::string_view user_id) {
  std::size_t removed = 0;
  for (auto it = identities.begin(); it != identities.end();) {
    const json::object* o = it->if_object();
    bool match = o != nullptr && o->if_contains("providerName") &&
                 o->at("providerName").is_string() &&
                 o->at("providerName").get_string() == provider_name && o->if_contains("userId") &&
                 o->at("userId").is_string() && o->at("userId").get_string() == user_id;
    if (match) {
      it = identities.erase(it);
      ++removed;
    } else {
      ++it;
    }
  }
  return removed;
}

}  // namespace cognate::federation
