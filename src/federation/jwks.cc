#include "federation/jwks.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <utility>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cognate::federation {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxKeysPerSet = 100;

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct BldFree {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct SigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;

Error Unusable(const std::string& why) { return Error::InvalidParameter("Unusable JWK: " + why); }

std::string Member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

Bn BignumOf(const std::string& bytes) {
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                      static_cast<int>(bytes.size()), nullptr));
}

// An EVP_PKEY of `type` ("RSA", "EC") from parameters; null when OpenSSL refuses them.
EVP_PKEY* FromParams(const char* type, OSSL_PARAM_BLD* bld) {
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  return key;
}

EVP_PKEY* RsaPublicKey(const std::string& n, const std::string& e) {
  Bn bn_n = BignumOf(n), bn_e = BignumOf(e);
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1)
    return nullptr;
  return FromParams("RSA", bld.get());
}

EVP_PKEY* P256PublicKey(const std::string& x, const std::string& y) {
  std::string point = "\x04" + x + y;  // SEC 1 uncompressed point
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  char group[] = "prime256v1";
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1)
    return nullptr;
  return FromParams("EC", bld.get());
}

// JWS ES256 signatures are r||s (32 bytes each); OpenSSL verifies DER.
std::string EcdsaDer(std::string_view raw) {
  if (raw.size() != 64) return "";
  std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return "";
  }
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return "";
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace

Jwk::Jwk(std::string kid, std::string alg, EVP_PKEY* key)
    : kid_(std::move(kid)), alg_(std::move(alg)), key_(key) {}

Jwk::~Jwk() { EVP_PKEY_free(key_); }

Result<std::shared_ptr<const Jwk>> Jwk::FromJson(const json::object& jwk) {
  const std::string kty = Member(jwk, "kty");
  const std::string use = Member(jwk, "use");
  const std::string alg = Member(jwk, "alg");
  if (!use.empty() && use != "sig") return Unusable("not a signature key");
  EVP_PKEY* key = nullptr;
  std::string key_alg;
  if (kty == "RSA") {
    if (!alg.empty() && alg != "RS256") return Unusable("algorithm " + alg);
    auto n = crypto::Base64UrlDecode(Member(jwk, "n"));
    auto e = crypto::Base64UrlDecode(Member(jwk, "e"));
    if (!n || !e || n->empty() || e->empty() || e->size() > 8) return Unusable("bad n or e");
    std::size_t leading = n->find_first_not_of('\0');
    std::size_t bits = leading == std::string::npos ? 0 : (n->size() - leading) * 8;
    if (bits < 2048 - 7 || bits > 8192) return Unusable("RSA modulus size");
    key = RsaPublicKey(*n, *e);
    key_alg = "RS256";
  } else if (kty == "EC") {
    if (!alg.empty() && alg != "ES256") return Unusable("algorithm " + alg);
    if (Member(jwk, "crv") != "P-256") return Unusable("curve");
    auto x = crypto::Base64UrlDecode(Member(jwk, "x"));
    auto y = crypto::Base64UrlDecode(Member(jwk, "y"));
    if (!x || !y || x->size() != 32 || y->size() != 32) return Unusable("bad x or y");
    key = P256PublicKey(*x, *y);
    key_alg = "ES256";
  } else {
    return Unusable("key type " + kty);
  }
  if (key == nullptr) return Unusable("OpenSSL refused the key");
  return std::shared_ptr<const Jwk>(new Jwk(Member(jwk, "kid"), key_alg, key));
}

bool Jwk::Verify(std::string_view data, std::string_view signature) const {
  std::string der;
  if (alg_ == "ES256") {
    der = EcdsaDer(signature);
    if (der.empty()) return false;
    signature = der;
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  bool ok = ctx &&
            EVP_DigestVerifyInit(ctx.get(), nullptr, crypto::FetchedSha256(), nullptr, key_) == 1 &&
            EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                             data.size()) == 1;
  ERR_clear_error();
  return ok;
}

Result<JwkList> ParseJwks(std::string_view document) {
  boost::system::error_code ec;
  json::value parsed = json::parse(document, ec);
  const json::value* keys = !ec && parsed.is_object() ? parsed.get_object().if_contains("keys")
                                                      : nullptr;
  if (keys == nullptr || !keys->is_array())
    return Error::InvalidParameter("The JWKS document is not a JWK Set.");
  JwkList out;
  for (const json::value& k : keys->get_array()) {
    if (out.size() == kMaxKeysPerSet) break;
    if (!k.is_object()) continue;
    auto jwk = Jwk::FromJson(k.get_object());
    if (jwk.ok()) out.push_back(std::move(*jwk));
  }
  return out;
}

JwksCache::JwksCache(HttpClient& http, const Clock& clock, JwksCacheOptions options)
    : http_(http), clock_(clock), options_(options) {}

JwkList JwksCache::Matching(const JwkList& keys, const std::string& kid) {
  JwkList out;
  for (const auto& k : keys)
    if (kid.empty() || k->kid() == kid) out.push_back(k);
  return out;
}

Result<JwkList> JwksCache::Fetch(const std::string& jwks_uri) {
  HttpRequest request;
  request.url = jwks_uri;
  request.headers = {"Accept: application/json"};
  auto response = http_.Send(request);
  if (!response.ok())
    return Error::NotAuthorized("Cannot fetch the identity provider's keys: " +
                                response.error().message);
  if (response->status != 200)
    return Error::NotAuthorized("Cannot fetch the identity provider's keys: HTTP status " +
                                std::to_string(response->status));
  auto keys = ParseJwks(response->body);
  if (!keys.ok()) return Error::NotAuthorized(keys.error().message);
  return keys;
}

Result<JwkList> JwksCache::KeysFor(const std::string& jwks_uri, const std::string& kid) {
  const int64_t now = clock_.NowMs();
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(jwks_uri);
    if (it != entries_.end() && it->second.fetched_ms != 0) {
      Entry& e = it->second;
      JwkList found = Matching(e.keys, kid);
      bool fresh = now - e.fetched_ms < options_.max_age_ms;
      bool may_refetch = now - e.attempted_ms >= options_.refetch_interval_ms;
      if ((fresh && !found.empty()) || !may_refetch) return found;
      e.attempted_ms = now;
    } else {
      if (it == entries_.end() && entries_.size() >= options_.max_uris) {
        auto oldest = entries_.begin();
        for (auto i = entries_.begin(); i != entries_.end(); ++i)
          if (i->second.attempted_ms < oldest->second.attempted_ms) oldest = i;
        entries_.erase(oldest);
      }
      entries_[jwks_uri].attempted_ms = now;
    }
  }
  auto fetched = Fetch(jwks_uri);
  std::lock_guard lock(mu_);
  Entry& e = entries_[jwks_uri];
  if (!fetched.ok()) {
    // Stale keys still serve when the provider is briefly unreachable.
    if (e.fetched_ms != 0) return Matching(e.keys, kid);
    return std::move(fetched).error();
  }
  e.keys = std::move(*fetched);
  e.fetched_ms = now;
  e.attempted_ms = now;
  return Matching(e.keys, kid);
}

}  // namespace cognate::federation
