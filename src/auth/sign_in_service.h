#pragma once
// Sign-in: InitiateAuth/AdminInitiateAuth with the password, SRP and refresh-token flows,
// RespondToAuthChallenge/AdminRespondToAuthChallenge for PASSWORD_VERIFIER and
// NEW_PASSWORD_REQUIRED,
// GetTokensFromRefreshToken (with refresh-token rotation) and RevokeToken.
//
// Like the identity services, each action takes the request JSON object (already checked
// against the service model by api/) and returns the response object as Cognito shapes it, or
// an Error with Cognito's type and message. Thread-safe: no mutable state of its own.
//
// Password sign-in, in order (cognito-wire.md §6.2):
//   unknown user       VerifyDummy (same cost as a real check), then UserNotFoundException
//                      "User does not exist." (LEGACY) or NotAuthorizedException "Incorrect
//                      username or password." (client PreventUserExistenceErrors ENABLED)
//   locked out         NotAuthorizedException "Password attempts exceeded" (password unchecked)
//   RESET_REQUIRED     PasswordResetRequiredException "Password reset required for the user"
//                      (such users may have no password, e.g. imported ones)
//   wrong password     NotAuthorizedException "Incorrect username or password."; counts a failure
//   disabled           NotAuthorizedException "User is disabled."
//   UNCONFIRMED        UserNotConfirmedException "User is not confirmed."
//   FORCE_CHANGE_PASSWORD  the NEW_PASSWORD_REQUIRED challenge, or NotAuthorizedException
//                      "Temporary password has expired and must be reset by an administrator."
//                      once the temporary password is older than TemporaryPasswordValidityDays
//   otherwise          tokens (token_issuer.h)
// Only a verified password reveals the user's state (disabled, unconfirmed, ...). A verified
// password clears the failure count and, when the hasher's parameters changed or the user has
// no SRP verifier yet, re-hashes it.
//
// USER_SRP_AUTH (cognito-wire.md §4.4) answers PASSWORD_VERIFIER with SALT, SRP_B, a sealed
// single-use SECRET_BLOCK (srp_secret_block.h), USER_ID_FOR_SRP and USERNAME; an unknown user
// gets a stable fake challenge with PreventUserExistenceErrors ENABLED (else
// UserNotFoundException), as does a user without a verifier. The answer (TIMESTAMP within 5
// minutes) is checked like a password: a wrong claim counts a failure, a right one continues
// exactly as a verified password does.
//
// Refresh tokens (REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken): unknown or another client's
// "Invalid Refresh Token.", expired "Refresh Token has expired", revoked (RevokeToken, reuse,
// or a GlobalSignOut after the token was made) "Refresh Token has been revoked", disabled user
// "User is disabled." — all NotAuthorizedException. With the client's RefreshTokenRotation
// ENABLED, GetTokensFromRefreshToken also returns a new refresh token and retires the old one;
// the old one still works for RetryGracePeriodSeconds after that (a client retrying a lost
// response), and then returns a new refresh token too, since such a client never received
// the first one. Using it later is reuse: RefreshTokenReuseException, and the whole sign-in
// session is revoked. REFRESH_TOKEN_AUTH never rotates (Cognito rotates only through
// GetTokensFromRefreshToken) but applies the same reuse rule to retired tokens.
//
// Lambda triggers (cognito-wire.md §7.3; each only when the pool configures it): a password
// flow with a name nobody has first asks UserMigration (user_migration.cc); PreAuthentication
// runs before a password, SRP or first-factor check; PostAuthentication once every factor has
// passed; PreTokenGeneration (pre_token_generation.h) on every issue of tokens, refreshes
// included. A rejection stops the sign-in with nothing new stored (no user, no refresh token).
//
// RevokeToken revokes the sign-in session of a refresh token: its refresh tokens and, through
// RefreshTokenStore::RevokeOrigin, the access tokens carrying its origin_jti (auth/access_guard.h).

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/challenge_session.h"
#include "auth/password_hasher.h"
#include "auth/pre_token_generation.h"
#include "auth/srp_secret_block.h"
#include "auth/token_issuer.h"
#include "common/result.h"
#include "crypto/kek.h"
#include "delivery/sender.h"
#include "identity/password_setter.h"
#include "identity/user_directory.h"
#include "token/token_service.h"

