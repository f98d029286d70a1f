// The cost floors of Cognate's hot paths, measured with the server's own primitives:
// one Argon2id hash (default server parameters), one RS256 signature, one RS256 verification,
// and the 3072-bit modular exponentiations of an SRP sign-in (cognito-wire.md §4.4).
// A password sign-in can be no faster than one hash; a token issue costs two signatures.
#include <benchmark/benchmark.h>
#include <openssl/bn.h>

#include <string>

#include "auth/password_hasher.h"
#include "auth/srp/srp_group.h"
#include "auth/srp/srp_server.h"
#include "auth/srp/srp_verifier.h"
#include "auth/srp_secret_block.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/kek.h"
#include "crypto/random.h"
#include "token/rsa_key.h"

namespace {

namespace srp = cognate::auth::srp;

void BM_Argon2idHash(benchmark::State& state) {
  cognate::auth::PasswordHasher hasher({});
  for (auto _ : state) benchmark::DoNotOptimize(hasher.Hash("Correct-Horse-9-Battery"));
}
BENCHMARK(BM_Argon2idHash)->Unit(benchmark::kMillisecond)->MinTime(2.0);
// The same with every core hashing at once, as a saturated server does: the hashes then share
// the memory bus and the last-level cache (19 MiB each), which one hash alone does not.
BENCHMARK(BM_Argon2idHash)->Name("BM_Argon2idHashAllCores")->Unit(benchmark::kMillisecond)
    ->MinTime(2.0)->ThreadPerCpu()->UseRealTime();

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

// --- SRP: the exponent sizes are those of srp_server.cc (b: 32 random bytes, flagged
// constant-time; u: a SHA-256 output); the client's a is 128 bytes as in the JS clients.

srp::BigNum RandomBigNum(std::size_t bytes) {
  std::string raw = cognate::crypto::RandomBytes(bytes);
  srp::BigNum n = srp::NewBigNum();
  BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(raw.size()),
            n.get());
  return n;
}

srp::BigNum GPow(const BIGNUM* exponent) {
  srp::BnCtx ctx = srp::NewBnCtx();
  srp::BigNum r = srp::NewBigNum();
  BN_mod_exp(r.get(), srp::GroupG(), exponent, srp::GroupN(), ctx.get());
  return r;
}

// A client's SRP_A (g^a with a fresh 1024-bit a) and a stored verifier, as the server sees them.
struct SrpInputs {
  srp::SrpVerifier verifier = srp::MakeVerifier("Bench12", "alice", "Correct-Horse-9-Battery");
  std::string a_hex = srp::ToHex(GPow(RandomBigNum(128).get()).get());
};

// B's exponentiation: g^b mod N (done at the challenge, and again when the answer resumes it).
void BM_SrpModExpGb(benchmark::State& state) {
  srp::BnCtx ctx = srp::NewBnCtx();
  srp::BigNum b = RandomBigNum(32);
  BN_set_flags(b.get(), BN_FLG_CONSTTIME);
  srp::BigNum r = srp::NewBigNum();
  for (auto _ : state) BN_mod_exp(r.get(), srp::GroupG(), b.get(), srp::GroupN(), ctx.get());
}
BENCHMARK(BM_SrpModExpGb)->Unit(benchmark::kMicrosecond);

// The two exponentiations of S = (A * v^u)^b mod N.
void BM_SrpModExpS(benchmark::State& state) {
  SrpInputs in;
  srp::BnCtx ctx = srp::NewBnCtx();
  srp::BigNum a_pub = srp::ParseHex(in.a_hex);
  srp::BigNum v = srp::ParseHex(in.verifier.verifier_hex);
  srp::BigNum u = RandomBigNum(32);
  srp::BigNum b = RandomBigNum(32);
  BN_set_flags(b.get(), BN_FLG_CONSTTIME);
  srp::BigNum v_u = srp::NewBigNum();
  srp::BigNum base = srp::NewBigNum();
  srp::BigNum s = srp::NewBigNum();
  for (auto _ : state) {
    BN_mod_exp(v_u.get(), v.get(), u.get(), srp::GroupN(), ctx.get());
    BN_mod_mul(base.get(), a_pub.get(), v_u.get(), srp::GroupN(), ctx.get());
    BN_mod_exp(s.get(), base.get(), b.get(), srp::GroupN(), ctx.get());
  }
}
BENCHMARK(BM_SrpModExpS)->Unit(benchmark::kMicrosecond);

// InitiateAuth's math: SrpServerSession::Start (parse A, k*v, g^b, B).
void BM_SrpChallengeMath(benchmark::State& state) {
  SrpInputs in;
  for (auto _ : state) {
    auto session = srp::SrpServerSession::Start(in.verifier, in.a_hex);
    if (!session.ok()) state.SkipWithError("Start failed");
    benchmark::DoNotOptimize(session);
  }
}
BENCHMARK(BM_SrpChallengeMath)->Unit(benchmark::kMicrosecond);

// v = g^x: the verifier made at password set, and the fake verifier srp_flow.cc derives on
// every challenge (for a known user too, before it opens the real one).
void BM_SrpFakeVerifier(benchmark::State& state) {
  cognate::crypto::KeyEncryptionKey kek(std::string(32, 'k'));
  for (auto _ : state) {
    benchmark::DoNotOptimize(cognate::auth::FakeVerifier(kek, "us-east-1_Bench12", "alice"));
  }
}
BENCHMARK(BM_SrpFakeVerifier)->Unit(benchmark::kMicrosecond);

// RespondToAuthChallenge's math as srp_answer.cc does it: Resume (which recomputes B = k*v + g^b)
// and VerifyClaim (u, S, HKDF, HMAC) on a valid claim.
void BM_SrpAnswerMath(benchmark::State& state) {
  SrpInputs in;
  auto started = srp::SrpServerSession::Start(in.verifier, in.a_hex);
  const std::string b_hex = started->private_b_hex();
  const std::string block_bytes(1200, 'z');  // about a real SECRET_BLOCK
  const std::string block = cognate::crypto::Base64Encode(block_bytes);
  const std::string timestamp = "Tue Mar 5 09:03:07 UTC 2024";
  const std::string signature = cognate::crypto::Base64Encode(cognate::crypto::HmacSha256(
      started->DeriveKeyMaterial()->key, "Bench12alice" + block_bytes + timestamp));
  for (auto _ : state) {
    auto session = srp::SrpServerSession::Resume(in.verifier, in.a_hex, b_hex);
    auto valid = session->VerifyClaim("Bench12", "alice", block, timestamp, signature);
    if (!valid.ok() || !*valid) state.SkipWithError("the claim did not verify");
  }
}
BENCHMARK(BM_SrpAnswerMath)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
