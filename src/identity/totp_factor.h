#pragma once
// Answering with a TOTP code: the user's verified software-token secret checks the code (one
// step of drift either way) and the accepted step is stored in the same optimistic update, so a
// code works once even when two requests race with it.

#include <string_view>

#include "common/result.h"
#include "identity/user_directory.h"

namespace cognate::identity {

// CodeMismatchException "Invalid code received for user" for a wrong, stale or already used
// code; SoftwareTokenMFANotFoundException when the user has no verified TOTP secret.
Status ConsumeTotpCode(UserDirectory& directory, const PoolContext& pool,
                       std::string_view username_key, std::string_view code);

Error TotpCodeMismatch();

}  // namespace cognate::identity
