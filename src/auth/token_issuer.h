#pragma once
// Turns a signed-in user into Cognito's AuthenticationResult: the ID and access tokens (signed
// by token::TokenService) and the refresh token of the sign-in session.
//
// Sessions: every sign-in starts a session named by a fresh UUID, its origin_jti. The ID and
// access tokens carry it (with a per-token jti) only when the client has EnableTokenRevocation,
// as on Cognito; the stored refresh token always keeps it, so rotation and reuse detection work
// either way. Refreshes keep the session's origin_jti and original auth_time.
//
// Refresh tokens are 32 random bytes in base64url (the model's TokenModelType alphabet), opaque
// to clients. Only their hex SHA-256 is stored (store::RefreshTokenRecord), so a database leak
// does not leak usable tokens; a lookup by that hash is an exact-match index probe and reveals
// nothing usable about other tokens' values.
//
// Claims: the ID token gets the user's attributes the client may read (ReadAttributes; all when
// the client lists none) in claim form: email_verified/phone_number_verified as booleans,
// updated_at as a number, everything else (custom:* included) as strings; sub is its own claim.
// cognito:groups lists the user's groups by precedence (lowest first, groups without one last),
// then name; cognito:roles their role ARNs in that order and cognito:preferred_role the first.
//
// Thread-safe: no mutable state of its own.

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "identity/user_directory.h"
#include "store/stores.h"
#include "token/token_service.h"

namespace cognate::auth {

// A freshly made refresh token and the record to store for it.
struct NewRefreshToken {
  std::string token;  // what the client gets; never stored
  store::RefreshTokenRecord record;
};

// What an OAuth 2.0 authorization code carries into the tokens (oauth/).
struct OAuthGrant {
  std::string scope;        // granted scopes, space-separated
  std::string nonce;        // the client's, for the ID token; "" for none
  std::string origin_jti;   // chosen with the code, so that a replayed code can revoke it
  int64_t auth_time_s = 0;  // when the user signed in on the hosted pages
};

// Tokens of a new session and its refresh token.
struct SessionTokens {
  token::IssuedTokens tokens;
  std::string refresh_token;
};

class TokenIssuer {
 public:
  // Changes the request just before the tokens are signed (the PreTokenGeneration trigger); an
  // error stops the issue, before anything is stored.
  using ClaimsHook = std::function<Status(token::IssueRequest&)>;

  // All three must outlive the issuer.
  TokenIssuer(store::Stores& stores, token::TokenService& tokens, const Clock& clock);

  // A completed sign-in: a new session, its ID/access tokens and its stored refresh token.
  // Returns the response members {"ChallengeParameters": {}, "AuthenticationResult": {...}}.
  Result<boost::json::object> SignIn(const identity::PoolContext& pool,
                                     const identity::ClientContext& client,
                                     const store::UserRecord& user,
                                     const ClaimsHook& hook = nullptr);

  // A completed authorization-code grant: a session named by grant.origin_jti, tokens with the
  // granted scopes (an ID token only with openid) and a stored refresh token keeping them.
  Result<SessionTokens> Authorize(const identity::PoolContext& pool,
                                  const identity::ClientContext& client,
                                  const store::UserRecord& user, const OAuthGrant& grant,
                                  const ClaimsHook& hook = nullptr);

  // New ID and access tokens for the session `session` (a stored refresh token) belongs to.
  Result<token::IssuedTokens> Reissue(const identity::PoolContext& pool,
                                      const identity::ClientContext& client,
                                      const store::UserRecord& user,
                                      const store::RefreshTokenRecord& session,
                                      const ClaimsHook& hook = nullptr);

  // A new refresh token for `client` and `user` in session `origin_jti`, valid for the client's
  // refresh validity from now, keeping the session's OAuth `scope` ("" for API sign-ins). The
  // caller stores `record` (put or rotate).
  NewRefreshToken MakeRefreshToken(const identity::ClientContext& client,
                                   const store::UserRecord& user, const std::string& origin_jti,
                                   int64_t auth_time_s, const std::string& scope = "") const;

  // The IssueRequest for `user` in session `origin_jti` (exposed for tests).
  Result<token::IssueRequest> BuildRequest(const identity::PoolContext& pool,
                                           const identity::ClientContext& client,
                                           const store::UserRecord& user,
                                           const std::string& origin_jti, int64_t auth_time_s);

  // Hex SHA-256 of an opaque refresh token: the key it is stored under.
  static std::string HashRefreshToken(std::string_view token);
  // EnableTokenRevocation of a client config (Cognito's default, true, when absent).
  static bool RevocationEnabled(const boost::json::object& client_config);
  // AuthenticationResultType: AccessToken, ExpiresIn, TokenType, RefreshToken and IdToken (each
  // when non-empty).
  static boost::json::object AuthenticationResult(const token::IssuedTokens& tokens,
                                                  const std::string& refresh_token);

 private:
  Status AddGroups(const identity::PoolContext& pool, const store::UserRecord& user,
                   token::IssueRequest& request);

  store::Stores& stores_;
  token::TokenService& tokens_;
  const Clock& clock_;
};

}  // namespace cognate::auth
