#pragma once
// Identifiers in Cognito's formats, ARNs, and the opaque NextToken of the pool and client
// listings.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cognate::identity {

// "<region>_<9 chars of [A-Za-z0-9]>", e.g. "us-east-1_AbC123xyZ".
std::string NewPoolId(std::string_view region);
// 26 lowercase alphanumerics, like Cognito's app client ids.
std::string NewClientId();
// 51 lowercase alphanumerics: the shape of the secrets Cognito generates.
std::string NewClientSecret();

std::string PoolArn(std::string_view region, std::string_view account_id, std::string_view pool_id);

// True when `id` has the shape of a user pool id (model pattern [\w-]+_[0-9a-zA-Z]+).
bool IsPoolIdShape(std::string_view id);
// True when `id` has the shape of a client id (model pattern [\w+]+).
bool IsClientIdShape(std::string_view id);

// The page size of a listing: MaxResults clamped to 1..60, 60 when absent.
int PageSize(std::optional<int64_t> max_results);

// NextToken: base64url of the store's `next_after` id. Decoding returns nullopt for a token this
// server did not make (not base64url, or not an id of the listed kind).
std::string EncodePageToken(std::string_view next_after);
std::optional<std::string> DecodePoolPageToken(std::string_view token);
std::optional<std::string> DecodeClientPageToken(std::string_view token);

// Tokens of listings over pool documents, whose ids have no shape of their own: `tag` tells one
// listing's tokens from another's. Decoding returns nullopt for a token without the tag or id.
std::string EncodeTaggedPageToken(std::string_view tag, std::string_view next_after);
std::optional<std::string> DecodeTaggedPageToken(std::string_view tag, std::string_view token);

}  // namespace cognate::identity
