// SignInService: the MFA_SETUP challenge and TOTP set-up inside it.

#include "auth/sign_in_service.h"

namespace cognate::auth {
namespace json = boost::json;

Result<json::object> SignInService::AssociateSoftwareTokenInSession(const json::object&) {
  return InvalidSession();
}

Result<json::object> SignInService::VerifySoftwareTokenInSession(const json::object&) {
  return InvalidSession();
}

}  // namespace cognate::auth
