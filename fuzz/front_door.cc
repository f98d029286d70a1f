#include "front_door.h"

#include <boost/json.hpp>

namespace cognate::model {
extern const std::string_view kServiceModelJson;
}  // namespace cognate::model

namespace cognate::fuzz {

FrontDoor::FrontDoor() {
  authorizer = std::make_unique<api::AccessKeyAuthorizer>(keys, kek, clock);
  (void)authorizer->PutKey(kAccessKeyId, kSecret, api::AccessKeyPolicy::Admin(), "fuzz");
  dispatcher = std::make_unique<api::CognitoDispatcher>(*authorizer, clock);
  // Every operation of the model, so validation runs for whichever target the input names.
  const auto model = boost::json::parse(model::kServiceModelJson).as_object();
  for (const auto& [name, op] : model.at("operations").as_object()) {
    dispatcher->Register(std::string(name), [](const boost::json::object&, const api::CallContext&)
                                                -> Result<boost::json::object> {
      return boost::json::object{};
    });
  }
}

FrontDoor& TheFrontDoor() {
  static FrontDoor door;
  return door;
}

}  // namespace cognate::fuzz
