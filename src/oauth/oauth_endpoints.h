#pragma once
// A pool domain's OAuth 2.0 / OpenID Connect endpoints and hosted pages (cognito-wire.md §8):
//   /oauth2/authorize      start: checks (authorize_request.h), then the hosted sign-in page,
//                          an upstream identity provider, or straight back with a code when
//                          the browser already has a session (not with prompt=login)
//   /login /signup /confirm /forgotPassword /confirmForgotPassword /challenge /resendCode
//                          the hosted pages (hosted_*.cc), CSRF-checked, 303 after a POST
//   /oauth2/idpresponse    the callback of upstream identity providers
//   /oauth2/token          authorization_code (PKCE checked, codes single use: a replayed
//                          code revokes the tokens it issued), refresh_token,
//                          client_credentials
//   /oauth2/userInfo       the user's claims for an OAuth access token with openid
//   /oauth2/revoke         revokes a refresh token's session
//   /logout                ends the browser session; logout_uri must be one of LogoutURLs
// See site.h for where these answer. Blocking work (password hashing, upstream calls, fsync)
// runs on the worker pool. Thread-safe: no mutable state.

#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <string>
#include <variant>
#include <vector>

#include "api/router.h"
#include "auth/access_guard.h"
#include "auth/sign_in_service.h"
#include "common/clock.h"
#include "common/worker_pool.h"
#include "federation/federation.h"
#include "hosted/pages.h"
#include "http/message.h"
#include "identity/user_directory.h"
#include "identity/user_service.h"
#include "oauth/authorize_request.h"
#include "oauth/site.h"
#include "oauth/tickets.h"
#include "oauth/web.h"
#include "token/token_service.h"

namespace cognate::oauth {

struct OAuthServices {
  identity::UserDirectory& directory;
  auth::SignInService& sign_in;
  identity::UserService& users;
  token::TokenService& tokens;
  auth::AccessGuard& guard;
  federation::Federation* federation = nullptr;  // null: no upstream providers
  WorkerPool* workers = nullptr;                 // null: everything inline (tests)
};

class OAuthEndpoints : public api::Endpoints {
 public:
  // `base_domain`: see site.h. Everything must outlive the endpoints.
  OAuthEndpoints(const OAuthServices& services, std::string public_url, std::string base_domain);

  bool Claims(const http::Request& request) const override;
  void Serve(http::Request request, std::function<void(http::Response)> respond) const override;
  http::Response Handle(const http::Request& request) const;

 private:
  // One request with its site and parsed query.
  struct Call {
    const http::Request& request;
    const Site& site;
    const Form& query;
  };
  // A page about to be rendered: its frame and form, and the CSRF cookie to set when the
  // browser has none yet.
  struct PageParts {
    hosted::PageFrame page;
    hosted::FormFrame form;
    std::string new_csrf_cookie;
    std::string redirect_origin;  // where a successful POST of this page may redirect
  };

  http::Response Route(const Call& call) const;

  // authorize_endpoint.cc
  http::Response Authorize(const Call& call) const;
  http::Response StartFederation(const Call& call, const AuthorizeContext& context,
                                 const std::string& provider) const;
  http::Response IdpResponse(const Call& call) const;
  // The end of every successful sign-in: a browser session and a code for the client.
  http::Response CompleteAuthorization(const Call& call, const AuthorizeContext& context,
                                       const std::string& username_key, int64_t auth_time_s,
                                       bool after_post, bool new_session) const;
  // The authorization the hosted page carries, or the response that refuses it.
  std::variant<AuthorizeContext, http::Response> Recheck(const Call& call) const;

  // token_endpoint.cc
  // The form of a token or revocation request and the client it authenticates.
  Result<std::pair<Form, identity::ClientContext>> ClientForm(const Call& call) const;
  http::Response Token(const Call& call) const;
  http::Response AuthorizationCodeGrant(const Call& call, const Form& form,
                                        const identity::ClientContext& client) const;
  http::Response RefreshGrant(const Form& form, const identity::ClientContext& client) const;
  http::Response UserInfo(const Call& call) const;
  http::Response Revoke(const Call& call) const;
  http::Response Logout(const Call& call) const;

  // hosted_login.cc
  http::Response LoginPage(const Call& call, const AuthorizeContext& context,
                           const std::string& error, const std::string& username,
                           int status) const;
  http::Response Login(const Call& call) const;
  // Shows or answers the current challenge of a sign-in (the flow cookie).
  http::Response Challenge(const Call& call) const;
  // The page of the flow's challenge, with `error` from a refused answer.
  http::Response ChallengePage(const Call& call, const AuthorizeContext& context,
                               const boost::json::object& flow, const std::string& error,
                               int status) const;
  // What a sign-in step answered: the next challenge page, or the authorization's end.
  http::Response AfterSignInStep(const Call& call, const AuthorizeContext& context,
                                 const boost::json::object& answer,
                                 const std::string& username) const;

  // hosted_account.cc
  http::Response SignUp(const Call& call) const;
  http::Response Confirm(const Call& call) const;
  http::Response ResendCode(const Call& call) const;
  http::Response ForgotPassword(const Call& call) const;
  http::Response ConfirmForgotPassword(const Call& call) const;

  // The start of every hosted page: the authorization it carries, checked again, and for a
  // POST the form, once its CSRF token is right. `refusal` is set when the page must not go on.
  struct PageStart {
    std::optional<AuthorizeContext> context;
    std::optional<Form> form;  // POSTs only
    std::optional<http::Response> refusal;
  };

  // hosted_pages.cc: shared page plumbing.
  PageStart Begin(const Call& call) const;
  http::Response ErrorPage(const Call& call, int status, const std::string& message) const;
  PageParts Parts(const Call& call, const AuthorizeContext& context, std::string title,
                  std::string_view page) const;
  http::Response Html(const Call& call, int status, const PageParts& parts,
                      std::string body) const;
  // "<base_path><page>?<authorize query>": a hosted page of this authorization.
  std::string PageUrl(const Call& call, std::string_view page,
                      const AuthorizeContext& context) const;
  // The user-facing message of a sign-in or account error.
  static std::string Explain(const Error& error);
  // SECRET_HASH for the client and username ("" for a client without a secret).
  static std::string SecretHash(const identity::ClientContext& client, std::string_view username);
  static std::vector<std::string> PasswordRules(const identity::PoolContext& pool);
  // {"ClientId", "Username"} and the SecretHash of the client, for the account actions.
  static boost::json::object AccountRequest(const identity::ClientContext& client,
                                            const std::string& username);

  OAuthServices s_;
  SiteResolver sites_;
  Tickets tickets_;
  CsrfGuard csrf_;
};

}  // namespace cognate::oauth
