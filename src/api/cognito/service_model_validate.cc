// Validation of a request body against an input shape, mimicking AWS's Coral front door.
//
// SerializationException (type errors; Coral deserialises before it validates, so one of these
// wins over any constraint violation, wherever it occurs in the body):
//   object where a non-structure/map belongs: "Start of structure or map found where not expected."
//   array where a non-list belongs: "Start of list found where not expected"
//   number or boolean where a string belongs: Coral's own words, Java class included:
//     "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an
//     String" ("class java.lang.Boolean ..." for booleans)
//   other scalar mismatches: "<STRING_VALUE|NUMBER_VALUE|BOOLEAN_VALUE> can not be converted to
//     an Integer" (a Long, a Boolean, a Double, a Timestamp, a Blob, a Structure, a List, a Map)
//   integer/long take JSON integers in the type's range only (10.0, 1e3 and 2^31 are rejected);
//   double/timestamp take any JSON number; blob a base64 string; strings must be valid UTF-8;
//   nesting deeper than kMaxDepth is rejected.
// InvalidParameterException (constraints, up to kMaxViolations, joined by "; "):
//   required member absent or null; string length in code points, pattern, enum; number range;
//   blob length in decoded bytes; list/map entry counts. Members of lists of structures get
//   paths like 'userAttributes.1.member.name' (1-based). Lists of scalars and maps report once per
//   container, as Coral does: "Member must satisfy constraint: [...]", "Map keys must satisfy
//   constraint: [...]", "Map value must satisfy constraint: [...]". Values inside sensitive shapes,
//   blobs and containers of aggregates are not echoed ("Value at 'x' failed ...").
// JSON null is the same as an absent member; unknown members are ignored.

#include <limits>

#include "api/cognito/service_model_internal.h"

namespace cognate::api::model_internal {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxViolations = 10;

bool IsAggregate(const Shape& s) {
  return s.type == ShapeType::kStructure || s.type == ShapeType::kList || s.type == ShapeType::kMap;
}

void AddDistinct(std::vector<std::string>* list, std::string item) {
  for (const auto& s : *list) {
    if (s == item) return;
  }
  list->push_back(std::move(item));
}

class Walker {
 public:
  explicit Walker(int max_depth) : max_depth_(max_depth) {}

  // Each walk function returns false once a SerializationException is recorded in error_.
  bool Value(const Shape& s, const json::value& v, bool sensitive, int depth) {
    if (depth > max_depth_) {
      return Fail("Document nesting depth exceeds the maximum allowed (" +
                  std::to_string(max_depth_) + ")");
    }
    sensitive = sensitive || s.sensitive;
    switch (s.type) {
      case ShapeType::kStructure:
        return Structure(s, v, sensitive, depth);
      case ShapeType::kList:
        return List(s, v, sensitive, depth);
      case ShapeType::kMap:
        return Map(s, v, sensitive, depth);
      default:
        break;
    }
    std::vector<std::string> failures;
    if (!Scalar(s, v, Collecting() ? &failures : nullptr)) return false;
    for (auto& f : failures) Add(Subject(Echo(v), Redacted(s, sensitive)), f);
    return true;
  }

  Status Finish() const {
    if (error_) return *error_;
    if (violations_.empty()) return OkStatus();
    std::string msg = std::to_string(violations_.size()) + (violations_.size() == 1
                                                                ? " validation error detected: "
                                                                : " validation errors detected: ");
    for (std::size_t i = 0; i < violations_.size(); ++i) {
      if (i > 0) msg += "; ";
      msg += violations_[i];
    }
    return Error::InvalidParameter(std::move(msg));
  }

 private:
  static bool Redacted(const Shape& s, bool sensitive) {
    return sensitive || s.sensitive || s.type == ShapeType::kBlob;
  }
  static std::string Subject(const std::string& echo, bool redacted) {
    return redacted ? "Value" : "Value '" + echo + "'";
  }
  bool Collecting() const { return violations_.size() < kMaxViolations; }

