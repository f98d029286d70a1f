#pragma once
// App-client token lifetimes: the validity members of Create/UpdateUserPoolClient, checked in
// real time, and the lifetimes that follow from a stored client config.
//
// What is stored (and returned), following Cognito for clients created through the API:
// RefreshTokenValidity is always present (30 when omitted or 0, counted in the refresh unit, so
// 0 always means 30 days); AccessTokenValidity, IdTokenValidity and TokenValidityUnits appear
// only when the caller gave them. An absent unit means hours for the access and ID tokens and
// days for the refresh token; an absent access or ID validity means 60 minutes.

#include <boost/json/object.hpp>
#include <cstdint>

#include "common/result.h"

namespace cognate::identity {

struct TokenLifetimes {
  int64_t access_seconds = 60 * 60;
  int64_t id_seconds = 60 * 60;
  int64_t refresh_seconds = 30 * 24 * 60 * 60;
  int64_t auth_session_seconds = 3 * 60;  // AuthSessionValidity: challenge Session lifetime
};

// Checks the request's validity members (access and ID tokens 5 minutes to 1 day, refresh token
// 60 minutes to 3650 days) and writes the stored form into `config`.
Status ApplyTokenValidity(const boost::json::object& request, boost::json::object& config);

// Lifetimes of a client whose config was written by ApplyTokenValidity.
TokenLifetimes EffectiveTokenLifetimes(const boost::json::object& config);

}  // namespace cognate::identity
