#pragma once
// Setting up a TOTP software token (cognito-wire.md §6.5), whichever credential the caller
// holds: AssociateSoftwareToken / VerifySoftwareToken with an access token (mfa_service.h) and
// inside the MFA_SETUP sign-in challenge (auth/mfa_setup.cc, with the user its Session names).
//
// AssociateSoftwareToken gives the user a new pending secret (a second call replaces it);
// VerifySoftwareToken turns the pending secret into the user's verified one once a code from it
// checks (one 30 s step of drift either way). Until then an earlier verified secret keeps
// working for sign-in. The step of the accepted code is recorded, so that code cannot also be
// used to sign in. Wrong codes are counted against the pending secret: the
// kMaxSoftwareTokenVerifyFailures-th one drops it, and the user must associate again, so a
// pending secret cannot be guessed at (10^6 codes, 3 of them valid at a time).
//
// Both update the user with optimistic concurrency (retried on conflict) and need the pool's
// SoftwareTokenMfaConfiguration.Enabled. The secret never appears in a log or an error.

#include <string>
#include <string_view>

#include "common/result.h"
#include "identity/user_directory.h"

namespace cognate::identity {

inline constexpr int kMaxSoftwareTokenVerifyFailures = 5;
// FriendlyDeviceName is kept in the user's record: longer names are refused.
inline constexpr std::size_t kMaxFriendlyDeviceNameLength = 256;

// A new 20-byte random secret stored sealed as the user's pending secret; returns it as the
// SecretCode (base32, 32 characters). Errors: SoftwareTokenMFANotFoundException "Software Token
// MFA has not been enabled by the userPool" when the pool does not allow TOTP;
// UserNotFoundException when the user is gone.
Result<std::string> AssociateSoftwareToken(UserDirectory& directory, const PoolContext& pool,
                                           std::string_view username_key);

// Checks `code` against the pending secret. On success the pending secret becomes the verified
// one (replacing an older one), the accepted step is recorded, the device is named
// `friendly_name` ("" for none) and, with `enable` (the MFA_SETUP path), TOTP is enabled and
// made the preferred factor. Errors:
//   pool without TOTP            SoftwareTokenMFANotFoundException (as above)
//   no pending secret            InvalidParameterException "Software token has not been
//                                associated with the user. Call AssociateSoftwareToken first."
//   name too long                InvalidParameterException
//   wrong, stale or reused code  EnableSoftwareTokenMFAException "Code mismatch and fail enable
//                                Software Token MFA" (the last allowed failure also drops the
//                                pending secret)
Status VerifySoftwareToken(UserDirectory& directory, const PoolContext& pool,
                           std::string_view username_key, std::string_view code,
                           std::string_view friendly_name, bool enable);

// SoftwareTokenMFANotFoundException unless the pool allows TOTP.
Status CheckPoolAllowsSoftwareToken(const PoolContext& pool);

}  // namespace cognate::identity