  void Add(const std::string& subject, const std::string& constraint) {
    if (!Collecting()) return;
    violations_.push_back(subject + " at '" + path_ +
                          "' failed to satisfy constraint: " + constraint);
  }
  bool Fail(std::string message) {
    error_ = Error::Serialization(std::move(message));
    return false;
  }
  bool Mismatch(const Shape& s, const json::value& v) {
    if (v.is_object()) return Fail("Start of structure or map found where not expected.");
    if (v.is_array()) return Fail("Start of list found where not expected");
    if (s.type == ShapeType::kString) {
      return Fail(std::string("class ") +
                  (v.is_bool() ? "java.lang.Boolean"
                               : "com.amazon.coral.value.json.numbers.TruncatingBigNumber") +
                  " can not be converted to an String");
    }
    return Fail(std::string(TokenName(v)) + " can not be converted to " + TargetName(s.type));
  }

  // Checks one string against a string shape; constraint failures go to *failures when set.
  bool String(const Shape& s, std::string_view text, std::vector<std::string>* failures) {
    std::string error;
    std::optional<std::size_t> length = CountCodePoints(text, &error);
    if (!length) return Fail(std::move(error));
    if (failures == nullptr) return true;
    if (s.regex != nullptr && !s.regex->FullMatch(text)) {
      failures->push_back("Member must satisfy regular expression pattern: " + s.pattern);
    }
    RangeFailures(s, static_cast<long double>(*length), "length", failures);
    if (!s.enum_values.empty()) {
      bool found = false;
      for (const auto& e : s.enum_values) found = found || e == text;
      if (!found) failures->push_back("Member must satisfy enum value set: " + s.enum_text);
    }
    return true;
  }

  // Type-checks a non-null scalar and lists the constraints it breaks.
  bool Scalar(const Shape& s, const json::value& v, std::vector<std::string>* failures) {
    std::vector<std::string> ignored;
    std::vector<std::string>* out = failures != nullptr ? failures : &ignored;
    switch (s.type) {
      case ShapeType::kString:
        if (!v.is_string()) return Mismatch(s, v);
        return String(s, v.get_string(), failures);
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        if (!v.is_int64()) return Mismatch(s, v);  // doubles and values above INT64_MAX
        const std::int64_t n = v.get_int64();
        if (s.type == ShapeType::kInteger && (n < std::numeric_limits<std::int32_t>::min() ||
                                              n > std::numeric_limits<std::int32_t>::max())) {
          return Mismatch(s, v);
        }
        RangeFailures(s, static_cast<long double>(n), "value", out);
        return true;
      }
      case ShapeType::kDouble:
      case ShapeType::kTimestamp:
        if (!v.is_number()) return Mismatch(s, v);
        RangeFailures(s, v.to_number<long double>(), "value", out);
        return true;
      case ShapeType::kBoolean:
        return v.is_bool() ? true : Mismatch(s, v);
      case ShapeType::kBlob: {
        if (!v.is_string()) return Mismatch(s, v);
        std::optional<std::size_t> size = Base64DecodedSize(v.get_string());
        if (!size) return Fail("Invalid base64 encoded value");
        RangeFailures(s, static_cast<long double>(*size), "length", out);
        return true;
      }
      default:
        return Mismatch(s, v);
    }
  }

  // Appends ".segment" (or "segment" at the top) to path_ and restores it on destruction.
  class PathScope {
   public:
    PathScope(std::string& path, std::string_view segment) : path_(path), mark_(path.size()) {
      if (!path_.empty()) path_ += '.';
      path_ += segment;
    }
    ~PathScope() { path_.resize(mark_); }

   private:
    std::string& path_;
    std::size_t mark_;
  };

  bool Structure(const Shape& s, const json::value& v, bool sensitive, int depth) {
    if (!v.is_object()) return Mismatch(s, v);
    const json::object& obj = v.get_object();
    for (const Member& m : s.members) {
      const json::value* child = obj.if_contains(m.name);
      PathScope scope(path_, m.path_name);
      if (child == nullptr || child->is_null()) {
        if (m.required) Add("Value null", "Member must not be null");
      } else if (!Value(*m.shape, *child, sensitive, depth + 1)) {
        return false;
      }
    }
    return true;
  }

