#pragma once
// The auth-event actions (events/auth_event_log.h): AdminListUserAuthEvents,
// AdminUpdateAuthEventFeedback (SigV4) and UpdateAuthEventFeedback (public: the event's
// feedback token stands for the caller). Like the other services, each takes the request JSON
// (checked against the service model) and returns Cognito's response shape or its error:
//   unknown pool        ResourceNotFoundException
//   unknown user        UserNotFoundException "User does not exist."
//   unknown event       ResourceNotFoundException "Auth event not found."
//   wrong token         NotAuthorizedException "Invalid feedback token." (UpdateAuthEventFeedback)
// Cognito answers UserPoolAddOnNotEnabledException without threat protection; Cognate records
// and serves events for every pool. Thread-safe: no mutable state.

#include <boost/json/object.hpp>

#include "common/result.h"
#include "events/auth_event_log.h"
#include "identity/user_directory.h"

namespace cognate::identity {

class AuthEventService {
 public:
  // Both must outlive the service.
  AuthEventService(UserDirectory& directory, events::AuthEventLog& log);

  Result<boost::json::object> AdminListUserAuthEvents(const boost::json::object& request);
  Result<boost::json::object> AdminUpdateAuthEventFeedback(const boost::json::object& request);
  Result<boost::json::object> UpdateAuthEventFeedback(const boost::json::object& request);

 private:
  // Stores the feedback of the request's EventId for `user` with `provider`.
  Result<boost::json::object> SetFeedback(const PoolContext& pool, const store::UserRecord& user,
                                          const boost::json::object& request,
                                          std::string_view provider);

  UserDirectory& directory_;
  events::AuthEventLog& log_;
};

}  // namespace cognate::identity
