#include "auth/imported_hashes.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cognate::auth {
namespace {

constexpr std::size_t kMaxEncoded = 512;
constexpr std::size_t kMaxPassword = 1024;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::optional<uint64_t> Number(std::string_view text) {
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string_view::npos ? s.npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

// ---- crypt(3) forms: bcrypt and scrypt ------------------------------------------------------

bool IsBcrypt(std::string_view e) {
  if (!(StartsWith(e, "$2a$") || StartsWith(e, "$2b$") || StartsWith(e, "$2y$"))) return false;
  // $2b$<2-digit cost>$<53 characters of salt and hash>
  if (e.size() != 60 || e[6] != '$') return false;
  auto cost = Number(e.substr(4, 2));
  return cost && *cost >= 4 && *cost <= 16;
}

// $7$<N as one itoa64 character: log2 N><r: 5 chars><p: 5 chars><salt>$<hash>
bool IsScrypt(std::string_view e) {
  static constexpr std::string_view kItoa64 =
      "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  if (!StartsWith(e, "$7$") || e.size() < 3 + 11 + 2) return false;
  const auto log2_n = kItoa64.find(e[3]);
  if (log2_n == std::string_view::npos || log2_n < 1 || log2_n > 20) return false;
  uint32_t r = 0;  // 30 bits, little-endian, 6 bits per character
  for (int i = 0; i < 5; ++i) {
    const auto v = kItoa64.find(e[4 + i]);
    if (v == std::string_view::npos) return false;
    r |= static_cast<uint32_t>(v) << (6 * i);
  }
  return r >= 1 && r <= 32 && e.find('$', 14) != std::string_view::npos;
}

bool VerifyCrypt(std::string_view encoded, std::string_view password) {
  if (password.find('\0') != std::string_view::npos) return false;  // C strings below
  const std::string setting(encoded);
  const std::string phrase(password);
  auto data = std::make_unique<crypt_data>();  // ~32 KiB: not on the stack
  const char* out = crypt_rn(phrase.c_str(), setting.c_str(), data.get(), sizeof(crypt_data));
  const bool ok = out != nullptr && out[0] != '*' && crypto::ConstantTimeEquals(out, encoded);
  OPENSSL_cleanse(data.get(), sizeof(crypt_data));
  return ok;
}

// ---- PBKDF2 -------------------------------------------------------------------------------

struct Pbkdf2 {
  const EVP_MD* digest = nullptr;
  uint64_t iterations = 0;
  std::string salt;
  std::string hash;
};

// passlib's "adapted base64": '.' for '+', no padding.
std::optional<std::string> AdaptedBase64Decode(std::string_view text) {
  std::string standard(text);
  for (char& c : standard)
    if (c == '.') c = '+';
  while (standard.size() % 4 != 0) standard.push_back('=');
  return crypto::Base64Decode(standard);
}

const EVP_MD* DigestNamed(std::string_view name) {
  if (name == "sha256") return EVP_sha256();
  if (name == "sha512") return EVP_sha512();
  if (name == "sha1") return EVP_sha1();
  return nullptr;
}

std::optional<Pbkdf2> ParsePbkdf2(std::string_view e) {
  Pbkdf2 out;
  std::vector<std::string_view> parts = Split(e, '$');
  if (StartsWith(e, "pbkdf2_") && parts.size() == 4) {  // Django
    out.digest = DigestNamed(parts[0].substr(7));
    out.salt = std::string(parts[2]);
    auto hash = crypto::Base64Decode(parts[3]);
    if (!hash) return std::nullopt;
    out.hash = std::move(*hash);
  } else if (StartsWith(e, "$pbkdf2") && parts.size() == 5 && parts[0].empty()) {  // passlib
    std::string_view scheme = parts[1];
    out.digest = scheme == "pbkdf2" ? EVP_sha1()
                 : StartsWith(scheme, "pbkdf2-") ? DigestNamed(scheme.substr(7))
                                                 : nullptr;
    auto salt = AdaptedBase64Decode(parts[3]);
    auto hash = AdaptedBase64Decode(parts[4]);
    if (!salt || !hash) return std::nullopt;
    out.salt = std::move(*salt);
    out.hash = std::move(*hash);
  } else {
    return std::nullopt;
  }
  auto iterations = Number(parts[StartsWith(e, "$") ? 2 : 1]);
  if (out.digest == nullptr || !iterations || *iterations < 1000 || *iterations > 5'000'000 ||
      out.salt.empty() || out.hash.size() < 16 || out.hash.size() > 64) {
    return std::nullopt;
  }
  out.iterations = *iterations;
  return out;
}

bool VerifyPbkdf2(const Pbkdf2& h, std::string_view password) {
  std::string derived(h.hash.size(), '\0');
  const bool ran = PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                                     reinterpret_cast<const unsigned char*>(h.salt.data()),
                                     static_cast<int>(h.salt.size()),
                                     static_cast<int>(h.iterations), h.digest,
                                     static_cast<int>(derived.size()),
                                     reinterpret_cast<unsigned char*>(derived.data())) == 1;
  const bool ok = ran && crypto::ConstantTimeEquals(derived, h.hash);
  OPENSSL_cleanse(derived.data(), derived.size());
  return ok;
}

// ---- Argon2 (verified by PasswordHasher; bounded here) -----------------------------------

bool IsBoundedArgon2(std::string_view e) {
  if (!StartsWith(e, "$argon2id$") && !StartsWith(e, "$argon2i$")) return false;
  // $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>
  std::vector<std::string_view> parts = Split(e, '$');
  if (parts.size() != 6 || parts[2] != "v=19") return false;
  std::vector<std::string_view> params = Split(parts[3], ',');
  if (params.size() != 3 || !StartsWith(params[0], "m=") || !StartsWith(params[1], "t=") ||
      !StartsWith(params[2], "p=")) {
    return false;
  }
  auto m = Number(params[0].substr(2));
  auto t = Number(params[1].substr(2));
  auto p = Number(params[2].substr(2));
  return m && t && p && *m >= 8 && *m <= 256 * 1024 && *t >= 1 && *t <= 16 && *p == 1;
}

}  // namespace

bool IsAcceptedPasswordHash(std::string_view encoded) {
  if (encoded.size() > kMaxEncoded) return false;
  return IsBoundedArgon2(encoded) || IsBcrypt(encoded) || IsScrypt(encoded) ||
         ParsePbkdf2(encoded).has_value();
}

bool VerifyImportedHash(std::string_view encoded, std::string_view password) {
  if (encoded.size() > kMaxEncoded || password.size() > kMaxPassword) return false;
  if (IsBcrypt(encoded) || IsScrypt(encoded)) return VerifyCrypt(encoded, password);
  if (auto pbkdf2 = ParsePbkdf2(encoded)) return VerifyPbkdf2(*pbkdf2, password);
  return false;
}

}  // namespace cognate::auth
