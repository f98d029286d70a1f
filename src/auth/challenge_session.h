#pragma once
// The `Session` string of a challenge (RespondToAuthChallenge): an opaque value the client
// echoes back. Cognate keeps no server-side state for it: the session is a small JSON object
// sealed with the KEK (AES-256-GCM, aad "challenge-session"), so it cannot be read or altered
// by the client, and it carries its own expiry.
//
// What a session binds: pool, client, user (username_key), the challenge it answers, the user's
// password_changed_ms when it was made (so a session outlives neither the temporary password it
// came from nor the answer that replaced it), the expiry and a random nonce (two sessions never
// look alike). Single use is not tracked here: NEW_PASSWORD_REQUIRED moves the user to another
// state, so its handler refuses a session whose user is no longer in the state it was made for;
// the other challenges spend the nonce (auth/session_spend.h).
//
// Thread-safe: no mutable state.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "crypto/kek.h"

namespace cognate::auth {

struct ChallengeSession {
  std::string pool_id;
  std::string client_id;
  std::string username_key;
  std::string challenge;            // e.g. "NEW_PASSWORD_REQUIRED"
  int64_t password_changed_ms = 0;  // the user's, when the session was made
  int64_t expires_ms = 0;
  // Random; Seal makes one when empty. Challenges that must be answered once register it in
  // the CodeStore (auth/session_spend.h) and spend it with the answer.
  std::string nonce{};
  // What the challenge offered or reached, e.g. the MFAS_CAN_CHOOSE list, or "verified" once
  // a TOTP factor was set up inside MFA_SETUP.
  std::string detail{};
  // The auth event of the sign-in attempt the challenge belongs to (events/auth_event_log.h),
  // so answering it updates that event instead of starting another.
  std::string event_id{};
};

// A fresh random nonce for a session that must be registered before it is sealed.
std::string NewSessionNonce();

// Cognito's wording for sign-in errors shared by the flows and challenges.
Error MissingParameter(std::string_view name);  // "Missing required parameter <name>"
Error IncorrectPassword();                      // "Incorrect username or password."
// ... and for a session that cannot be used.
Error InvalidSession();      // "Invalid session for the user."
Error ExpiredSession();      // "Invalid session for the user, session is expired."
Error SessionAlreadyUsed();  // "Invalid session for the user, session can only be used once."

class ChallengeSessions {
 public:
  // Both must outlive this object.
  ChallengeSessions(const crypto::KeyEncryptionKey& kek, const Clock& clock);

  // A new session valid for `validity_s` seconds from now (expires_ms of `session` is ignored).
  std::string Seal(const ChallengeSession& session, int64_t validity_s) const;

  // The content of a session made by Seal. NotAuthorizedException InvalidSession() for anything
  // this server did not seal (garbage, altered, another KEK), ExpiredSession() once expired.
  Result<ChallengeSession> Open(std::string_view sealed) const;

 private:
  const crypto::KeyEncryptionKey& kek_;
  const Clock& clock_;
};

}  // namespace cognate::auth
