// Text helpers of the validator: UTF-8 checking, base64 sizing, Java-like echoes and the
// wording of Coral's messages.

#include <charconv>
#include <cstdio>

#include "api/cognito/service_model_internal.h"

namespace cognate::api::model_internal {
namespace json = boost::json;
namespace {

std::string HexByte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "0x%02x", c);
  return buf;
}

int Base64Digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '/') return 62;
  return -1;
}

}  // namespace

std::optional<std::size_t> CountCodePoints(std::string_view s, std::string* error) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {
    const auto c = static_cast<unsigned char>(s[i]);
    // Sequence length and the allowed range of the second byte (rejects overlong forms,
    // UTF-16 surrogates and code points above U+10FFFF).
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
      len = 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      *error = "Invalid UTF-8 start byte " + HexByte(c);
      return std::nullopt;
    }
    if (i + len > s.size()) {
      *error = "Unexpected end-of-input in UTF-8 character";
      return std::nullopt;
    }
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) {
        *error = "Invalid UTF-8 middle byte " + HexByte(b);
        return std::nullopt;
      }
    }
    i += len;
  }
  return count;
}

std::optional<std::size_t> Base64DecodedSize(std::string_view s) {
  // Standard alphabet; padding optional but, when present, only at the end and to a multiple of 4.
  std::size_t n = s.size();
  std::size_t pad = 0;
  while (n > 0 && s[n - 1] == '=' && pad < 2) {
    --n;
    ++pad;
  }
  if (pad > 0 && s.size() % 4 != 0) return std::nullopt;
  if (n % 4 == 1) return std::nullopt;
  for (std::size_t i = 0; i < n; ++i) {
    if (Base64Digit(s[i]) < 0) return std::nullopt;
  }
  return n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1);
}

std::string Echo(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return std::string(v.get_string());
    case json::kind::int64:
      return std::to_string(v.get_int64());
    case json::kind::uint64:
      return std::to_string(v.get_uint64());
    case json::kind::double_: {
      // Java's Double.toString always shows a fraction or exponent ("10.0").
      char buf[32];
      auto res = std::to_chars(buf, buf + sizeof(buf), v.get_double());
      std::string out(buf, res.ptr);
      if (out.find_first_of(".eEn") == std::string::npos) out += ".0";
      return out;
    }
    case json::kind::bool_:
      return v.get_bool() ? "true" : "false";
    case json::kind::null:
      return "null";
    default:
      return "";  // aggregates are rendered by the caller
  }
}

std::string EchoList(const json::array& a) {
  std::string out = "[";
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i > 0) out += ", ";
    out += Echo(a[i]);
  }
  return out + "]";
}

std::string EchoMap(const json::object& o) {
  std::string out = "{";
  bool first = true;
  for (const auto& kv : o) {
    if (!first) out += ", ";
    first = false;
    out.append(kv.key().data(), kv.key().size());
    out += "=" + Echo(kv.value());
  }
  return out + "}";
}

const char* TokenName(const json::value& v) {
  if (v.is_string()) return "STRING_VALUE";
  if (v.is_bool()) return "BOOLEAN_VALUE";
  if (v.is_null()) return "NULL_VALUE";
  return "NUMBER_VALUE";
}

const char* TargetName(ShapeType t) {
  switch (t) {
    case ShapeType::kStructure:
      return "a Structure";
    case ShapeType::kList:
      return "a List";
    case ShapeType::kMap:
      return "a Map";
    case ShapeType::kString:
      return "an String";
    case ShapeType::kInteger:
      return "an Integer";
    case ShapeType::kLong:
      return "a Long";
    case ShapeType::kBoolean:
      return "a Boolean";
    case ShapeType::kDouble:
      return "a Double";
    case ShapeType::kTimestamp:
      return "a Timestamp";
    case ShapeType::kBlob:
      return "a Blob";
  }
  return "a Value";
}

std::string JoinBracketed(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  return out + "]";
}

void RangeFailures(const Shape& s, long double n, const char* what,
                   std::vector<std::string>* failures) {
  if (s.min && n < static_cast<long double>(*s.min)) {
    failures->push_back(std::string("Member must have ") + what + " greater than or equal to " +
                        std::to_string(*s.min));
  }
  if (s.max && n > static_cast<long double>(*s.max)) {
    failures->push_back(std::string("Member must have ") + what + " less than or equal to " +
                        std::to_string(*s.max));
  }
}

}  // namespace cognate::api::model_internal
