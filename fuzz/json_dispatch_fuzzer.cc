// A request body for an operation the first bytes choose (unauthenticated operations, so the
// body reaches the JSON parser and the model validator without a signature).

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "front_door.h"

namespace {

constexpr const char* kOperations[] = {
    "SignUp",           "InitiateAuth",          "RespondToAuthChallenge", "ConfirmSignUp",
    "ForgotPassword",   "ConfirmForgotPassword", "GetUser",                "UpdateUserAttributes",
    "ChangePassword",   "RevokeToken",           "GlobalSignOut",          "AssociateSoftwareToken",
    "SetUserMFAPreference", "GetTokensFromRefreshToken", "ResendConfirmationCode",
    "UpdateAuthEventFeedback", "CreateUserPool",  "AdminCreateUser",       "NoSuchOperation"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const char* op = in.PickValueInArray(kOperations);
  cognate::http::Request request;
  request.method = "POST";
  request.target = "/";
  request.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", std::string("AWSCognitoIdentityProviderService.") + op}};
  request.body = in.ConsumeRemainingBytesAsString();
  request.remote_addr = "127.0.0.1";
  cognate::http::Response response = cognate::fuzz::TheFrontDoor().dispatcher->Handle(request);
  // Every answer is JSON with a status AWS would give; a 5xx means a crash-like bug.
  if (response.status >= 500) __builtin_trap();
  return 0;
}
