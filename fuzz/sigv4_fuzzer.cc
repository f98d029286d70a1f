// SigV4 on hostile headers: Authorization, X-Amz-Date, Host, x-amz-content-sha256, the target
// and the body all come from the input. Nothing the fuzzer makes may carry a valid signature.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "api/cognito/sigv4.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  cognate::http::Request request;
  request.method = "POST";
  request.target = in.ConsumeRandomLengthString(256);
  request.headers.emplace_back("Authorization", in.ConsumeRandomLengthString(1024));
  request.headers.emplace_back("X-Amz-Date", in.ConsumeRandomLengthString(32));
  request.headers.emplace_back("Host", in.ConsumeRandomLengthString(64));
  if (in.ConsumeBool()) {
    request.headers.emplace_back("x-amz-content-sha256", in.ConsumeRandomLengthString(80));
  }
  if (in.ConsumeBool()) request.headers.emplace_back("Date", in.ConsumeRandomLengthString(40));
  request.body = in.ConsumeRemainingBytesAsString();
  auto lookup = [](std::string_view id) -> std::optional<std::string> {
    if (id == "AKIDFUZZ") return std::string("secret");
    return std::nullopt;
  };
  auto verified = cognate::api::VerifySigV4(request, lookup, 1'700'000'000);
  if (verified.ok()) __builtin_trap();  // would be a forged signature accepted
  (void)cognate::api::sigv4_internal::CanonicalUri(request.Path());
  (void)cognate::api::sigv4_internal::CanonicalQuery(request.Query());
  return 0;
}
