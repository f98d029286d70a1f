#pragma once
// In-memory form of the Cognito model, shared by the loader (service_model.cc) and the validator
// (service_model_validate.cc). Not part of the public API.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <bitset>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/cognito/service_model.h"

namespace cognate::api::model_internal {

// A compiled model pattern. Java's Pattern.matches() semantics: the whole value must match.
class Regex {
 public:
  // Returns nullptr (and the PCRE2 message in *error) when PCRE2 rejects the pattern.
  static std::unique_ptr<Regex> Compile(const std::string& pattern, std::string* error);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // `text` must be valid UTF-8 (the validator checks it first). Runs in time linear in the
  // value's length (DFA matching), so a hostile value cannot stall a request.
  bool FullMatch(std::string_view text) const;

 private:
  explicit Regex(void* code) : code_(code) {}
  void* code_;  // pcre2_code_8*, kept opaque so pcre2.h stays out of this header.
  // Most of the model's patterns are one character class repeated ("[A-Za-z0-9-_=.]+",
  // "[\\w+]+"): for those, which ASCII characters the class admits, so that an ASCII value is
  // checked with a table lookup per byte instead of the DFA. PCRE2 itself decides each entry.
  bool has_ascii_table_ = false;
  bool allows_empty_ = false;  // "[...]*"
  std::bitset<128> ascii_table_;
};

enum class ShapeType {
  kStructure,
  kList,
  kMap,
  kString,
  kInteger,
  kLong,
  kBoolean,
  kDouble,
  kTimestamp,
  kBlob,
};

struct Shape;

struct Member {
  std::string name;       // wire name, e.g. "PoolName"
  std::string path_name;  // Coral's path segment, e.g. "poolName"
  const Shape* shape = nullptr;
  bool required = false;
};

struct Shape {
  std::string name;
  ShapeType type = ShapeType::kStructure;
  bool sensitive = false;
  // Length (strings in code points, blobs in bytes, lists and maps in entries) or value range.
  std::optional<std::int64_t> min;
  std::optional<std::int64_t> max;
  std::string pattern;           // model text, echoed in messages
  const Regex* regex = nullptr;  // null when there is no pattern or it did not compile
  std::vector<std::string> enum_values;
  std::string enum_text;          // "[OFF, ON, OPTIONAL]"
  std::vector<Member> members;    // structures, in model order
  const Shape* member = nullptr;  // lists
  const Shape* key = nullptr;     // maps
  const Shape* value = nullptr;   // maps
};

}  // namespace cognate::api::model_internal

namespace cognate::api {

struct ServiceModel::Impl {
  // std::map keeps node addresses stable, so Shape* links stay valid.
  std::map<std::string, model_internal::Shape, std::less<>> shapes;
  std::map<std::string, OperationInfo, std::less<>> operations;
  std::map<std::string, std::unique_ptr<model_internal::Regex>, std::less<>> regexes;
  std::vector<std::string> skipped_patterns;
};

namespace model_internal {

// Nesting bound of the walk; the shipped model is 5 levels deep.
inline constexpr int kMaxDepth = 32;

// The walk itself (service_model_validate.cc). `input` null means "no input shape".
Status Validate(const Shape* input, const boost::json::value& body, int max_depth = kMaxDepth);

// service_model_text.cc
// Code points of valid UTF-8; nullopt with a Jackson-like message in *error otherwise.
std::optional<std::size_t> CountCodePoints(std::string_view s, std::string* error);
// Decoded byte count of standard base64 (padding optional); nullopt when malformed.
std::optional<std::size_t> Base64DecodedSize(std::string_view s);
// Java toString()-like renderings of JSON values, as Coral echoes them.
std::string Echo(const boost::json::value& v);  // scalars; "" for aggregates
std::string EchoList(const boost::json::array& a);
std::string EchoMap(const boost::json::object& o);
// Message vocabulary: Coral's token names ("STRING_VALUE") and target types ("an Integer").
const char* TokenName(const boost::json::value& v);
const char* TargetName(ShapeType t);
std::string JoinBracketed(const std::vector<std::string>& items);  // "[a, b]"
// Appends Coral's "Member must have <what> greater/less than or equal to N" failures.
void RangeFailures(const Shape& s, long double n, const char* what,
                   std::vector<std::string>* failures);

}  // namespace model_internal

}  // namespace cognate::api
