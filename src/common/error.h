#pragma once
// The one error vocabulary of Cognate: an error carries the Cognito wire type that names it
// (the stable identifier every client keys on), a human message and the HTTP status to answer
// with. Domain and store code build errors with the named constructors below; the protocol
// edge (api/) only serialises them.

#include <string>
#include <utility>

namespace cognate {

struct Error {
  std::string type;     // Cognito `__type`, e.g. "ResourceNotFoundException".
  std::string message;  // Safe to show to the caller: never contains a secret.
  int http_status = 400;

  static Error Make(std::string type, std::string message, int status = 400) {
    return Error{std::move(type), std::move(message), status};
  }
  static Error InvalidParameter(std::string message) {
    return Make("InvalidParameterException", std::move(message));
  }
  static Error NotFound(std::string message) {
    return Make("ResourceNotFoundException", std::move(message));
  }
  static Error NotAuthorized(std::string message) {
    return Make("NotAuthorizedException", std::move(message));
  }
  static Error LimitExceeded(std::string message) {
    return Make("LimitExceededException", std::move(message));
  }
  // An optimistic update lost a race with another writer; the caller may re-read and retry.
  static Error ConcurrentModification() {
    return Make("ConcurrentModificationException",
                "The resource was modified by another request at the same time; try again.");
  }
  static Error TooManyRequests(std::string message) {
    return Make("TooManyRequestsException", std::move(message), 429);
  }
  static Error Internal(std::string message = "Internal server error.") {
    return Make("InternalErrorException", std::move(message), 500);
  }
  // Errors found before dispatch, outside the Cognito model (AWS front-door errors).
  static Error Serialization(std::string message) {
    return Make("SerializationException", std::move(message));
  }

  bool Is(std::string_view t) const { return type == t; }
};

}  // namespace cognate
