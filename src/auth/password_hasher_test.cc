#include "auth/password_hasher.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>
#include <vector>

namespace cognate::auth {
namespace {

using namespace std::string_literals;

// Libsodium's minimum costs keep these tests fast; one test below uses the real defaults.
PasswordHasher::Params Fast() { return {.ops_limit = 1, .mem_limit = 8 * 1024}; }

TEST(PasswordHasherTest, HashVerifiesOnlyTheSamePassword) {
  PasswordHasher hasher(Fast());
  std::string encoded = hasher.Hash("Correct horse 1!");
  EXPECT_TRUE(encoded.starts_with("$argon2id$v=19$m=8,t=1,p=1$")) << encoded;
  EXPECT_TRUE(hasher.Verify(encoded, "Correct horse 1!"));
  EXPECT_FALSE(hasher.Verify(encoded, "Correct horse 1"));
  EXPECT_FALSE(hasher.Verify(encoded, "correct horse 1!"));
  EXPECT_FALSE(hasher.Verify(encoded, ""));
}

TEST(PasswordHasherTest, SaltMakesEveryHashDifferent) {
  PasswordHasher hasher(Fast());
  std::string a = hasher.Hash("same password");
  std::string b = hasher.Hash("same password");
  EXPECT_NE(a, b);
  EXPECT_TRUE(hasher.Verify(a, "same password"));
  EXPECT_TRUE(hasher.Verify(b, "same password"));
}

TEST(PasswordHasherTest, PasswordBytesAreHashedExactly) {
  PasswordHasher hasher(Fast());
  std::string with_nul = "ab\0cd"s;
  std::string encoded = hasher.Hash(with_nul);
  EXPECT_TRUE(hasher.Verify(encoded, with_nul));
  EXPECT_FALSE(hasher.Verify(encoded, "ab"));
  std::string unicode = hasher.Hash("pässwörd😀");
  EXPECT_TRUE(hasher.Verify(unicode, "pässwörd😀"));
  EXPECT_FALSE(hasher.Verify(unicode, "passwort😀"));
}

TEST(PasswordHasherTest, MalformedEncodedHashesNeverVerify) {
  PasswordHasher hasher(Fast());
  std::string good = hasher.Hash("pw");
  EXPECT_FALSE(hasher.Verify("", "pw"));
  EXPECT_FALSE(hasher.Verify("pw", "pw"));
  EXPECT_FALSE(hasher.Verify("$argon2id$v=19$m=8,t=1,p=1$", "pw"));
  EXPECT_FALSE(hasher.Verify(good.substr(0, good.size() - 4), "pw"));
  EXPECT_FALSE(hasher.Verify(good + "\0"s, "pw"));
  EXPECT_FALSE(hasher.Verify(std::string(4096, '$'), "pw"));
}

TEST(PasswordHasherTest, ParamsBelowLibsodiumMinimumsAreRaised) {
  PasswordHasher hasher({.ops_limit = 0, .mem_limit = 0});
  EXPECT_EQ(hasher.params().ops_limit, crypto_pwhash_argon2id_OPSLIMIT_MIN);
  EXPECT_EQ(hasher.params().mem_limit, crypto_pwhash_argon2id_MEMLIMIT_MIN);
  EXPECT_TRUE(hasher.Verify(hasher.Hash("x"), "x"));
}

TEST(PasswordHasherTest, NeedsRehashWhenParametersOrAlgorithmDiffer) {
  PasswordHasher fast(Fast());
  PasswordHasher slower({.ops_limit = 2, .mem_limit = 16 * 1024});
  std::string encoded = fast.Hash("pw");
  EXPECT_FALSE(fast.NeedsRehash(encoded));
  EXPECT_TRUE(slower.NeedsRehash(encoded));
  EXPECT_TRUE(slower.Verify(encoded, "pw"));  // Old hashes keep working after an upgrade.
  EXPECT_TRUE(fast.NeedsRehash(""));
  EXPECT_TRUE(fast.NeedsRehash("not a hash"));

  // An Argon2i hash with the very same costs still needs re-hashing to Argon2id.
  PasswordHasher argon2i_costs({.ops_limit = 3, .mem_limit = 8 * 1024});
  char argon2i[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str_alg(argon2i, "pw", 2, 3, 8 * 1024, crypto_pwhash_ALG_ARGON2I13), 0);
  EXPECT_TRUE(argon2i_costs.Verify(argon2i, "pw"));
  EXPECT_TRUE(argon2i_costs.NeedsRehash(argon2i));
}

TEST(PasswordHasherTest, DefaultParamsHashAndVerify) {
  PasswordHasher hasher(PasswordHasher::Params{});
  std::string encoded = hasher.Hash("Default-cost password 1");
  EXPECT_TRUE(encoded.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << encoded;
  EXPECT_TRUE(hasher.Verify(encoded, "Default-cost password 1"));
  EXPECT_FALSE(hasher.Verify(encoded, "Default-cost password 2"));
  EXPECT_FALSE(hasher.NeedsRehash(encoded));
}

// A missing user costs what a wrong password costs: the dummy verification runs Argon2id over
// a hash made with exactly this hasher's parameters (checked structurally, not by timing).
TEST(PasswordHasherTest, DummyVerifyUsesTheHashersOwnParameters) {
  PasswordHasher hasher({.ops_limit = 3, .mem_limit = 2 * 1024 * 1024});
  const std::string& dummy = hasher.DummyHashForTest();
  EXPECT_TRUE(dummy.starts_with("$argon2id$"));
  EXPECT_FALSE(hasher.NeedsRehash(dummy));
  EXPECT_EQ(dummy.substr(0, dummy.rfind('$', dummy.rfind('$') - 1)),
            hasher.Hash("x").substr(0, dummy.rfind('$', dummy.rfind('$') - 1)));
  PasswordHasher other({.ops_limit = 4, .mem_limit = 2 * 1024 * 1024});
  EXPECT_TRUE(other.NeedsRehash(dummy));
}

}  // namespace
}  // namespace cognate::auth
