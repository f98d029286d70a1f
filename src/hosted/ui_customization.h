#pragma once
// SetUICustomization and GetUICustomization: a pool's hosted-page CSS and logo, pool-wide
// (ClientId absent or "ALL") or for one app client. Takes the action's request JSON (already
// checked against the service model) and returns Cognito's response JSON or an Error.
//
// Set replaces the whole customization of its target: CSS and ImageFile the request leaves out
// are removed, and a request with neither deletes it (so a client falls back to the pool-wide
// one again). Get for a client without its own answers the pool-wide one (ClientId "ALL"),
// and with nothing set answers only UserPoolId and ClientId. ImageUrl points at
// "<public_url>/<pool>/ui/logo/<client|ALL>"; the hosted pages embed the logo themselves.
// Cognito also requires a domain on the pool; Cognate does not (it has no domains yet).
//
// Thread-safe: holds no mutable state; concurrent Sets of one target: the last one wins.

#include <boost/json/object.hpp>
#include <string>

#include "common/result.h"
#include "identity/user_directory.h"

namespace cognate::hosted {

class UiCustomizationService {
 public:
  UiCustomizationService(identity::UserDirectory& directory, std::string public_url);

  Result<boost::json::object> SetUICustomization(const boost::json::object& request);
  Result<boost::json::object> GetUICustomization(const boost::json::object& request);

 private:
  // The request's ClientId ("ALL" when absent), checked to be a client of the pool.
  Result<std::string> TargetName(const std::string& pool_id,
                                 const boost::json::object& request) const;

  identity::UserDirectory& directory_;
  std::string public_url_;
};

}  // namespace cognate::hosted