namespace cognate::auth {

// Failed sign-in lockout (cognito-wire.md §10.1): from the `threshold`th consecutive failure on,
// each failure locks the user for 1 s doubled per further failure (the store's rule), at most
// `max_lock_ms`; failures are forgotten after `reset_after_ms` without one.
struct LockoutPolicy {
  int64_t threshold = 5;
  int64_t max_lock_ms = 15 * 60 * 1000;
  int64_t reset_after_ms = 15 * 60 * 1000;
};

class SignInService {
 public:
  // Everything must outlive the service. `kek` seals challenge sessions and SRP state;
  // `sender` delivers SMS and email codes.
  SignInService(identity::UserDirectory& directory, const PasswordHasher& hasher,
                token::TokenService& tokens, const crypto::KeyEncryptionKey& kek,
                delivery::MessageSender& sender, const LockoutPolicy& lockout = {});

  Result<boost::json::object> InitiateAuth(const boost::json::object& request);
  Result<boost::json::object> AdminInitiateAuth(const boost::json::object& request);
  Result<boost::json::object> RespondToAuthChallenge(const boost::json::object& request);
  Result<boost::json::object> AdminRespondToAuthChallenge(const boost::json::object& request);
  Result<boost::json::object> GetTokensFromRefreshToken(const boost::json::object& request);
  Result<boost::json::object> RevokeToken(const boost::json::object& request);
  // Whether `request` to InitiateAuth or GetTokensFromRefreshToken never blocks: a refresh
  // (REFRESH_TOKEN_AUTH; GetTokensFromRefreshToken for a client without refresh-token
  // rotation) in a pool without a PreTokenGeneration trigger only reads and signs. Such calls
  // can run on a network thread, sparing the hand-offs to and from the worker pool
  // (refresh_flow.cc).
  bool InitiateAuthNeverBlocks(const boost::json::object& request) const;
  bool GetTokensNeverBlocks(const boost::json::object& request) const;
  // AssociateSoftwareToken / VerifySoftwareToken called with the Session of an MFA_SETUP
  // challenge instead of an access token (mfa_setup.cc).
  Result<boost::json::object> AssociateSoftwareTokenInSession(const boost::json::object& request);
  Result<boost::json::object> VerifySoftwareTokenInSession(const boost::json::object& request);

  // The hosted pages (oauth/) sign users in with the same flows and challenges, for the client
  // the authorization names (hosted_sign_in.cc). Differences: USER_PASSWORD_AUTH and refresh
  // whatever the client's ExplicitAuthFlows (the pages are Cognate's own); a completed sign-in
  // answers {"SignedIn": {"UsernameKey", "Sub", "AuthTime"}} instead of tokens, which the
  // authorization code then carries (HostedTokens). The request shapes are the public actions'.
  Result<boost::json::object> HostedInitiateAuth(const boost::json::object& request);
  Result<boost::json::object> HostedRespondToAuthChallenge(const boost::json::object& request);
  // The tokens of an exchanged authorization code, PreTokenGeneration (TokenGeneration_HostedAuth)
  // included. NotAuthorizedException when the user is gone or disabled.
  Result<SessionTokens> HostedTokens(const std::string& client_id, const std::string& username_key,
                                     const OAuthGrant& grant);
  // grant_type=refresh_token at /oauth2/token, for a client the endpoint authenticated:
  // GetTokensFromRefreshToken's rules (rotation included) without its ClientSecret member.
  Result<boost::json::object> HostedRefresh(const boost::json::object& request);

  // Told of each sign-in step that ended a sign-in (tokens, or a refusal of the credentials),
  // with the pool, the user name as given, the outcome, and the attempt's auth event with the
  // user it belongs to ("" when none was recorded): alerts (alerts/alert_engine.h).
  using SignInListener =
      std::function<void(const std::string& pool_id, std::string_view username, bool succeeded,
                         std::string_view event_id, std::string_view username_key)>;
  void set_listener(SignInListener listener) { listener_ = std::move(listener); }

