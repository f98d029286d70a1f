// An untrusted bearer token: the strict JWT parse, then RS256 verification of what it parsed
// with a fixed key (a forged token must never verify).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "token/jwt.h"
#include "token/rsa_key.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const cognate::token::RsaKey key = cognate::token::RsaKey::Generate(2048);
  std::string_view token(reinterpret_cast<const char*>(data), size);
  auto jwt = cognate::token::ParseJwt(token);
  if (!jwt.ok()) return 0;
  if (jwt->kid.empty() || jwt->signing_input.size() > token.size()) __builtin_trap();
  if (key.VerifyRs256(jwt->signing_input, jwt->signature)) __builtin_trap();
  return 0;
}
