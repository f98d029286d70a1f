#pragma once
// A pool's password policy (Policies.PasswordPolicy of its config_json, pool_config.h), checked
// the way Cognito reports it, and temporary passwords that satisfy it.
//
// Rules, checked in this order; the first that fails is the one reported (InvalidPasswordException,
// "Password did not conform with policy: <rule>"):
//   MinimumLength    "Password not long enough"; length in Unicode code points
//   RequireUppercase "Password must have uppercase characters"  (A-Z)
//   RequireLowercase "Password must have lowercase characters"  (a-z)
//   RequireNumbers   "Password must have numeric characters"    (0-9)
//   RequireSymbols   "Password must have symbol characters"     (kPasswordSymbols, space included)
//   (every pool)     "Password is too common"  listed in the active blocklist
//                                               (password_blocklist.h; Cognate's addition)
// Defaults match pool_config.cc: no PasswordPolicy at all means Cognito's default policy (8, all
// four classes); a partial one means MinimumLength 8 and missing Require* flags false.
// The model's length limits (6..256) and pattern are checked before, at the protocol edge.

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cognate::identity {

// Cognito's special characters (user-pool-settings-policies), plus the space.
inline constexpr std::string_view kPasswordSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

// Length of generated temporary passwords unless the policy asks for more.
inline constexpr size_t kTemporaryPasswordLength = 12;

Status CheckPasswordPolicy(const boost::json::object& pool_config, std::string_view password);

// A random password of max(kTemporaryPasswordLength, MinimumLength) characters holding at least
// one uppercase letter, lowercase letter, digit and symbol whatever the policy requires, so it
// also survives a later policy change. Symbols are limited to ones that read unambiguously in an
// email or SMS (no quotes, spaces, brackets or backslash).
std::string GenerateTemporaryPassword(const boost::json::object& pool_config);

}  // namespace cognate::identity
