#pragma once
// Pieces of the Lambda trigger events (cognito-wire.md §7) that identity services build the
// same way for every trigger: the user's attributes as Cognito shows them to a function, and the
// request's ClientMetadata.

#include <boost/json/object.hpp>

#include "common/result.h"
#include "store/user_records.h"

namespace cognate::identity {

// The event's request.userAttributes for a stored user: its attributes (strings, Cognate's
// reserved keys left out), "sub", and "cognito:user_status" (the status as stored), as
// Cognito sends them to PostConfirmation and CustomMessage functions.
Result<boost::json::object> TriggerUserAttributes(const store::UserRecord& user);

// The request's ClientMetadata (string values only; the model already bounds the map), or an
// empty object.
boost::json::object ClientMetadataOf(const boost::json::object& request);

// `request` with "clientMetadata" added when `metadata` is not empty (Cognito leaves the
// member out when the call had none).
void AddClientMetadata(boost::json::object& request, const boost::json::object& metadata);

}  // namespace cognate::identity
