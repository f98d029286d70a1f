// SignInService: the PASSWORD_VERIFIER answer of USER_SRP_AUTH (cognito-wire.md §4.3, §4.4):
// open the SECRET_BLOCK, spend its nonce, check TIMESTAMP and the claim, then continue as a
// verified password does.

#include <cstdlib>
#include <utility>

#include "auth/sign_in_service.h"
#include "auth/srp/srp_server.h"
#include "auth/srp_secret_block.h"
#include "identity/json_fields.h"
#include "identity/password_setter.h"
#include "identity/secret_hash.h"

namespace cognate::auth {
namespace json = boost::json;
namespace {

// How far TIMESTAMP may be from the server's clock, either way.
constexpr int64_t kTimestampSkewS = 5 * 60;

}  // namespace

Result<json::object> SignInService::AnswerPasswordVerifier(const Call& call,
                                                           const json::object& responses) {
  for (const char* name : {"USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE",
                           "TIMESTAMP"}) {
    if (identity::GetString(responses, name).value_or("").empty()) return MissingParameter(name);
  }
  std::string username = *identity::GetString(responses, "USERNAME");
  COGNATE_RETURN_IF_ERROR(identity::CheckSecretHash(call.client.id(), call.client.secret, username,
                                                    identity::GetString(responses, "SECRET_HASH")));
  auto block =
      OpenSecretBlock(kek_, *identity::GetString(responses, "PASSWORD_CLAIM_SECRET_BLOCK"));
  if (!block.ok()) return std::move(block).error();
  if (block->pool_id != call.pool.id() || block->client_id != call.client.id()) {
    return InvalidSession();
  }
  if (clock_.NowMs() / 1000 > block->exp_s) return ExpiredSession();
  if (block->fake) return IncorrectPassword();
  auto found = directory_.Find(call.pool, username);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return UnknownUser(call);
  const store::UserRecord& user = **found;
  if (user.username_key != block->username_key) return InvalidSession();
  auto consumed = directory_.stores().codes->ConsumeCode(
      call.pool.id(), user.username_key, NoncePurpose(block->nonce), NonceHash(block->nonce),
      clock_.NowMs());
  if (!consumed.ok()) return std::move(consumed).error();
  if (!*consumed) return SessionAlreadyUsed();
  COGNATE_RETURN_IF_ERROR(CheckClaim(call, user, *block, responses));
  COGNATE_RETURN_IF_ERROR(PasswordVerified(call, user));
  if (!block->custom.empty()) return ContinueCustomAuth(call, user, block->custom, true);
  return FinishSignIn(call, user);
}

// The claim proves the password: otherwise a failed sign-in is counted, as for a password.
Status SignInService::CheckClaim(const Call& call, const store::UserRecord& user,
                                 const SrpSecretBlock& block, const json::object& responses) {
  std::string timestamp = *identity::GetString(responses, "TIMESTAMP");
  auto signed_at = srp::SrpServerSession::ParseTimestamp(timestamp);
  if (!signed_at.ok() || std::llabs(clock_.NowMs() / 1000 - *signed_at) > kTimestampSkewS) {
    return IncorrectPassword();
  }
  if (IsLockedOut(user)) return Error::NotAuthorized("Password attempts exceeded");
  auto verifier = identity::OpenSrpVerifier(kek_, user);
  if (!verifier.ok()) return IncorrectPassword();  // the password changed to none meanwhile
  auto session = srp::SrpServerSession::Resume(*verifier, block.a_hex, block.b_hex);
  if (!session.ok()) return std::move(session).error();
  auto valid = session->VerifyClaim(identity::SrpPoolName(call.pool.id()), user.username,
                                    *identity::GetString(responses, "PASSWORD_CLAIM_SECRET_BLOCK"),
                                    timestamp,
                                    *identity::GetString(responses, "PASSWORD_CLAIM_SIGNATURE"));
  if (valid.ok() && *valid) return OkStatus();
  COGNATE_RETURN_IF_ERROR(RecordFailure(call, user));
  return IncorrectPassword();
}

}  // namespace cognate::auth
