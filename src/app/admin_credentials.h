#pragma once
// The bootstrap admin access key: from the environment when both variables are set, else from
// DATA/admin-credentials, else generated on first start and written there (mode 0600).

#include <string>

#include "api/cognito/access_keys.h"

namespace cognate::app {

struct AdminCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  bool generated = false;  // True only on the start that created it (print it then).
  std::string source;      // "environment", "file" or "generated"
};

// Throws std::runtime_error on malformed environment values or an unreadable file (start-up).
AdminCredentials EnsureAdminCredentials(const std::string& data_dir,
                                        const api::AccessKeyAuthorizer& authorizer);

}  // namespace cognate::app
