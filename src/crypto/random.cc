#include "crypto/random.h"

#include <sodium.h>

#include <cstdint>
#include <stdexcept>

#include "crypto/encoding.h"

namespace cognate::crypto {
namespace {

// sodium_init() is idempotent but not free; a function-local static runs it once, thread-safely.
void EnsureSodium() {
  static const bool initialised = sodium_init() >= 0;
  if (!initialised) throw std::runtime_error("libsodium initialisation failed");
}

}  // namespace

std::string RandomBytes(std::size_t n) {
  EnsureSodium();
  std::string out(n, '\0');
  if (n > 0) randombytes_buf(out.data(), n);
  return out;
}

std::string RandomString(std::size_t n, std::string_view alphabet) {
  if (n == 0) return {};
  if (alphabet.empty() || alphabet.size() > UINT32_MAX) {
    throw std::invalid_argument("RandomString: alphabet size out of range");
  }
  EnsureSodium();
  const auto size = static_cast<std::uint32_t>(alphabet.size());
  std::string out(n, '\0');
  // randombytes_uniform rejects out-of-range draws, so there is no modulo bias.
  for (char& c : out) c = alphabet[randombytes_uniform(size)];
  return out;
}

std::string RandomUuid() {
  std::string b = RandomBytes(16);
  b[6] = static_cast<char>((static_cast<unsigned char>(b[6]) & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<char>((static_cast<unsigned char>(b[8]) & 0x3f) | 0x80);  // RFC 4122 variant
  const std::string hex = HexEncode(b);
  return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' +
         hex.substr(16, 4) + '-' + hex.substr(20, 12);
}

}  // namespace cognate::crypto
