// UserService: SignUp, ConfirmSignUp, ResendConfirmationCode and AdminConfirmSignUp.

#include <functional>
#include <optional>
#include <utility>

#include "identity/codes.h"
#include "identity/json_fields.h"
#include "identity/password_policy.h"
#include "identity/post_confirmation.h"
#include "identity/pre_sign_up.h"
#include "identity/trigger_events.h"
#include "identity/user_attributes.h"
#include "identity/user_service.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

constexpr std::string_view kUnconfirmed = "UNCONFIRMED";

Error CannotConfirm(const std::string& status) {
  return Error::NotAuthorized("User cannot be confirmed. Current status is " + status);
}

Error CodeMismatch() {
  return Error::Make("CodeMismatchException",
                     "Invalid verification code provided, please try again.");
}

// Reverts a sign-up confirmation when PostConfirmation fails (post_confirmation.h): back to
// UNCONFIRMED, and the attribute the code verified gets its flag as before (`prior`; none:
// removed). A user no longer CONFIRMED was changed by someone else and is left alone.
std::function<Status(store::UserRecord&, json::object&)> UndoConfirmation(
    std::optional<std::string> verified, std::optional<std::string> prior) {
  return [verified, prior](store::UserRecord& user, json::object& attrs) -> Status {
    if (user.status != "CONFIRMED") return OkStatus();
    user.status = std::string(kUnconfirmed);
    if (verified && prior) attrs[*verified + "_verified"] = *prior;
    if (verified && !prior) attrs.erase(*verified + "_verified");
    return OkStatus();
  };
}

bool AdminCreateOnly(const json::object& config) {
  const json::object* admin = GetObject(config, "AdminCreateUserConfig");
  return admin && GetBool(*admin, "AllowAdminCreateUserOnly").value_or(false);
}

}  // namespace

Result<json::object> UserService::SignUpStep(const json::object& request,
                                              events::PendingEvent& event) {
  auto call = OpenPublicCall(request);
  if (!call.ok()) return std::move(call).error();
  const PoolContext& pool = call->pool;
  if (AdminCreateOnly(pool.config))
    return Error::NotAuthorized("SignUp is not permitted for this user pool");
  const json::array none;
  const json::array* list = GetArray(request, "UserAttributes");
  auto attrs = ValidateAttributes(pool.config, list ? *list : none, AttributeWriteMode::kSignUp);
  if (!attrs.ok()) return std::move(attrs).error();
  COGNATE_RETURN_IF_ERROR(CheckWritable(pool, call->client, *attrs));
  auto identity = NewUserIdentity(pool, call->name, *attrs);
  if (!identity.ok()) return std::move(identity).error();
  COGNATE_RETURN_IF_ERROR(CheckRequiredAttributes(pool.config, *attrs));
  std::string password = GetString(request, "Password").value_or("");
  COGNATE_RETURN_IF_ERROR(CheckPasswordPolicy(pool.config, password));
  // PreSignUp before anything is stored (pre_sign_up.h): a rejection leaves no user.
  auto pre = RunPreSignUp(directory_, pool, kPreSignUpSignUp, identity->username,
                          call->client.id(), *attrs, request);
  if (!pre.ok()) return std::move(pre).error();
  const std::string status = ApplyPreSignUp(*pre, *attrs);

  store::UserRecord user = NewUserRecord(pool, *identity, status, password, *attrs);
  COGNATE_RETURN_IF_ERROR(InsertUser(pool, user, *attrs, "User already exists"));
  event.SetSubject({pool.id(), user.username_key, call->client.id()});

  json::object out{{"UserConfirmed", pre->auto_confirm}, {"UserSub", user.sub}};
  if (pre->auto_confirm) return out;  // Confirmed by PreSignUp: there is no code to send.
  if (std::optional<std::string> attribute = SignUpCodeAttribute(pool, *attrs)) {
    auto details =
        codes_.Send(pool, user, kCodePurposeSignUp, *attribute, "signup", call->client.id(),
                    ClientMetadataOf(request));
    if (!details.ok()) {
      // A user whose code never went out could not confirm; removing it lets the same SignUp
      // be retried. The delivery error is the answer even if the removal fails.
      (void)directory_.stores().users->DeleteUser(pool.id(), user.username_key);
      return std::move(details).error();
    }
    out["CodeDeliveryDetails"] = std::move(*details);
  }
  return out;
}

