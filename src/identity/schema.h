#pragma once
// A user pool's attribute schema (UserPoolType.SchemaAttributes): Cognito's standard attribute
// list, merged with the Schema of CreateUserPool, and extended by AddCustomAttributes.
//
// Entries are SchemaAttributeType JSON objects in Cognito's member order. Custom attributes are
// stored under their full name "custom:<name>". Constraint values are JSON strings, as on the
// wire.
//
// Choices where Cognito's behaviour is not documented:
// - A custom attribute without AttributeDataType is a String.
// - Custom attributes may be String, Number, DateTime or Boolean (the model's enum); the docs
//   mention String and Number only, but the model accepts all four and so do we.
// - Constraint members of the wrong kind (string constraints on a Number) are dropped.

#include <boost/json/array.hpp>
#include <string_view>

#include "common/result.h"

namespace cognate::identity {

inline constexpr int kMaxCustomAttributes = 50;
inline constexpr int kMaxCustomNameLength = 20;
inline constexpr std::string_view kCustomPrefix = "custom:";

// The standard attributes every pool starts with, in Cognito's order.
boost::json::array StandardSchema();

// SchemaAttributes for a new pool: the standard list with the request's settings for standard
// attributes applied, followed by the request's custom attributes. `request_schema` may be null.
Result<boost::json::array> BuildSchema(const boost::json::array* request_schema);

// `schema` extended with AddCustomAttributes' `custom` list (names without the prefix).
Result<boost::json::array> AddCustomAttributesToSchema(const boost::json::array& schema,
                                                       const boost::json::array& custom);

// True when the schema has an attribute with this full name ("email", "custom:tier").
bool SchemaHasAttribute(const boost::json::array& schema, std::string_view name);

// The entry of a stored pool config's SchemaAttributes named `name`, or nullptr.
const boost::json::object* FindSchemaAttribute(const boost::json::object& pool_config,
                                               std::string_view name);
// True when the pool's schema marks `name` Required.
bool IsRequiredAttribute(const boost::json::object& pool_config, std::string_view name);

}  // namespace cognate::identity