  bool List(const Shape& s, const json::value& v, bool sensitive, int depth) {
    if (!v.is_array()) return Mismatch(s, v);
    const json::array& arr = v.get_array();
    const Shape& m = *s.member;
    const bool scalars = !IsAggregate(m);
    // Rendered only when needed: most lists are valid.
    auto subject = [&] { return Subject(EchoList(arr), !scalars || Redacted(m, sensitive)); };
    if (Collecting()) {
      std::vector<std::string> failures;
      RangeFailures(s, static_cast<long double>(arr.size()), "length", &failures);
      for (auto& f : failures) Add(subject(), f);
    }
    if (scalars) {
      std::vector<std::string> failed;
      for (const json::value& e : arr) {
        std::vector<std::string> failures;
        if (e.is_null()) {
          failures.push_back("Member must not be null");
        } else if (!Scalar(m, e, Collecting() ? &failures : nullptr)) {
          return false;
        }
        for (auto& f : failures) AddDistinct(&failed, std::move(f));
      }
      if (!failed.empty()) {
        Add(subject(), "Member must satisfy constraint: " + JoinBracketed(failed));
      }
      return true;
    }
    for (std::size_t i = 0; i < arr.size(); ++i) {
      PathScope scope(path_, std::to_string(i + 1) + ".member");
      if (arr[i].is_null()) {
        Add("Value null", "Member must not be null");
      } else if (!Value(m, arr[i], sensitive, depth + 1)) {
        return false;
      }
    }
    return true;
  }

  bool Map(const Shape& s, const json::value& v, bool sensitive, int depth) {
    if (!v.is_object()) return Mismatch(s, v);
    const json::object& obj = v.get_object();
    const Shape& value_shape = *s.value;
    const bool scalars = !IsAggregate(value_shape);
    const bool redacted =
        !scalars || Redacted(*s.key, sensitive) || Redacted(value_shape, sensitive);
    auto subject = [&] { return Subject(EchoMap(obj), redacted); };
    if (Collecting()) {
      std::vector<std::string> failures;
      RangeFailures(s, static_cast<long double>(obj.size()), "length", &failures);
      for (auto& f : failures) Add(subject(), f);
    }
    std::vector<std::string> key_failed, value_failed;
    for (const auto& kv : obj) {
      std::vector<std::string> failures;
      std::vector<std::string>* sink = Collecting() ? &failures : nullptr;
      // JSON keys are strings; a non-string key shape has nothing else to check.
      if (s.key->type == ShapeType::kString && !String(*s.key, kv.key(), sink)) return false;
      for (auto& f : failures) AddDistinct(&key_failed, std::move(f));
      failures.clear();
      if (!scalars) {
        PathScope scope(path_, kv.key());
        if (kv.value().is_null()) {
          Add("Value null", "Member must not be null");
        } else if (!Value(value_shape, kv.value(), sensitive, depth + 1)) {
          return false;
        }
        continue;
      }
      if (kv.value().is_null()) {
        failures.push_back("Member must not be null");
      } else if (!Scalar(value_shape, kv.value(), sink)) {
        return false;
      }
      for (auto& f : failures) AddDistinct(&value_failed, std::move(f));
    }
    if (!key_failed.empty()) {
      Add(subject(), "Map keys must satisfy constraint: " + JoinBracketed(key_failed));
    }
    if (!value_failed.empty()) {
      Add(subject(), "Map value must satisfy constraint: " + JoinBracketed(value_failed));
    }
    return true;
  }

  int max_depth_;
  std::string path_;
  std::vector<std::string> violations_;
  std::optional<Error> error_;
};

}  // namespace

Status Validate(const Shape* input, const json::value& body, int max_depth) {
  static const json::value kEmpty = json::object();
  const json::value& root = body.is_null() ? kEmpty : body;
  if (!root.is_object()) {
    if (root.is_array()) return Error::Serialization("Start of list found where not expected");
    return Error::Serialization(std::string(TokenName(root)) + " can not be converted to " +
                                TargetName(ShapeType::kStructure));
  }
  if (input == nullptr) return OkStatus();
  Walker walker(max_depth);
  walker.Value(*input, root, false, 0);
  return walker.Finish();
}

}  // namespace cognate::api::model_internal
