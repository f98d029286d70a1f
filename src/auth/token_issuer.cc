#include "auth/token_issuer.h"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <charconv>
#include <utility>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "identity/json_fields.h"
#include "identity/token_validity.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

constexpr std::size_t kRefreshTokenBytes = 32;
constexpr int kGroupPageSize = 60;

// An attribute's value as an ID token claim.
json::value ClaimValue(std::string_view name, const json::value& value) {
  if (!value.is_string()) return value;
  std::string_view text = value.get_string();
  // Federated users keep their identities as JSON text; the claim is the array itself.
  if (name == "identities") {
    boost::system::error_code ec;
    json::value parsed = json::parse(text, ec);
    if (!ec && parsed.is_array()) return parsed;
    return value;
  }
  if (name == "email_verified" || name == "phone_number_verified") return text == "true";
  if (name == "updated_at") {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc() && end == text.data() + text.size()) return n;
  }
  return value;
}

// The user's attributes the client may read, in claim form, without sub.
Result<json::object> IdAttributes(const identity::ClientContext& client,
                                  const store::UserRecord& user) {
  Result<json::object> stored = identity::UserDirectory::Attributes(user);
  if (!stored.ok()) return std::move(stored).error();
  const json::array* readable = identity::GetArray(client.config, "ReadAttributes");
  json::object claims;
  for (const auto& kv : *stored) {
    if (kv.key() == "sub") continue;
    if (readable != nullptr && !readable->empty() && !identity::Contains(*readable, kv.key()))
      continue;
    claims[kv.key()] = ClaimValue(kv.key(), kv.value());
  }
  return claims;
}

// Lowest precedence first, groups without precedence last, then by name.
bool GroupBefore(const store::GroupRecord& a, const store::GroupRecord& b) {
  if (a.precedence.has_value() != b.precedence.has_value()) return a.precedence.has_value();
  if (a.precedence && *a.precedence != *b.precedence) return *a.precedence < *b.precedence;
  return a.name < b.name;
}

// OAuth scopes: the access token's scope claim, and an ID token only with openid.
void ApplyScope(const std::string& scope, token::IssueRequest& request) {
  request.scope = scope;
  request.with_id_token = (" " + scope + " ").find(" openid ") != std::string::npos;
}

}  // namespace

TokenIssuer::TokenIssuer(store::Stores& stores, token::TokenService& tokens, const Clock& clock)
    : stores_(stores), tokens_(tokens), clock_(clock) {}

std::string TokenIssuer::HashRefreshToken(std::string_view token) {
  return crypto::HexEncode(crypto::Sha256(token));
}

bool TokenIssuer::RevocationEnabled(const json::object& client_config) {
  return identity::GetBool(client_config, "EnableTokenRevocation").value_or(true);
}

json::object TokenIssuer::AuthenticationResult(const token::IssuedTokens& tokens,
                                               const std::string& refresh_token) {
  json::object result{{"AccessToken", tokens.access_token},
                      {"ExpiresIn", tokens.expires_in},
                      {"TokenType", "Bearer"}};
  if (!refresh_token.empty()) result["RefreshToken"] = refresh_token;
  if (!tokens.id_token.empty()) result["IdToken"] = tokens.id_token;
  return result;
}

Status TokenIssuer::AddGroups(const identity::PoolContext& pool, const store::UserRecord& user,
                              token::IssueRequest& request) {
  std::vector<store::GroupRecord> groups;
  std::string after;
  do {
    auto page =
        stores_.groups->ListGroupsForUser(pool.id(), user.username_key, after, kGroupPageSize);
    if (!page.ok()) return std::move(page).error();
    for (store::GroupRecord& g : page->items) groups.push_back(std::move(g));
    after = page->next_after;
  } while (!after.empty());
  std::sort(groups.begin(), groups.end(), GroupBefore);
  for (const store::GroupRecord& g : groups) {
    request.groups.push_back(g.name);
    if (g.role_arn.empty()) continue;
    if (request.preferred_role.empty()) request.preferred_role = g.role_arn;
    if (std::find(request.roles.begin(), request.roles.end(), g.role_arn) == request.roles.end())
      request.roles.push_back(g.role_arn);
  }
  return OkStatus();
}

