#include "identity/auth_event_service.h"

#include <boost/json/array.hpp>
#include <utility>

#include "identity/json_fields.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

// MaxResults 0 or absent: Cognito's page of 60.
constexpr int64_t kDefaultPage = 60;

Error EventNotFound() { return Error::NotFound("Auth event not found."); }

}  // namespace

AuthEventService::AuthEventService(UserDirectory& directory, events::AuthEventLog& log)
    : directory_(directory), log_(log) {}

Result<json::object> AuthEventService::AdminListUserAuthEvents(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  auto user = directory_.Require(*pool, GetString(request, "Username").value_or(""));
  if (!user.ok()) return std::move(user).error();
  int64_t max = GetInt(request, "MaxResults").value_or(0);
  if (max <= 0) max = kDefaultPage;
  auto page = log_.List(pool->id(), user->username_key,
                        GetString(request, "NextToken").value_or(""), static_cast<int>(max));
  if (!page.ok()) return std::move(page).error();
  json::array events;
  for (const store::AuthEventRecord& event : page->events)
    events.push_back(log_.ToAuthEventType(event));
  json::object out{{"AuthEvents", std::move(events)}};
  if (!page->next_token.empty()) out["NextToken"] = page->next_token;
  return out;
}

Result<json::object> AuthEventService::AdminUpdateAuthEventFeedback(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  auto user = directory_.Require(*pool, GetString(request, "Username").value_or(""));
  if (!user.ok()) return std::move(user).error();
  return SetFeedback(*pool, *user, request, "Admin");
}

Result<json::object> AuthEventService::UpdateAuthEventFeedback(const json::object& request) {
  auto pool = directory_.LoadPool(GetString(request, "UserPoolId").value_or(""));
  if (!pool.ok()) return std::move(pool).error();
  auto user = directory_.Require(*pool, GetString(request, "Username").value_or(""));
  if (!user.ok()) return std::move(user).error();
  const std::string event_id = GetString(request, "EventId").value_or("");
  // The token is checked before the event is looked up: without it, nobody learns which
  // event ids exist.
  if (!log_.FeedbackTokenMatches(pool->id(), user->username_key, event_id,
                                 GetString(request, "FeedbackToken").value_or(""))) {
    return Error::NotAuthorized("Invalid feedback token.");
  }
  // AWS names the provider of a user's own feedback "Cognito".
  return SetFeedback(*pool, *user, request, "Cognito");
}

Result<json::object> AuthEventService::SetFeedback(const PoolContext& pool,
                                                   const store::UserRecord& user,
                                                   const json::object& request,
                                                   std::string_view provider) {
  const std::string value = GetString(request, "FeedbackValue").value_or("");
  if (value != "Valid" && value != "Invalid")
    return Error::InvalidParameter("FeedbackValue must be Valid or Invalid.");
  auto set = log_.SetFeedback(pool.id(), user.username_key,
                              GetString(request, "EventId").value_or(""), value, provider);
  if (!set.ok()) return std::move(set).error();
  if (!*set) return EventNotFound();
  return json::object();
}

}  // namespace cognate::identity
