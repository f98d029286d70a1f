#pragma once
// Binds actions to member functions of a domain service that take the request body and need no
// call context: the common shape of the Register*Actions functions.

#include <boost/json/object.hpp>
#include <initializer_list>
#include <utility>

#include "api/cognito/dispatcher.h"
#include "common/result.h"

namespace cognate::api {

template <class Service>
using ServiceMethod = Result<boost::json::object> (Service::*)(const boost::json::object&);

// Registers each (action name, method) pair to run with `execution` (by default on the
// workers, as store-bound actions do).
template <class Service>
void RegisterMethods(CognitoDispatcher& dispatcher, Service& service,
                     std::initializer_list<std::pair<const char*, ServiceMethod<Service>>> methods,
                     Execution execution = Execution::kWorker) {
  for (const auto& [name, method] : methods) {
    dispatcher.Register(
        name,
        [&service, method](const boost::json::object& body, const CallContext&) {
          return (service.*method)(body);
        },
        execution);
  }
}

}  // namespace cognate::api