 private:
  // The part of the two above that looks at the client (rotation, when `may_rotate`) and its
  // pool (PreTokenGeneration).
  bool RefreshNeverBlocks(const std::string& client_id, bool may_rotate) const;
  // The pool and client a request names; `admin` for the SigV4 variants. `client_metadata`
  // is the request's ClientMetadata; `initiate` marks (Admin)InitiateAuth, whose metadata only
  // PreAuthentication and UserMigration get (as validationData too), while that of
  // RespondToAuthChallenge and GetTokensFromRefreshToken goes to PostAuthentication and
  // PreTokenGeneration (cognito-wire.md §7.2).
  struct Call {
    identity::PoolContext pool;
    identity::ClientContext client;
    bool admin = false;
    boost::json::object client_metadata{};
    bool initiate = false;
    bool hosted = false;  // started by the hosted pages (see HostedInitiateAuth)
    // The auth event of this sign-in attempt: new for (Admin)InitiateAuth, the Session's when
    // answering a challenge (sign_in_metrics.cc); `event_user` is the Session's user.
    std::string event_id{};
    std::string event_user{};
  };
  // An MFA_SETUP step called with a Session only (AssociateSoftwareToken, VerifySoftwareToken).
  struct SetupStep {
    Call call;
    store::UserRecord user;
    ChallengeSession session;
  };
  // One step of CUSTOM_AUTH: the user (null for a name nobody has, with
  // PreventUserExistenceErrors), the name the triggers see, the history as
  // [[challengeName, result, metadata], ...], and the SRP_A the flow started with, if any.
  struct CustomStep {
    const store::UserRecord* user;
    std::string name;
    boost::json::array history;
    boost::json::object client_metadata;
    std::string srp_a;
  };
  // A refresh token found for the calling client, with its user.
  struct RefreshGrant {
    store::RefreshTokenRecord record;
    store::UserRecord user;
  };

  // initiate_auth.cc
  Result<Call> PublicCall(const boost::json::object& request) const;
  Result<Call> AdminCall(const boost::json::object& request) const;
  Result<boost::json::object> StartAuth(const Call& call, const boost::json::object& request);
  Result<boost::json::object> StartFlow(const Call& call, const std::string& flow,
                                        const boost::json::object& request);
  // Counts the outcome of a sign-in step in the server metrics (sign_in_metrics.cc) and passes
  // it on. `refresh`: a refresh-token flow, which is not a sign-in.
  // `username`: as the request gave it (for the listener). `step`: the AuthFlow or the
  // ChallengeName answered, for the auth event.
  Result<boost::json::object> Recorded(const Call& call, Result<boost::json::object> result,
                                       bool refresh, std::string_view username,
                                       std::string_view step) const;

  // sign_in_metrics.cc: the auth event of a sign-in step (Pass, Fail or InProgress), for users
  // that exist; nothing for refresh-token use or errors that are not refusals. Returns the
  // username_key of the user the event was recorded for, "" when none was.
  std::string RecordSignInEvent(const Call& call, const Result<boost::json::object>& result,
                                std::string_view username, std::string_view step) const;
  // The Call of a challenge answer, carrying the event id and user of the request's Session.
  Call WithSessionEvent(Call call, const boost::json::object& request) const;
  static bool FlowAllowed(const Call& call, std::string_view allow_name);
  static bool HidesUserExistence(const Call& call);
  Error UnknownUser(const Call& call) const;

  // password_flow.cc
  Result<boost::json::object> PasswordFlow(const Call& call, const boost::json::object& params,
                                           bool admin_flow);
  // `migrate`: an unknown name goes to the UserMigration trigger first (user_migration.cc).
  Result<store::UserRecord> CheckPassword(const Call& call, std::string_view username,
                                          std::string_view password, bool migrate = false);
  Result<boost::json::object> FinishSignIn(const Call& call, const store::UserRecord& user);
  // The status checks after a verified password (or SRP claim); clears the failure count.
  Status PasswordVerified(const Call& call, const store::UserRecord& user);
  void UpgradeHash(const Call& call, const store::UserRecord& user, std::string_view password);

  // srp_flow.cc
  Result<boost::json::object> SrpFlow(const Call& call, const boost::json::object& params);
  // `custom`: the CUSTOM_AUTH history to resume after the claim (empty in USER_SRP_AUTH).
  Result<boost::json::object> SrpChallenge(const Call& call, const std::string& name,
                                           const std::string& srp_a,
                                           const store::UserRecord* user,
                                           const std::string& custom = "");

  // srp_answer.cc
  Result<boost::json::object> AnswerPasswordVerifier(const Call& call,
                                                     const boost::json::object& responses);
  Status CheckClaim(const Call& call, const store::UserRecord& user,
                    const SrpSecretBlock& block, const boost::json::object& responses);

