// The cost floors of Cognate's hot paths, measured with the server's own primitives:
// one Argon2id hash (default server parameters), one RS256 signature, one RS256 verification.
// A password sign-in can be no faster than one hash; a token issue costs two signatures.
#include <benchmark/benchmark.h>

#include "auth/password_hasher.h"
#include "token/rsa_key.h"

namespace {

void BM_Argon2idHash(benchmark::State& state) {
  cognate::auth::PasswordHasher hasher({});
  for (auto _ : state) benchmark::DoNotOptimize(hasher.Hash("Correct-Horse-9-Battery"));
}
BENCHMARK(BM_Argon2idHash)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_Rs256Sign(benchmark::State& state) {
  auto key = cognate::token::RsaKey::Generate(2048);
  std::string input(600, 'x');  // about a JWT's header and claims
  for (auto _ : state) benchmark::DoNotOptimize(key.SignRs256(input));
}
BENCHMARK(BM_Rs256Sign)->Unit(benchmark::kMicrosecond);

void BM_Rs256Verify(benchmark::State& state) {
  auto key = cognate::token::RsaKey::Generate(2048);
  std::string input(600, 'x');
  std::string signature = key.SignRs256(input);
  for (auto _ : state) benchmark::DoNotOptimize(key.VerifyRs256(input, signature));
}
BENCHMARK(BM_Rs256Verify)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
