#include "api/cognito/ui_actions.h"

#include <memory>
#include <utility>

#include "hosted/ui_customization.h"

namespace cognate::api {

void RegisterUiCustomizationActions(CognitoDispatcher& d, identity::UserDirectory& directory,
                                    std::string public_url) {
  auto service =
      std::make_shared<hosted::UiCustomizationService>(directory, std::move(public_url));
  // Set waits on fsync, so it runs on the worker pool.
  d.Register(
      "SetUICustomization",
      [service](const boost::json::object& body, const CallContext&) {
        return service->SetUICustomization(body);
      },
      Execution::kWorker);
  d.Register(
      "GetUICustomization",
      [service](const boost::json::object& body, const CallContext&) {
        return service->GetUICustomization(body);
      },
      Execution::kInline);
}

}  // namespace cognate::api