  // session_spend.cc
  Status RegisterSession(const Call& call, const store::UserRecord& user,
                         const ChallengeSession& session, std::string_view answer);
  Status CheckSessionLive(const Call& call, const store::UserRecord& user,
                          const ChallengeSession& session) const;
  // Spends the session with `answer` (the code; "" for the nonce itself). A wrong code is
  // counted (WrongAnswer); a spent or expired session is SessionAlreadyUsed().
  Status SpendSession(const Call& call, const store::UserRecord& user,
                      const ChallengeSession& session, std::string_view answer);
  Error WrongAnswer(const Call& call, const store::UserRecord& user,
                    const ChallengeSession& session);
  Result<ChallengeSession> OpenSession(const Call& call, const boost::json::object& request,
                                       std::string_view challenge) const;
  // The ANSWER of SELECT_MFA_TYPE / SELECT_CHALLENGE, when it is one the session offered.
  static Result<std::string> OfferedAnswer(const ChallengeSession& session,
                                           const boost::json::object& responses,
                                           std::string_view list_name);
  // The user answering `session`: named by USERNAME (with SECRET_HASH), the session's, with
  // the same password, enabled and not locked out.
  Result<store::UserRecord> SessionUser(const Call& call, const ChallengeSession& session,
                                        const boost::json::object& responses) const;
  // A challenge with a new single-use Session; `message`, when given, is sent after the
  // session is registered (and the registration undone when sending fails).
  Result<boost::json::object> SessionChallenge(const Call& call, const store::UserRecord& user,
                                               std::string_view name,
                                               boost::json::object parameters,
                                               std::string detail, std::string_view answer = "",
                                               const delivery::OutgoingMessage* message = nullptr);

  // otp_challenge.cc: SMS_MFA, EMAIL_OTP, SMS_OTP with a freshly sent code.
  Result<boost::json::object> CodeChallenge(const Call& call, const store::UserRecord& user,
                                            std::string_view name, std::string detail);
  Status CountSignInCode(const Call& call, const store::UserRecord& user);

  // mfa_challenge.cc
  // A completed sign-in: PostAuthentication, then the tokens (PreTokenGeneration with `event`).
  Result<boost::json::object> IssueTokens(const Call& call, const store::UserRecord& user,
                                          TokenEvent event = TokenEvent::kAuthentication);
  // `event`: the PreTokenGeneration source when no second factor follows.
  Result<boost::json::object> MfaStep(const Call& call, const store::UserRecord& user,
                                      TokenEvent event = TokenEvent::kAuthentication);
  Result<boost::json::object> MfaChallenge(const Call& call, const store::UserRecord& user,
                                           std::string_view factor);
  Result<boost::json::object> AnswerCode(const Call& call, const ChallengeSession& session,
                                         const boost::json::object& responses);
  Result<boost::json::object> AnswerSelectMfaType(const Call& call,
                                                  const ChallengeSession& session,
                                                  const boost::json::object& responses);

  // user_auth.cc
  std::vector<std::string> FirstFactors(const Call& call, const store::UserRecord& user);
  Result<boost::json::object> UserAuthFlow(const Call& call, const boost::json::object& params);
  Result<boost::json::object> UnknownUserAuth(const Call& call, const std::string& name,
                                              const boost::json::object& params);
  Result<boost::json::object> StartFirstFactor(const Call& call, const store::UserRecord& user,
                                               std::string_view factor,
                                               const boost::json::object& params);
  Result<boost::json::object> AnswerSelectChallenge(const Call& call,
                                                    const ChallengeSession& session,
                                                    const boost::json::object& responses);

  // custom_auth.cc
  Result<boost::json::object> CustomAuthFlow(const Call& call, const boost::json::object& params);
  Result<boost::json::object> ContinueCustomAuth(const Call& call, const store::UserRecord& user,
                                                 const std::string& history,
                                                 bool password_verified);
  Result<boost::json::object> DefineNext(const Call& call, const CustomStep& step);
  Result<boost::json::object> CreateCustomChallenge(const Call& call, const CustomStep& step);
  Result<boost::json::object> UnknownUserChallenge(const Call& call, const std::string& name,
                                                   boost::json::object parameters,
                                                   const std::string& detail);
  Result<boost::json::object> AnswerCustomChallenge(const Call& call,
                                                    const ChallengeSession& session,
                                                    const boost::json::object& responses);
  // userAttributes of a trigger event: the user's attributes with sub and cognito:user_status.
  boost::json::object TriggerAttributes(const store::UserRecord* user) const;

  // mfa_setup.cc
  Result<boost::json::object> MfaSetupChallenge(const Call& call, const store::UserRecord& user);
  Result<SetupStep> OpenSetupStep(const boost::json::object& request);
  Result<boost::json::object> AnswerMfaSetup(const Call& call, const ChallengeSession& session,
                                             const boost::json::object& responses);

