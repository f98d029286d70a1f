#include "api/cognito/dispatcher.h"

#include <memory>
#include <tuple>

#include <boost/json.hpp>

#include "api/cognito/service_model.h"
#include "common/request_meta.h"

namespace cognate::api {
namespace {

constexpr std::string_view kTargetPrefix = "AWSCognitoIdentityProviderService.";
constexpr std::size_t kMaxActionName = 64;
constexpr std::string_view kJsonContentType = "application/x-amz-json-1.1";

Error UnknownOperation() {
  return Error::Make("UnknownOperationException",
                     "The requested operation is not recognized or not supported.");
}

Result<boost::json::value> ParseBody(const std::string& body) {
  if (body.empty()) return boost::json::value(boost::json::object{});
  boost::json::parse_options options;
  options.max_depth = 64;  // Hostile nesting fails fast instead of exhausting the stack.
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec, {}, options);
  if (ec) return Error::Serialization("Request body is not valid JSON.");
  return value;
}

std::string PoolIdOf(const boost::json::object& body) {
  if (auto* v = body.if_contains("UserPoolId"); v && v->is_string())
    return std::string(v->as_string());
  return {};
}

}  // namespace

CognitoDispatcher::CognitoDispatcher(AccessKeyAuthorizer& authorizer, const Clock& clock,
                                     WorkerPool* workers)
    : authorizer_(authorizer), clock_(clock), workers_(workers) {}

void CognitoDispatcher::Register(std::string action, Action fn, Execution execution) {
  actions_[std::move(action)] = Entry{std::move(fn), execution, {}};
}

void CognitoDispatcher::Register(std::string action, Action fn, InlineWhen runs_inline) {
  actions_[std::move(action)] = Entry{std::move(fn), Execution::kWorker, std::move(runs_inline)};
}

http::Response CognitoDispatcher::ErrorResponse(const Error& error) {
  http::Response r;
  r.status = error.http_status;
  r.Set("Content-Type", std::string(kJsonContentType));
  r.Set("x-amzn-ErrorType", error.type);
  boost::json::object body;
  body["__type"] = error.type;
  body["message"] = error.message;
  r.body = boost::json::serialize(body);
  r.log_error = error.type;
  return r;
}

http::Response CognitoDispatcher::Finish(Result<boost::json::object> result, std::string action) {
  http::Response response;
  if (result.ok()) {
    response.status = 200;
    response.Set("Content-Type", std::string(kJsonContentType));
    response.body = boost::json::serialize(*result);
  } else {
    response = ErrorResponse(result.error());
  }
  response.log_action = std::move(action);
  return response;
}

Result<boost::json::object> CognitoDispatcher::Invoke(const Prepared& p,
                                                      const http::Request& request,
                                                      const std::string& action) {
  CallContext ctx{request, action, p.caller ? &*p.caller : nullptr};
  const RequestMeta meta{request.remote_addr, std::string(request.Header("User-Agent"))};
  ScopedRequestMeta current(meta);
  return p.entry->fn(p.body.as_object(), ctx);
}

http::Response CognitoDispatcher::Handle(const http::Request& request) const {
  std::string action;
  auto prepared = Prepare(request, action);
  if (!prepared.ok()) return Finish(std::move(prepared).error(), std::move(action));
  return Finish(Invoke(*prepared, request, action), std::move(action));
}

void CognitoDispatcher::HandleAsync(http::Request request,
                                    std::function<void(http::Response)> done) const {
  std::string action;
  auto prepared = Prepare(request, action);
  if (!prepared.ok()) return done(Finish(std::move(prepared).error(), std::move(action)));
  const Entry& entry = *prepared->entry;
  if (entry.execution == Execution::kInline || workers_ == nullptr ||
      (entry.runs_inline && entry.runs_inline(prepared->body.as_object())))
    return done(Finish(Invoke(*prepared, request, action), std::move(action)));
  auto job = std::make_shared<std::tuple<Prepared, http::Request, std::string,
                                         std::function<void(http::Response)>>>(
      std::move(*prepared), std::move(request), action, std::move(done));
  bool queued = workers_->TrySubmit([job] {
    auto& [p, req, name, finish] = *job;
    finish(Finish(Invoke(p, req, name), name));
  });
  if (!queued) {
    auto& finish = std::get<3>(*job);
    finish(Finish(Error::TooManyRequests("Too many requests are waiting; retry later."),
                  std::move(action)));
  }
}

Result<CognitoDispatcher::Prepared> CognitoDispatcher::Prepare(const http::Request& request,
                                                               std::string& action_out) const {
  std::string_view target = request.Header("X-Amz-Target");
  if (!target.starts_with(kTargetPrefix)) return UnknownOperation();
  std::string_view name = target.substr(kTargetPrefix.size());
  if (name.empty() || name.size() > kMaxActionName) return UnknownOperation();
  action_out = std::string(name);
  const OperationInfo* op = ServiceModel::Get().FindOperation(action_out);
  auto it = actions_.find(action_out);
  if (op == nullptr || it == actions_.end()) return UnknownOperation();

  Prepared p;
  p.entry = &it->second;
  if (throttler_ != nullptr) COGNATE_RETURN_IF_ERROR(throttler_->AdmitSource(request.remote_addr));
  // Authenticate before reading the body, as AWS's front door does.
  if (!op->no_auth) {
    auto who = authorizer_.Authenticate(request);
    if (!who.ok()) return std::move(who).error();
    p.caller = std::move(*who);
  }
  auto parsed = ParseBody(request.body);
  if (!parsed.ok()) return std::move(parsed).error();
  if (!parsed->is_object()) return Error::Serialization("Request body must be a JSON object.");
  COGNATE_RETURN_IF_ERROR(ServiceModel::Get().ValidateInput(*op, *parsed));
  if (p.caller)
    COGNATE_RETURN_IF_ERROR(
        AccessKeyAuthorizer::Authorize(*p.caller, action_out, PoolIdOf(parsed->as_object())));
  if (throttler_ != nullptr) {
    COGNATE_RETURN_IF_ERROR(throttler_->AdmitCall(action_out, parsed->as_object()));
  }
  p.body = std::move(*parsed);
  return p;
}

}  // namespace cognate::api
