#pragma once
// The "identities" user attribute Cognito keeps on federated and linked users: a JSON array,
// stored as a string, of
//   {"userId":"<upstream id>","providerName":"<P>","providerType":"<type>","issuer":null,
//    "primary":"true"|"false","dateCreated":"<epoch ms>"}
// "primary" is "true" on the federated user's own identity and "false" on identities linked to
// another user by AdminLinkProviderForUser.

#include <boost/json/array.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cognate::federation {

inline constexpr std::string_view kIdentitiesAttribute = "identities";

boost::json::object IdentityEntry(std::string_view user_id, std::string_view provider_name,
                                  std::string_view provider_type, bool primary,
                                  int64_t created_ms);

// The entries of a stored identities value ("" = none); InternalErrorException when malformed.
Result<boost::json::array> ParseIdentities(std::string_view value);

// Removes the entries of (provider_name, user_id); returns how many went.
std::size_t RemoveIdentity(boost::json::array& identities, std::string_view provider_name,
                           std::string_view user_id);

}  // namespace cognate::federation
