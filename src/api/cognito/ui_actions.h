#pragma once
// Binds SetUICustomization and GetUICustomization (hosted/ui_customization.h).

#include <string>

#include "api/cognito/dispatcher.h"
#include "identity/user_directory.h"

namespace cognate::api {

// The service is owned by the registered actions. `public_url` is the base of the logo URLs
// GetUICustomization answers.
void RegisterUiCustomizationActions(CognitoDispatcher& dispatcher,
                                    identity::UserDirectory& directory, std::string public_url);

}  // namespace cognate::api