Result<json::object> UserService::ConfirmSignUp(const json::object& request) {
  auto call = OpenPublicCall(request);
  if (!call.ok()) return std::move(call).error();
  const PoolContext& pool = call->pool;
  auto found = FindCallUser(*call);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return CodeMismatch();
  const store::UserRecord& user = **found;
  if (user.status != kUnconfirmed) return CannotConfirm(user.status);

  // The code went to the auto-verified attribute; confirming it verifies that attribute, which
  // may make it an alias. A conflict is reported before the code is spent, so the user can
  // retry with ForceAliasCreation.
  auto attrs = ParseStoredObject(user.attributes_json);
  if (!attrs.ok()) return std::move(attrs).error();
  std::optional<std::string> verified = SignUpCodeAttribute(pool, *attrs);
  std::optional<std::string> prior;  // the verified flag before, for an undo
  if (verified) prior = GetString(*attrs, *verified + "_verified");
  if (verified) (*attrs)[*verified + "_verified"] = "true";
  bool force = GetBool(request, "ForceAliasCreation").value_or(false);
  if (!force) {
    auto taken = TakenKeys(pool, user.username_key, UserDirectory::KeysFor(pool, *attrs));
    if (!taken.ok()) return std::move(taken).error();
    if (!taken->empty()) {
      return Error::Make("AliasExistsException",
                         "An account with the " + taken->front().key.kind + " already exists.");
    }
  }
  auto spent = CodeToRestore(directory_, pool, user, kCodePurposeSignUp);
  if (!spent.ok()) return std::move(spent).error();
  COGNATE_RETURN_IF_ERROR(codes_.Verify(pool, user, kCodePurposeSignUp,
                                        GetString(request, "ConfirmationCode").value_or("")));
  auto saved = UpdateUser(
      pool, user.username,
      [&](store::UserRecord& current, json::object& current_attrs) -> Status {
        if (current.status != kUnconfirmed) return CannotConfirm(current.status);
        current.status = "CONFIRMED";
        if (verified) current_attrs[*verified + "_verified"] = "true";
        return OkStatus();
      },
      force);
  if (!saved.ok()) return std::move(saved).error();
  COGNATE_RETURN_IF_ERROR(AfterConfirmation(pool, *saved, kPostConfirmationSignUp,
                                            call->client.id(), request,
                                            UndoConfirmation(verified, prior), *spent));
  return json::object();
}

Result<json::object> UserService::ResendConfirmationCodeStep(const json::object& request,
                                                              events::PendingEvent& event) {
  auto call = OpenPublicCall(request);
  if (!call.ok()) return std::move(call).error();
  const PoolContext& pool = call->pool;
  auto found = FindCallUser(*call);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value())
    return json::object{{"CodeDeliveryDetails", CodeDelivery::SimulatedDetails(call->name)}};
  const store::UserRecord& user = **found;
  event.SetSubject({pool.id(), user.username_key, call->client.id()});
  if (user.status != kUnconfirmed) return Error::InvalidParameter("User is already confirmed.");
  auto attrs = ParseStoredObject(user.attributes_json);
  if (!attrs.ok()) return std::move(attrs).error();
  std::optional<std::string> attribute = SignUpCodeAttribute(pool, *attrs);
  if (!attribute) return Error::InvalidParameter("Auto verification not turned on.");
  auto details =
      codes_.Send(pool, user, kCodePurposeSignUp, *attribute, "resend", call->client.id(),
                  ClientMetadataOf(request));
  if (!details.ok()) return std::move(details).error();
  return json::object{{"CodeDeliveryDetails", std::move(*details)}};
}

Result<json::object> UserService::AdminConfirmSignUp(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  auto saved = UpdateUser(*pool, GetString(request, "Username").value_or(""),
                          [](store::UserRecord& user, json::object&) -> Status {
                            if (user.status != kUnconfirmed) return CannotConfirm(user.status);
                            user.status = "CONFIRMED";
                            return OkStatus();
                          });
  if (!saved.ok()) return std::move(saved).error();
  COGNATE_RETURN_IF_ERROR(AfterConfirmation(*pool, *saved, kPostConfirmationSignUp, "", request,
                                            UndoConfirmation(std::nullopt, std::nullopt),
                                            std::nullopt));
  // The pending sign-up code is useless now (kept until PostConfirmation agreed).
  COGNATE_RETURN_IF_ERROR(directory_.stores().codes->DeleteCode(pool->id(), saved->username_key,
                                                                std::string(kCodePurposeSignUp)));
  return json::object();
}

Result<json::object> UserService::SignUp(const json::object& request) {
  events::PendingEvent event(directory_.events(), events::EventType::kSignUp);
  return event.Finish(SignUpStep(request, event));
}

Result<json::object> UserService::ResendConfirmationCode(const json::object& request) {
  events::PendingEvent event(directory_.events(), events::EventType::kResendCode);
  return event.Finish(ResendConfirmationCodeStep(request, event));
}

}  // namespace cognate::identity
