#pragma once
// Helpers shared by the service model tests.

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "api/cognito/service_model.h"

namespace cognate::api::model_test {

inline constexpr char kInvalid[] = "InvalidParameterException: ";
inline constexpr char kOneError[] = "InvalidParameterException: 1 validation error detected: ";
inline constexpr char kSerialization[] = "SerializationException: ";

// "OK" or "<type>: <message>", so failures print the whole outcome.
inline std::string Outcome(const Status& s) {
  return s.ok() ? "OK" : s.error().type + ": " + s.error().message;
}

inline std::string CheckValue(std::string_view op, const boost::json::value& body) {
  const ServiceModel& model = ServiceModel::Get();
  const OperationInfo* info = model.FindOperation(op);
  if (info == nullptr) return "no such operation";
  return Outcome(model.ValidateInput(*info, body));
}

inline std::string Check(std::string_view op, std::string_view body) {
  return CheckValue(op, boost::json::parse(body));
}

}  // namespace cognate::api::model_test
