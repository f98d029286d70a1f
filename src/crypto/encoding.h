#pragma once
// Byte encodings. Decoders return std::nullopt on malformed input instead of throwing.

#include <optional>
#include <string>
#include <string_view>

namespace cognate::crypto {

std::string HexEncode(std::string_view bytes);                 // lowercase
std::optional<std::string> HexDecode(std::string_view hex);
std::string Base64Encode(std::string_view bytes);              // standard alphabet, padded
std::optional<std::string> Base64Decode(std::string_view text);
std::string Base64UrlEncode(std::string_view bytes);           // URL alphabet, no padding
std::optional<std::string> Base64UrlDecode(std::string_view text);  // padding optional

}  // namespace cognate::crypto