Result<token::IssueRequest> TokenIssuer::BuildRequest(const identity::PoolContext& pool,
                                                      const identity::ClientContext& client,
                                                      const store::UserRecord& user,
                                                      const std::string& origin_jti,
                                                      int64_t auth_time_s) {
  token::IssueRequest request;
  request.pool_id = pool.id();
  request.client_id = client.id();
  request.sub = user.sub;
  request.username = user.username;
  Result<json::object> attributes = IdAttributes(client, user);
  if (!attributes.ok()) return std::move(attributes).error();
  request.id_attributes = std::move(*attributes);
  COGNATE_RETURN_IF_ERROR(AddGroups(pool, user, request));
  if (RevocationEnabled(client.config)) request.origin_jti = origin_jti;
  request.event_id = crypto::RandomUuid();
  request.auth_time_s = auth_time_s;
  identity::TokenLifetimes lifetimes = identity::EffectiveTokenLifetimes(client.config);
  request.id_validity_s = lifetimes.id_seconds;
  request.access_validity_s = lifetimes.access_seconds;
  return request;
}

NewRefreshToken TokenIssuer::MakeRefreshToken(const identity::ClientContext& client,
                                              const store::UserRecord& user,
                                              const std::string& origin_jti,
                                              int64_t auth_time_s,
                                              const std::string& scope) const {
  NewRefreshToken out;
  out.token = crypto::Base64UrlEncode(crypto::RandomBytes(kRefreshTokenBytes));
  int64_t now_ms = clock_.NowMs();
  store::RefreshTokenRecord& r = out.record;
  r.token_hash = HashRefreshToken(out.token);
  r.pool_id = client.record.pool_id;
  r.client_id = client.id();
  r.username_key = user.username_key;
  r.origin_jti = origin_jti;
  r.auth_time_s = auth_time_s;
  r.scope = scope;
  r.created_ms = now_ms;
  r.expires_ms = now_ms + identity::EffectiveTokenLifetimes(client.config).refresh_seconds * 1000;
  return out;
}

Result<json::object> TokenIssuer::SignIn(const identity::PoolContext& pool,
                                         const identity::ClientContext& client,
                                         const store::UserRecord& user, const ClaimsHook& hook) {
  std::string origin_jti = crypto::RandomUuid();
  int64_t auth_time_s = clock_.NowSeconds();
  Result<token::IssueRequest> request = BuildRequest(pool, client, user, origin_jti, auth_time_s);
  if (!request.ok()) return std::move(request).error();
  if (hook) COGNATE_RETURN_IF_ERROR(hook(*request));
  Result<token::IssuedTokens> tokens = tokens_.Issue(*request);
  if (!tokens.ok()) return std::move(tokens).error();
  NewRefreshToken refresh = MakeRefreshToken(client, user, origin_jti, auth_time_s);
  COGNATE_RETURN_IF_ERROR(stores_.refresh_tokens->PutRefreshToken(refresh.record));
  return json::object{{"ChallengeParameters", json::object()},
                      {"AuthenticationResult", AuthenticationResult(*tokens, refresh.token)}};
}

Result<SessionTokens> TokenIssuer::Authorize(const identity::PoolContext& pool,
                                              const identity::ClientContext& client,
                                              const store::UserRecord& user,
                                              const OAuthGrant& grant, const ClaimsHook& hook) {
  Result<token::IssueRequest> request =
      BuildRequest(pool, client, user, grant.origin_jti, grant.auth_time_s);
  if (!request.ok()) return std::move(request).error();
  ApplyScope(grant.scope, *request);
  request->nonce = grant.nonce;
  if (hook) COGNATE_RETURN_IF_ERROR(hook(*request));
  Result<token::IssuedTokens> tokens = tokens_.Issue(*request);
  if (!tokens.ok()) return std::move(tokens).error();
  NewRefreshToken refresh =
      MakeRefreshToken(client, user, grant.origin_jti, grant.auth_time_s, grant.scope);
  COGNATE_RETURN_IF_ERROR(stores_.refresh_tokens->PutRefreshToken(refresh.record));
  return SessionTokens{std::move(*tokens), std::move(refresh.token)};
}

Result<token::IssuedTokens> TokenIssuer::Reissue(const identity::PoolContext& pool,
                                                 const identity::ClientContext& client,
                                                 const store::UserRecord& user,
                                                 const store::RefreshTokenRecord& session,
                                                 const ClaimsHook& hook) {
  Result<token::IssueRequest> request =
      BuildRequest(pool, client, user, session.origin_jti, session.auth_time_s);
  if (!request.ok()) return std::move(request).error();
  if (!session.scope.empty()) ApplyScope(session.scope, *request);
  if (hook) COGNATE_RETURN_IF_ERROR(hook(*request));
  return tokens_.Issue(*request);
}

}  // namespace cognate::auth
