// SignInService: USER_SRP_AUTH, the first half (cognito-wire.md §4.4, §6.2): resolve the user,
// start the SRP session and answer the PASSWORD_VERIFIER challenge.

#include <utility>

#include "auth/srp/srp_server.h"
#include "auth/srp_secret_block.h"
#include "auth/sign_in_service.h"
#include "crypto/encoding.h"
#include "crypto/random.h"
#include "identity/json_fields.h"
#include "identity/password_setter.h"
#include "identity/secret_hash.h"
#include "identity/token_validity.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

constexpr std::string_view kPasswordVerifier = "PASSWORD_VERIFIER";

}  // namespace

Result<json::object> SignInService::SrpFlow(const Call& call, const json::object& params) {
  if (!FlowAllowed(call, "ALLOW_USER_SRP_AUTH")) {
    return Error::InvalidParameter("Auth flow not enabled for this client");
  }
  std::optional<std::string> username = identity::GetString(params, "USERNAME");
  if (!username || username->empty()) return MissingParameter("USERNAME");
  std::optional<std::string> srp_a = identity::GetString(params, "SRP_A");
  if (!srp_a || srp_a->empty()) return MissingParameter("SRP_A");
  COGNATE_RETURN_IF_ERROR(identity::CheckSecretHash(call.client.id(), call.client.secret, *username,
                                                    identity::GetString(params, "SECRET_HASH")));
  auto found = directory_.Find(call.pool, *username);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) {
    if (!HidesUserExistence(call)) return identity::UserNotFound();
    COGNATE_RETURN_IF_ERROR(PreAuthentication(call, *username, nullptr));
    return SrpChallenge(call, *username, *srp_a, nullptr);
  }
  const store::UserRecord& user = **found;
  COGNATE_RETURN_IF_ERROR(PreAuthentication(call, user.username, &user));
  if (IsLockedOut(user)) return Error::NotAuthorized("Password attempts exceeded");
  if (user.status == "RESET_REQUIRED") {
    return Error::Make("PasswordResetRequiredException", "Password reset required for the user");
  }
  // A user whose password predates SRP support gets a challenge nobody can answer, until the
  // password is set again or used once with a password flow (which adds the verifier).
  const store::UserRecord* answerable = user.srp_verifier_sealed.empty() ? nullptr : &user;
  return SrpChallenge(call, user.username, *srp_a, answerable);
}

// The PASSWORD_VERIFIER challenge for `user`, or a fake one for `name` when `user` is null.
Result<json::object> SignInService::SrpChallenge(const Call& call, const std::string& name,
                                                 const std::string& srp_a,
                                                 const store::UserRecord* user,
                                                 const std::string& custom) {
  srp::SrpVerifier verifier = FakeVerifier(kek_, call.pool.id(), name);
  if (user != nullptr) {
    auto real = identity::OpenSrpVerifier(kek_, *user);
    if (!real.ok()) return std::move(real).error();
    verifier = std::move(*real);
  }
  auto session = srp::SrpServerSession::Start(verifier, srp_a);
  if (!session.ok()) return std::move(session).error();
  int64_t validity_s = identity::EffectiveTokenLifetimes(call.client.config).auth_session_seconds;
  SrpSecretBlock block{call.pool.id(),
                       call.client.id(),
                       user != nullptr ? user->username_key : name,
                       srp_a,
                       session->private_b_hex(),
                       crypto::HexEncode(crypto::RandomBytes(16)),
                       clock_.NowMs() / 1000 + validity_s,
                       user == nullptr,
                       custom};
  if (user != nullptr) {
    store::CodeRecord nonce;
    nonce.pool_id = call.pool.id();
    nonce.username_key = user->username_key;
    nonce.purpose = NoncePurpose(block.nonce);
    nonce.code_hash = NonceHash(block.nonce);
    nonce.created_ms = clock_.NowMs();
    nonce.expires_ms = block.exp_s * 1000;
    COGNATE_RETURN_IF_ERROR(directory_.stores().codes->PutCode(nonce));
  }
  return json::object{
      {"ChallengeName", kPasswordVerifier},
      {"ChallengeParameters", json::object{{"SALT", session->salt_hex()},
                                           {"SRP_B", session->srp_b_hex()},
                                           {"SECRET_BLOCK", SealSecretBlock(kek_, block)},
                                           {"USER_ID_FOR_SRP", name},
                                           {"USERNAME", name}}}};
}

}  // namespace cognate::auth