  // lockout.cc
  bool IsLockedOut(const store::UserRecord& user) const;
  Status RecordFailure(const Call& call, const store::UserRecord& user);
  Status ForgetFailures(const Call& call, const store::UserRecord& user);

  // new_password_challenge.cc
  Result<boost::json::object> AnswerChallenge(const Call& call,
                                              const boost::json::object& request);
  Result<boost::json::object> RespondToChallenge(const Call& call,
                                                 const boost::json::object& request);
  Result<boost::json::object> NewPasswordChallenge(const Call& call, const store::UserRecord& user);
  Result<boost::json::object> AnswerNewPassword(const Call& call, const ChallengeSession& session,
                                                const boost::json::object& responses);
  Result<store::UserRecord> ChallengedUser(const Call& call, const ChallengeSession& session,
                                           const boost::json::object& responses) const;
  Result<boost::json::object> NewAttributes(const Call& call, const store::UserRecord& user,
                                            const boost::json::object& responses) const;
  Result<store::UserRecord> StoreNewPassword(const Call& call, const ChallengeSession& session,
                                             const identity::PasswordSecrets& secrets,
                                             const boost::json::object& written);

  // sign_in_triggers.cc: the sign-in triggers (cognito-wire.md §7.2, §7.3).
  // PreAuthentication_Authentication before a password, SRP or first-factor check; `user` null
  // for a name nobody has, which only reaches the trigger (userNotFound) when the client hides
  // user existence. A rejection is UserLambdaValidationException.
  Status PreAuthentication(const Call& call, std::string_view name,
                           const store::UserRecord* user);
  // PostAuthentication_Authentication, after the last factor and before any token.
  Status PostAuthentication(const Call& call, const store::UserRecord& user);
  // The PreTokenGeneration step for TokenIssuer (empty when the pool has no such trigger).
  TokenIssuer::ClaimsHook PreTokenHook(const Call& call, const store::UserRecord& user,
                                       TokenEvent event);
  // The metadata a trigger gets: the request's when `initiate_only` matches the call's API.
  static boost::json::object TriggerMetadata(const Call& call, bool initiate_only);
  // PreAuthentication and UserMigration: validationData and clientMetadata, both the
  // InitiateAuth request's ClientMetadata, left out when there is none.
  static void AddInitiateMetadata(const Call& call, boost::json::object& request);

  // user_migration.cc: UserMigration_Authentication for a name nobody has. The user the
  // trigger vouched for (created with `password`), or std::nullopt when it answered none (or a
  // concurrent sign-in created the user first).
  Result<std::optional<store::UserRecord>> MigrateUser(const Call& call, std::string_view name,
                                                       std::string_view password);
  // The rest of a password sign-in for a user just migrated (the password needs no check).
  Result<store::UserRecord> MigratedSignIn(const Call& call, const store::UserRecord& user);
  // forceAliasCreation: the verified aliases in `attrs` stop being verified on other users.
  Status ReleaseAliases(const Call& call, const std::string& username_key,
                        const boost::json::object& attrs);

  // refresh_flow.cc
  Result<boost::json::object> RefreshFlow(const Call& call, const boost::json::object& params);
  Result<RefreshGrant> FindRefreshToken(const Call& call, std::string_view token) const;
  Status CheckRefreshUsable(const RefreshGrant& grant) const;
  Status CheckRefreshSecretHash(const Call& call, const store::UserRecord& user,
                                const std::optional<std::string>& provided) const;
  // Applies rotation and reuse rules; the new refresh token to return ("" for none).
  Result<boost::json::object> RefreshWithRotation(const Call& call,
                                                  const boost::json::object& request);
  Result<std::string> RotateIfNeeded(const Call& call, const RefreshGrant& grant, bool rotate);
  Result<std::string> RetiredTokenUse(const Call& call, const RefreshGrant& grant, bool rotate);
  Status RevokeSession(const Call& call, const store::RefreshTokenRecord& record);

  identity::UserDirectory& directory_;
  const PasswordHasher& hasher_;
  const crypto::KeyEncryptionKey& kek_;
  delivery::MessageSender& sender_;
  const Clock& clock_;
  LockoutPolicy lockout_;
  SignInListener listener_;
  ChallengeSessions sessions_;
  TokenIssuer issuer_;
};

}  // namespace cognate::auth
