// Loads the embedded Cognito model into linked Shape records and compiles its patterns once.

#include "api/cognito/service_model.h"

#include <boost/json/parse.hpp>
#include <cctype>
#include <stdexcept>
#include <utility>

#include "api/cognito/service_model_internal.h"

namespace cognate::model {
extern const std::string_view kServiceModelJson;
}  // namespace cognate::model

namespace cognate::api {
namespace json = boost::json;
using model_internal::Shape;
using model_internal::ShapeType;

namespace {

ShapeType ParseType(std::string_view type, std::string_view shape) {
  static const std::pair<std::string_view, ShapeType> kTypes[] = {
      {"structure", ShapeType::kStructure},
      {"list", ShapeType::kList},
      {"map", ShapeType::kMap},
      {"string", ShapeType::kString},
      {"integer", ShapeType::kInteger},
      {"long", ShapeType::kLong},
      {"boolean", ShapeType::kBoolean},
      {"double", ShapeType::kDouble},
      {"float", ShapeType::kDouble},
      {"timestamp", ShapeType::kTimestamp},
      {"blob", ShapeType::kBlob},
  };
  for (const auto& [name, value] : kTypes) {
    if (name == type) return value;
  }
  throw std::runtime_error("service model: shape " + std::string(shape) + " has unknown type " +
                           std::string(type));
}

// Coral's path segments: the model member name with its first letter lower-cased
// ("PoolName" -> "poolName", "SSESpecification" -> "sSESpecification").
std::string PathName(std::string_view member) {
  std::string out(member);
  if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

std::optional<std::int64_t> Bound(const json::object& shape, std::string_view key) {
  const json::value* v = shape.if_contains(key);
  if (v == nullptr) return std::nullopt;
  // Model bounds are integers; a fractional one would be a model change worth failing on.
  return v->to_number<std::int64_t>();
}

std::string JoinEnum(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += values[i];
  }
  return out + "]";
}

}  // namespace

ServiceModel::ServiceModel(std::string_view model_json) : impl_(std::make_unique<Impl>()) {
  const json::object root = json::parse(model_json).as_object();
  const json::object& shapes = root.at("shapes").as_object();
  auto& out = impl_->shapes;

  // Two passes: create every shape first so the second pass can link members by address.
  for (const auto& kv : shapes) {
    Shape& s = out[std::string(kv.key())];
    s.name = kv.key();
    s.type = ParseType(kv.value().at("type").as_string(), s.name);
  }
  auto link = [&](const json::value& ref, const std::string& from) -> const Shape* {
    auto it = out.find(std::string_view(ref.at("shape").as_string()));
    if (it == out.end()) throw std::runtime_error("service model: dangling shape in " + from);
    return &it->second;
  };
  for (const auto& kv : shapes) {
    const json::object& src = kv.value().as_object();
    Shape& s = out.find(std::string_view(kv.key()))->second;
    if (const json::value* v = src.if_contains("sensitive")) s.sensitive = v->as_bool();
    s.min = Bound(src, "min");
    s.max = Bound(src, "max");
    if (const json::value* v = src.if_contains("pattern")) {
      s.pattern = v->as_string();
      auto re = impl_->regexes.find(s.pattern);
      if (re == impl_->regexes.end()) {
        std::string error;
        re = impl_->regexes.emplace(s.pattern, model_internal::Regex::Compile(s.pattern, &error))
                 .first;
        if (re->second == nullptr) impl_->skipped_patterns.push_back(s.pattern);
      }
      s.regex = re->second.get();
    }
    if (const json::value* v = src.if_contains("enum")) {
      for (const json::value& e : v->as_array()) s.enum_values.emplace_back(e.as_string());
      s.enum_text = JoinEnum(s.enum_values);
    }
    if (const json::value* v = src.if_contains("members")) {
      for (const auto& m : v->as_object()) {
        s.members.push_back({std::string(m.key()), PathName(m.key()), link(m.value(), s.name)});
      }
    }
    if (const json::value* v = src.if_contains("required")) {
      for (const json::value& r : v->as_array()) {
        for (auto& m : s.members) {
          if (m.name == r.as_string()) m.required = true;
        }
      }
    }
    if (const json::value* v = src.if_contains("member")) s.member = link(*v, s.name);
    if (const json::value* v = src.if_contains("key")) s.key = link(*v, s.name);
    if (const json::value* v = src.if_contains("value")) s.value = link(*v, s.name);
    bool complete = (s.type != ShapeType::kList || s.member != nullptr) &&
                    (s.type != ShapeType::kMap || (s.key != nullptr && s.value != nullptr));
    if (!complete) throw std::runtime_error("service model: incomplete shape " + s.name);
  }

  for (const auto& kv : root.at("operations").as_object()) {
    const json::object& src = kv.value().as_object();
    OperationInfo op;
    op.name = kv.key();
    if (const json::value* v = src.if_contains("input")) op.input_shape = v->as_string();
    if (const json::value* v = src.if_contains("output")) op.output_shape = v->as_string();
    if (const json::value* v = src.if_contains("noAuth")) op.no_auth = v->as_bool();
    if (const json::value* v = src.if_contains("errors")) {
      for (const json::value& e : v->as_array()) op.errors.emplace_back(e.as_string());
    }
    if (!op.input_shape.empty() && !out.contains(op.input_shape)) {
      throw std::runtime_error("service model: missing input shape of " + op.name);
    }
    impl_->operations.emplace(op.name, std::move(op));
  }
}

ServiceModel::~ServiceModel() = default;

const ServiceModel& ServiceModel::Get() {
  static const ServiceModel model(model::kServiceModelJson);
  return model;
}

const OperationInfo* ServiceModel::FindOperation(std::string_view name) const {
  auto it = impl_->operations.find(name);
  return it == impl_->operations.end() ? nullptr : &it->second;
}

Status ServiceModel::ValidateInput(const OperationInfo& op, const boost::json::value& body) const {
  const Shape* input = nullptr;
  if (!op.input_shape.empty()) {
    auto it = impl_->shapes.find(op.input_shape);
    if (it == impl_->shapes.end()) return Error::Internal();
    input = &it->second;
  }
  return model_internal::Validate(input, body);
}

const std::vector<std::string>& ServiceModel::SkippedPatterns() const {
  return impl_->skipped_patterns;
}

std::vector<std::string> ServiceModel::AllPatterns() const {
  std::vector<std::string> out;
  for (const auto& kv : impl_->regexes) out.push_back(kv.first);
  return out;
}

}  // namespace cognate::api
