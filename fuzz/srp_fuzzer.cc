// SRP inputs from a client: SRP_A, the claim (secret block, TIMESTAMP, signature) against a
// fixed verifier, and a SECRET_BLOCK opened with the key-encryption key as the server does.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "auth/srp/srp_server.h"
#include "auth/srp/srp_verifier.h"
#include "crypto/kek.h"

using cognate::auth::srp::SrpServerSession;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto verifier =
      cognate::auth::srp::MakeVerifier("Pool", "user-id", "Passw0rd!");
  static const cognate::crypto::KeyEncryptionKey kek(std::string(32, 'k'));
  FuzzedDataProvider in(data, size);
  const std::string srp_a = in.ConsumeRandomLengthString(1100);
  const std::string block = in.ConsumeRandomLengthString(2048);
  const std::string stamp = in.ConsumeRandomLengthString(64);
  const std::string signature = in.ConsumeRandomLengthString(128);
  (void)SrpServerSession::ParseTimestamp(stamp);
  (void)kek.Open(block, "srp-secret-block");
  auto session = SrpServerSession::Start(verifier, srp_a);
  if (session.ok()) {
    auto proved = session->VerifyClaim("Pool", "user-id", block, stamp, signature);
    if (proved.ok() && *proved) __builtin_trap();  // a claim without the password accepted
  }
  return 0;
}
