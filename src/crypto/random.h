#pragma once
// Cryptographically secure randomness (libsodium randombytes). Thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

namespace cognate::crypto {

std::string RandomBytes(std::size_t n);
// n characters drawn uniformly (no modulo bias) from `alphabet`.
std::string RandomString(std::size_t n, std::string_view alphabet);
inline constexpr std::string_view kLowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
inline constexpr std::string_view kAlnum =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
// A random RFC 4122 version-4 UUID in lowercase text form.
std::string RandomUuid();

}  // namespace cognate::crypto
