#include <gtest/gtest.h>

#include <string>

#include "auth/srp/srp_group.h"
#include "auth/srp/srp_server.h"
#include "auth/srp/srp_verifier.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cognate::auth::srp {
namespace {

// cognito-wire.md §4.6 / Appendix A (verified there against amazon-cognito-identity-js 6.3.21).
constexpr char kPool[] = "ExAmPlE12";
constexpr char kUser[] = "alice";
constexpr char kPassword[] = "Passw0rd!";
constexpr char kSalt[] = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
constexpr char kSmallA[] = "1111111111111111111111111111111111111111111111111111111111111111";
constexpr char kSmallB[] = "2222222222222222222222222222222222222222222222222222222222222222";
constexpr char kK[] = "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6";
constexpr char kX[] = "ed5056ffbbb83c4c8e4a1d458964832ddc38fbd9da6502b10bde6b78361dbde6";
constexpr char kU[] = "b3dcd7bc15a3653be3f9fbf0aae5c8ada739bc75e9d62d9e17d80711f92b0e65";
constexpr char kKey[] = "c6b76fb2282cca5bb7c2176da0fe5b6f";
constexpr char kSecretBlock[] = "b3BhcXVlLXNlcnZlci1zdGF0ZS0wMTIzNDU2Nzg5";
constexpr char kTimestamp[] = "Tue Mar 5 09:03:07 UTC 2024";
constexpr char kSignature[] = "6wK2Xf8FrE9Kkb5OtOQ3Xu8ri90wDjzY/Ky+pzcIAMI=";
constexpr char kV[] =
    "c32617588194b162801b3cd57a0848689eba0583f11c4a7ded0ee0068e5560d0afe1f5c81a8e56841605be2c5fe3"
    "3505f40c57d0a9d5bd41743585e3a186c9263587d977f5fe4a903f0903787cec3741a2ce00faf3762ef4ea96f60c"
    "093170337dbc6cde97366a3a823ab3d217eb3af232e36d93f681d9e448486536dcb8960049890425ae2a7a3a421f"
    "1af9fd6cc6063e056e03a49497d5abe2fb87a021050533a123402a7041f25a0e5c0e1f358bc17f166182ad2725ce"
    "19946d6aadfb92a5beaa76f83295ffb62fbde828de467d5c9f3109cc686e4958a90fbacd19ca10f21166f7e769b9"
    "aeb5feacda894337f8f3129686f85dd26edc5b520dc480b5b988f87f91ccdb4589a03fc0b99784622c5e3ee3c485"
    "66bbe1658484ffef8868cf53373572779128defd6177f7ecb1768c05fa1e9715941d007f78ccd29133014d4d7d13"
    "c34d5be9b7848c87a7180a3451104e7663cd84a3ffb039489035ee63e0c7ff90b859a380b2a63065a4db6fe1440a"
    "7acc16159ee816299faabf9423032477";
constexpr char kA[] =
    "f2c4e7407ccfac452a7c7e1034e8388bf70b3aea30007fd146ae4c54b341d252f7752a43f24cd28368a96f455f9e"
    "e00eb4312863c2560b7162587cd2c962b588cae47a9ac339433f9fc7d3563c1abb952acc1e3dd565fc9ecde1ac7c"
    "c593627494abc14dbb2410bc3dc4a0cf5e6f2f7af643f1d2c888180b50375a28902031b3c7052284d5d32b9dd8ee"
    "35c6c0cb9ee52288bcbc52deb224c55391da65ec10e66f8c41cc7d0c12b7a75f171ada3cb4c21fba22c4ad59ad46"
    "85cd63080d92d959cc54fcda8022cb856ce27c6e2ae2c81f6f9fa8cad13cfb22dc202b650e14014498bf3afd56c9"
    "5a8cf956c46e3aedb2f20b4d1d8ebf2e9ef26955e228142b1168b1bfd7383d403ccbb00d89ca6843e39b7a44d774"
    "1a063bd4edb9c054606f59c7416327aa574b2f6d910606d9677c5018d07e080cd342ac446d35fd481f7818c780de"
    "b9508aeba3483493e43c98c6885e09883b8feb7e903e16468e7a1fc3df0cc55c71d1b3e4b4574d40699be76bca7a"
    "bdf7938cfb2068cacca3b49b35a49099";
constexpr char kB[] =
    "992816f022eeec406ca7768376bf7e9ba3039f1bb33828fbea07ae3b3e4a3baf2ab6dc82ae021e20653cbc9c29f9"
    "669a573bb368237449eb58a591f1b4f1ed60f07565d75a3de773b8f9572f4b0d1aa765922bea0cff6c763448145c"
    "192922bbb97beaba95fa8fe2455c6c46b77672951e3b16e135cd671673b41847d29d51229dc690ff6438a315af24"
    "e8efae1ad4c7ab001239c32b41b2e00a8aa8904a1b8eb582a6b5e22369c06d6fc4ac790c37d86b45db7cba9b9e26"
    "e65bcbacc817e8ebaff782bbe124b338ffad5d8ce612ed8f9ac99e7ec9e33f8f6a503d8505bd88abd0faf7bd68a4"
    "d1d54532d1a9d68a5e102e4e24eaf21c3ede63d9064bb73b948a68789269b1c15a1aca8bdccd29b327e7c43d52f2"
    "674462418ec666b4fb5bc8e920b8f9e7df51f652fb585af49534daa61f226b2da48b9fd78b0f439b0ef5ff2da258"
    "8c4de2d23e7fd3174a38e5879d3210e089f0c7fc261fa04054f5b336c4f265a3790a98ab6fab880cefa6dae5cb9d"
    "b3241ef373a3161b60b0f2d3daeca1df";
constexpr char kS[] =
    "d56db66f23e1e2422798c9e599210e445a11e933c5120947c1f53130ea8714cf4905f3f89b29cb5faedecf47ceec"
    "d31ff4a47db32b268c1d05f1f9ccb18dbfe9fa5f557c04525efe7b828191269d0194b71d8c076cd6fed441f2362c"
    "86813b3d6cf99865389762b1f17cc618be913d10489070b0ed9b636051bf50d705ed537ce44ea07f9a92450e7857"
    "8515483f71eac06f050ee8a6df67c565569583370a41e8115b56d98fe402c2f27bee13a8b8d3146c7803fac9b671"
    "1477192281273d6d1c9bc052a772ce015cdbd425af4d02c69f766491d8a280cf4eb8a9ca06e41a50048fb3599551"
    "360f50fac29d5ff8ae2bc8ef7efb38ff99d6d116b658b7a8764ffe036bb0fd8f768b120c7a10b5ce39ff3df1dae3"
    "b77862b602995dbf854bdb48ce4b34a2e7756aebcd7318cb8a29a4e31516ab3e5dc58b9d900eda0ca0e7a64b291a"
    "3f02e84e59d68289a477258b57f11a40d52a80226584e5ce10f83cf8d071e67939c171f0dd3b78fe3f0711553f28"
    "917a5d3829dcaf380724f71ccb0f139c";

BigNum Exp(const BIGNUM* base, const BIGNUM* e) {
  BigNum out = NewBigNum();
  BnCtx ctx = NewBnCtx();
  EXPECT_EQ(BN_mod_exp(out.get(), base, e, GroupN(), ctx.get()), 1);
  return out;
}

std::string ClientA(const std::string& a_hex) {
  return ToHex(Exp(GroupG(), ParseHex(a_hex).get()).get());
}

// The client's side of §4.3: S = (B - k*g^x)^(a + u*x), then the claim signature.
std::string ClientSignature(const std::string& a_hex, const std::string& b_pub_hex,
                            const std::string& salt_hex, const std::string& password,
                            const std::string& timestamp = kTimestamp) {
  BnCtx ctx = NewBnCtx();
  BigNum a = ParseHex(a_hex);
  BigNum a_pub = Exp(GroupG(), a.get());
  BigNum b_pub = ParseHex(b_pub_hex);
  BigNum u = ComputeU(a_pub.get(), b_pub.get());
  SecretBigNum x = ComputeX(salt_hex, kPool, kUser, password);
  BigNum kgx = NewBigNum(), base = NewBigNum(), e = NewBigNum(), s = NewBigNum();
  BN_mod_mul(kgx.get(), GroupK(), Exp(GroupG(), x.get()).get(), GroupN(), ctx.get());
  BN_mod_sub(base.get(), b_pub.get(), kgx.get(), GroupN(), ctx.get());
  BN_mul(e.get(), u.get(), x.get(), ctx.get());
  BN_add(e.get(), e.get(), a.get());
  BN_mod_exp(s.get(), base.get(), e.get(), GroupN(), ctx.get());
  const std::string message =
      std::string(kPool) + kUser + *crypto::Base64Decode(kSecretBlock) + timestamp;
  return crypto::Base64Encode(crypto::HmacSha256(DeriveKey(u.get(), s.get()), message));
}

SrpVerifier AppendixVerifier() {
  Result<SrpVerifier> v = MakeVerifierWithSalt(kSalt, kPool, kUser, kPassword);
  EXPECT_TRUE(v.ok());
  return *v;
}

SrpServerSession AppendixSession() {
  Result<SrpServerSession> session = SrpServerSession::Resume(AppendixVerifier(), kA, kSmallB);
  EXPECT_TRUE(session.ok());
  return std::move(session).value();
}

TEST(SrpGroupTest, GroupConstantsMatchTheReference) {
  const std::string n(GroupNHex());
  ASSERT_EQ(n.size(), 768u);
  EXPECT_EQ(n.substr(0, 48), "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd1");
  EXPECT_EQ(n.substr(768 - 48), "43db5bfce0fd108e4b82d120a93ad2caffffffffffffffff");
  EXPECT_EQ(ToHex(GroupN()), n);
  EXPECT_EQ(PadHex(GroupN()), "00" + n);
  EXPECT_EQ(PadHex(GroupG()), "02");
  EXPECT_EQ(ToHex(GroupK()), kK);
}

TEST(SrpGroupTest, PadHexIsMinimalTwosComplement) {
  EXPECT_EQ(PadHex(ParseHex("14").get()), "14");    // 20
  EXPECT_EQ(PadHex(ParseHex("ec").get()), "00ec");  // 236
  EXPECT_EQ(PadHex(ParseHex("0000abc").get()), "0abc");
  EXPECT_EQ(PadHex(ParseHex("800").get()), "0800");
  EXPECT_EQ(PadHex(ParseHex("0").get()), "00");
  EXPECT_EQ(ToHex(ParseHex("00ABCdef").get()), "abcdef");
  EXPECT_EQ(ToHex(ParseHex("000").get()), "0");
}

TEST(SrpGroupTest, ParseHexRejectsNonHex) {
  EXPECT_EQ(ParseHex(""), nullptr);
  EXPECT_EQ(ParseHex("-1"), nullptr);
  EXPECT_EQ(ParseHex("0x12"), nullptr);
  EXPECT_EQ(ParseHex("12 34"), nullptr);
  EXPECT_EQ(ParseHex("12g"), nullptr);
  EXPECT_EQ(ParseHex(std::string(1025, 'a')), nullptr);
  EXPECT_NE(ParseHex(std::string(1024, 'a')), nullptr);
}

TEST(SrpVerifierTest, AppendixXAndVerifier) {
  EXPECT_EQ(HashHex("ExAmPlE12alice:Passw0rd!"),
            "0786ca173d6ccc6cd2e7b97ad91c6a3cd700050bad44443fbc50c069b00aae5c");
  EXPECT_EQ(PadHex(ParseHex(kSalt).get()), kSalt);
  EXPECT_EQ(ToHex(ComputeX(kSalt, kPool, kUser, kPassword).get()), kX);
  const SrpVerifier v = AppendixVerifier();
  EXPECT_EQ(v.salt_hex, kSalt);
  EXPECT_EQ(v.verifier_hex, kV);
}

TEST(SrpVerifierTest, SaltIsHashedAsTheClientsReencodeIt) {
  // Leading zero bytes vanish (BigInteger parse + padHex), a high top nibble gains "00".
  EXPECT_EQ(ToHex(ComputeX("00000a1b2c3d4e5f60718293a4b5c6d7e8f9", kPool, kUser, kPassword).get()),
            kX);
  EXPECT_NE(ToHex(ComputeX("ab", kPool, kUser, kPassword).get()),
            ToHex(ComputeX("cd", kPool, kUser, kPassword).get()));
  EXPECT_FALSE(MakeVerifierWithSalt("not-hex", kPool, kUser, kPassword).ok());
}

TEST(SrpVerifierTest, RandomVerifiersHaveFreshSalts) {
  const SrpVerifier a = MakeVerifier(kPool, kUser, kPassword);
  const SrpVerifier b = MakeVerifier(kPool, kUser, kPassword);
  EXPECT_EQ(a.salt_hex.size(), 32u);
  EXPECT_NE(a.salt_hex, b.salt_hex);
  EXPECT_NE(a.verifier_hex, b.verifier_hex);
  EXPECT_EQ(a.verifier_hex,
            MakeVerifierWithSalt(a.salt_hex, kPool, kUser, kPassword)->verifier_hex);
}

TEST(SrpServerTest, AppendixServerValues) {
  EXPECT_EQ(ClientA(kSmallA), kA);
  const SrpServerSession session = AppendixSession();
  EXPECT_EQ(session.srp_b_hex(), kB);
  EXPECT_EQ(session.salt_hex(), kSalt);
  EXPECT_EQ(session.private_b_hex(), kSmallB);
  Result<SrpServerSession::KeyMaterial> material = session.DeriveKeyMaterial();
  ASSERT_TRUE(material.ok());
  EXPECT_EQ(material->u_hex, kU);
  EXPECT_EQ(material->s_hex, kS);
  EXPECT_EQ(crypto::HexEncode(material->key), kKey);
}

TEST(SrpServerTest, AppendixSignatureVerifies) {
  const SrpServerSession session = AppendixSession();
  EXPECT_EQ(ClientSignature(kSmallA, kB, kSalt, kPassword), kSignature);
  Result<bool> ok = session.VerifyClaim(kPool, kUser, kSecretBlock, kTimestamp, kSignature);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(*ok);
}

TEST(SrpServerTest, AnyChangeToTheClaimFails) {
  const SrpServerSession session = AppendixSession();
  EXPECT_FALSE(*session.VerifyClaim(kPool, "alicf", kSecretBlock, kTimestamp, kSignature));
  EXPECT_FALSE(*session.VerifyClaim("ExAmPlE13", kUser, kSecretBlock, kTimestamp, kSignature));
  EXPECT_FALSE(*session.VerifyClaim(kPool, kUser, "b3BhcXVl", kTimestamp, kSignature));
  // The TIMESTAMP is signed as received: the zero-padded rendering is a different message.
  EXPECT_FALSE(
      *session.VerifyClaim(kPool, kUser, kSecretBlock, "Tue Mar 05 09:03:07 UTC 2024", kSignature));
  EXPECT_FALSE(*session.VerifyClaim(kPool, kUser, kSecretBlock, kTimestamp,
                                    crypto::Base64Encode(std::string(32, 'x'))));
  EXPECT_FALSE(*session.VerifyClaim(kPool, kUser, kSecretBlock, kTimestamp, ""));
}

TEST(SrpServerTest, RandomSessionAcceptsRightPasswordOnly) {
  const SrpVerifier verifier = MakeVerifier(kPool, kUser, kPassword);
  const std::string a_hex = crypto::HexEncode(std::string(128, '\x5a'));
  Result<SrpServerSession> session = SrpServerSession::Start(verifier, ClientA(a_hex));
  ASSERT_TRUE(session.ok());
  Result<SrpServerSession> other = SrpServerSession::Start(verifier, ClientA(a_hex));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(session->srp_b_hex(), other->srp_b_hex());
  EXPECT_EQ(session->salt_hex(), verifier.salt_hex);
  const std::string& b = session->srp_b_hex();
  EXPECT_TRUE(*session->VerifyClaim(kPool, kUser, kSecretBlock, kTimestamp,
                                    ClientSignature(a_hex, b, verifier.salt_hex, kPassword)));
  EXPECT_FALSE(*session->VerifyClaim(kPool, kUser, kSecretBlock, kTimestamp,
                                     ClientSignature(a_hex, b, verifier.salt_hex, "Passw0rd?")));
  // The same client proof does not verify against another session's b.
  EXPECT_FALSE(*other->VerifyClaim(kPool, kUser, kSecretBlock, kTimestamp,
                                   ClientSignature(a_hex, b, verifier.salt_hex, kPassword)));
}

TEST(SrpServerTest, RejectsADivisibleByN) {
  const SrpVerifier verifier = AppendixVerifier();
  const std::string n(GroupNHex());
  BigNum two_n = NewBigNum();
  BN_lshift1(two_n.get(), GroupN());
  for (const std::string& a :
       {std::string("0"), std::string("000"), n, "00" + n, ToHex(two_n.get())}) {
    Result<SrpServerSession> session = SrpServerSession::Start(verifier, a);
    ASSERT_FALSE(session.ok()) << a;
    EXPECT_EQ(session.error().type, "InvalidParameterException");
  }
  EXPECT_TRUE(SrpServerSession::Start(verifier, "1").ok());
}

TEST(SrpServerTest, RejectsMalformedInput) {
  const SrpVerifier verifier = AppendixVerifier();
  for (const char* a : {"", "xyz", "-1", "0x12", " 12"}) {
    Result<SrpServerSession> session = SrpServerSession::Start(verifier, a);
    ASSERT_FALSE(session.ok()) << a;
    EXPECT_EQ(session.error().type, "InvalidParameterException");
  }
  EXPECT_FALSE(SrpServerSession::Start(verifier, std::string(1025, '1')).ok());
  EXPECT_FALSE(SrpServerSession::Resume(verifier, kA, "").ok());
  EXPECT_FALSE(SrpServerSession::Resume(verifier, kA, "0").ok());
  EXPECT_FALSE(SrpServerSession::Resume(verifier, kA, "zz").ok());
  Result<SrpServerSession> broken = SrpServerSession::Start({kSalt, "nope"}, kA);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().type, "InternalErrorException");
  EXPECT_FALSE(SrpServerSession::Start({kSalt, "0"}, kA).ok());

  const SrpServerSession session = AppendixSession();
  for (const char* bad : {"!!!!", "b3BhcXVl=", "b3Bhc"}) {
    Result<bool> r = session.VerifyClaim(kPool, kUser, bad, kTimestamp, kSignature);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().type, "InvalidParameterException");
    EXPECT_FALSE(session.VerifyClaim(kPool, kUser, kSecretBlock, kTimestamp, bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace cognate::auth::srp
