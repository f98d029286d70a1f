#pragma once
// Tickets: what the OAuth layer hands to browsers and clients and must recognise later without
// trusting them — authorization codes and hosted-page browser sessions. A ticket is a JSON
// object sealed with the KEK (AES-256-GCM, aad "ticket:<kind>"), so it cannot be read, forged or
// altered, and it carries its pool, user, expiry and a random nonce. The nonce is registered in
// the CodeStore (purpose "<kind>:<nonce>", under the user) until the ticket expires, which makes
// tickets revocable (a session at logout) and single-use (a code is spent atomically, so of two
// racing exchanges one wins).
//
// Thread-safe: no mutable state.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "crypto/kek.h"
#include "store/user_stores.h"

namespace cognate::oauth {

struct Ticket {
  std::string kind;  // "code", "session"
  std::string pool_id;
  std::string username_key;
  std::string nonce;
  int64_t expires_ms = 0;
  boost::json::object body;  // the kind's own members
};

class Tickets {
 public:
  // All must outlive the object.
  Tickets(store::CodeStore& codes, const crypto::KeyEncryptionKey& kek, const Clock& clock);

  // Registers a ticket valid for `lifetime_ms` and returns its sealed form (base64url).
  // `ticket.nonce` and `ticket.expires_ms` are set here.
  Result<std::string> Issue(Ticket ticket, int64_t lifetime_ms) const;
  // The ticket of kind `kind` sealed by Issue, if it has not expired; std::nullopt for anything
  // else (garbage, altered, another kind, expired). Does not look at the registration.
  std::optional<Ticket> Open(std::string_view kind, std::string_view sealed) const;
  // Spends the registration: true for the one call that did.
  Result<bool> Spend(const Ticket& ticket) const;
  // Whether the registration still exists (not spent, not revoked).
  Result<bool> IsLive(const Ticket& ticket) const;
  Status Revoke(const Ticket& ticket) const;

 private:
  std::string Purpose(const Ticket& ticket) const;

  store::CodeStore& codes_;
  const crypto::KeyEncryptionKey& kek_;
  const Clock& clock_;
};

}  // namespace cognate::oauth
