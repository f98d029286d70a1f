#pragma once
// The PreTokenGeneration trigger (cognito-wire.md §7.2): the event's request for the tokens
// about to be issued, and the receiver's answer applied to them.
//
// Versions: LambdaConfig.PreTokenGeneration alone, or PreTokenGenerationConfig.LambdaVersion
// V1_0, sends a version "1" event; its claimsOverrideDetails change the ID token only, with
// string claim values. V2_0 (version "2") and V3_0 ("3") add `scopes` to the request and
// answer claimsAndScopeOverrideDetails: idTokenGeneration and accessTokenGeneration
// (claimsToAddOrOverride with any JSON values, claimsToSuppress; for the access token also
// scopesToAdd and scopesToSuppress). Either version's groupOverrideDetails, when it is an
// object, replaces cognito:groups (both tokens), cognito:roles and cognito:preferred_role, a
// member it leaves out removing that claim. Protected claims (token::IsProtectedClaim) are
// never changed, and a claim both added and suppressed is suppressed (token::ClaimOverrides).
//
// An answer of the wrong shape (a non-object override, a non-string V1 value or scope, more
// than kMaxOverrideEntries items in a list or map, claims larger than kMaxOverrideBytes) is
// InvalidLambdaResponseException "Invalid lambda function output : <member> <problem>";
// null or absent members mean "no change".

#include <boost/json/object.hpp>
#include <cstddef>
#include <string_view>

#include "common/result.h"
#include "token/token_service.h"

namespace cognate::auth {

// What the tokens are issued for; names the event's triggerSource.
enum class TokenEvent { kAuthentication, kNewPasswordChallenge, kRefreshTokens, kHostedAuth };

inline constexpr std::size_t kMaxOverrideEntries = 100;
inline constexpr std::size_t kMaxOverrideBytes = 16 * 1024;

// "TokenGeneration_Authentication", "TokenGeneration_NewPasswordChallenge",
// "TokenGeneration_RefreshTokens", "TokenGeneration_HostedAuth".
std::string_view TokenTriggerSource(TokenEvent event);

// The event version a pool's config asks for: 1, 2 or 3.
int PreTokenVersion(const boost::json::object& pool_config);

// The event's `request`: userAttributes, groupConfiguration {groupsToOverride,
// iamRolesToOverride, preferredRole (null when none)} from `tokens`, clientMetadata (left out
// when empty), and for versions 2 and 3 `scopes` (the access token's).
boost::json::object PreTokenRequest(const boost::json::object& user_attributes,
                                    const token::IssueRequest& tokens,
                                    const boost::json::object& client_metadata, int version);

// Applies the event's `response` to `tokens`.
Status ApplyPreTokenResponse(const boost::json::object& response, int version,
                             token::IssueRequest& tokens);

}  // namespace cognate::auth
