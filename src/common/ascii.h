#pragma once
// ASCII case folding, independent of the C locale: for usernames, host names, header and label
// values, where only A-Z fold (Unicode case is not folded anywhere in Cognate).

#include <string>
#include <string_view>

namespace cognate {

inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace cognate
