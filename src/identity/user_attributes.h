#pragma once
// User attributes checked against a pool's SchemaAttributes (schema.h), Cognito style.
//
// ValidateAttributes() checks an AttributeType list ([{"Name":..,"Value":..}]) in this order and
// reports the first failure:
//  1. More than kMaxAttributesPerRequest items, an item without a string Name, a Value that is
//     not a string, or a name given twice: InvalidParameterException.
//  2. Names not in the schema, all listed, one line each (Cognito's wording):
//       creation modes: "Attributes did not conform to the schema: <name>: Attribute does not
//                        exist in the schema.\n"
//       update modes:   "user.<name>: Attribute does not exist in the schema.\n"
//     Custom attributes are addressed by their full name "custom:<name>", as stored.
//  3. Per attribute, in list order:
//     - sub and identities are never writable; an immutable attribute (Mutable false) only at
//       creation: InvalidParameterException "<prefix><name>: Attribute cannot be updated.
//       (changing an immutable attribute)\n" with the prefix of step 2.
//     - Developer-only attributes and email_verified / phone_number_verified from the
//       client-facing modes (kSignUp, kUserUpdate): NotAuthorizedException "A client attempted
//       to write unauthorized attribute" (users must not verify their own addresses).
//     - Length in code points outside StringAttributeConstraints, or over
//       kMaxAttributeValueLength for any type: "Invalid length for attribute <name>".
//     - Number: an integer within NumberAttributeConstraints; Boolean (email_verified, ...):
//       "true" or "false"; otherwise "Invalid value for attribute <name>".
//     - email: "Invalid email address format."; phone_number: "Invalid phone number format."
// A missing Value is "". The app client's ReadAttributes/WriteAttributes are the caller's to
// check (also "A client attempted to write unauthorized attribute").
//
// CheckRequiredAttributes() is for SignUp (AdminCreateUser may omit required attributes, as on
// Cognito): every Required attribute except sub needs a non-empty value, else
// InvalidParameterException "Attributes did not conform to the schema: <name>: The attribute
// <name> is required", several joined with ", " in schema order.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cognate::identity {

enum class AttributeWriteMode { kSignUp, kAdminCreate, kUserUpdate, kAdminUpdate };

inline constexpr size_t kMaxAttributesPerRequest = 50;
inline constexpr size_t kMaxAttributeValueLength = 2048;

// The checked attributes as a name -> value (JSON string) object, in list order.
Result<boost::json::object> ValidateAttributes(const boost::json::object& pool_config,
                                               const boost::json::array& attribute_list,
                                               AttributeWriteMode mode);

// App-client write permission: every name must be in the client's WriteAttributes (absent or
// empty = no restriction), required attributes always being writable; else
// NotAuthorizedException "A client attempted to write unauthorized attribute".
Status CheckClientMayWrite(const boost::json::object& pool_config,
                           const boost::json::object& client_config,
                           const std::vector<std::string>& names);

Status CheckRequiredAttributes(const boost::json::object& pool_config,
                               const boost::json::object& attrs);

// Syntax only: one "@", a dot-separated domain of letters, digits and hyphens (any non-ASCII
// allowed for IDNs), no spaces or control characters.
bool LooksLikeEmail(std::string_view value);
// E.164: "+", a non-zero digit, 5 to 15 digits in all.
bool IsE164PhoneNumber(std::string_view value);

}  // namespace cognate::identity
