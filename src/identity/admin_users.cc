// UserService: AdminCreateUser (with its invitation), AdminGetUser, AdminDeleteUser,
// AdminDisableUser and AdminEnableUser.

#include <utility>

#include "identity/codes.h"
#include "identity/custom_message.h"
#include "identity/json_fields.h"
#include "identity/password_policy.h"
#include "identity/password_setter.h"
#include "identity/pre_sign_up.h"
#include "identity/trigger_events.h"
#include "identity/user_attributes.h"
#include "identity/user_mfa.h"
#include "identity/user_service.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

constexpr std::string_view kForceChangePassword = "FORCE_CHANGE_PASSWORD";

// The given TemporaryPassword (which must satisfy the policy) or a generated one.
Result<std::string> TemporaryPassword(const PoolContext& pool, const json::object& request) {
  std::optional<std::string> given = GetString(request, "TemporaryPassword");
  if (!given) return GenerateTemporaryPassword(pool.config);
  COGNATE_RETURN_IF_ERROR(CheckPasswordPolicy(pool.config, *given));
  return std::move(*given);
}

// The mediums to invite through: those requested, else email when the user has one, else SMS.
std::vector<std::string> InvitationMediums(const json::object& request,
                                           const json::object& attributes) {
  std::vector<std::string> mediums;
  if (const json::array* desired = GetArray(request, "DesiredDeliveryMediums"))
    for (const json::value& v : *desired)
      if (v.is_string()) mediums.emplace_back(v.get_string());
  if (mediums.empty()) mediums.push_back(attributes.contains("email") ? "EMAIL" : "SMS");
  return mediums;
}

}  // namespace

Status UserService::SendInvitation(const PoolContext& pool, const store::UserRecord& user,
                                   const json::object& attributes, const std::string& password,
                                   const json::object& request) const {
  // One CustomMessage_AdminCreateUser call serves every medium, as on Cognito, and comes
  // before anything is sent: a failing receiver sends nothing.
  EmailTemplate email_template = InvitationEmailTemplate(pool.config);
  MessageTemplates templates{std::move(email_template.subject), std::move(email_template.body),
                             InvitationSmsTemplate(pool.config)};
  auto texts = CustomizeMessages(directory_, pool,
                                 {user, "invitation", "", ClientMetadataOf(request)}, templates);
  if (!texts.ok()) return std::move(texts).error();
  for (const std::string& medium : InvitationMediums(request, attributes)) {
    bool email = medium == "EMAIL";
    std::string destination = GetString(attributes, email ? "email" : "phone_number").value_or("");
    if (destination.empty()) continue;  // Nothing to send this medium to.
    delivery::OutgoingMessage message;
    message.pool_id = pool.id();
    message.username = user.username;
    message.channel = email ? "EMAIL" : "SMS";
    message.destination = destination;
    message.purpose = "invitation";
    message.code = password;
    auto with_sub = UserDirectory::Attributes(user);
    message.user_attributes = StringAttributes(with_sub.ok() ? *with_sub : attributes);
    RenderTemplates(*texts, message);
    COGNATE_RETURN_IF_ERROR(sender_.Send(message));
  }
  return OkStatus();
}

Result<json::object> UserService::ResendInvitation(const PoolContext& pool,
                                                   const json::object& request) {
  auto password = TemporaryPassword(pool, request);
  if (!password.ok()) return std::move(password).error();
  int64_t now_ms = directory_.clock().NowMs();
  store::UserRecord before;
  auto saved = UpdateUser(pool, GetString(request, "Username").value_or(""),
                          [&](store::UserRecord& user, json::object&) -> Status {
                            if (user.status != kForceChangePassword) {
                              return Error::Make("UnsupportedUserStateException",
                                                 "Resend not possible. " + user.username +
                                                     " status is " + user.status + ".");
                            }
                            before = user;
                            // A new temporary password, valid from now.
                            SetPassword(hasher_, directory_.kek(), user, *password);
                            user.password_changed_ms = now_ms;
                            return OkStatus();
                          });
  if (!saved.ok()) return std::move(saved).error();
  auto attrs = ParseStoredObject(saved->attributes_json);
  if (!attrs.ok()) return std::move(attrs).error();
  Status sent = SendInvitation(pool, *saved, *attrs, *password, request);
  if (!sent.ok()) {
    // The new password never reached the user: the one they were sent before keeps working.
    (void)UpdateUser(pool, saved->username, [&](store::UserRecord& user, json::object&) {
      user.password_hash = before.password_hash;
      user.srp_verifier_sealed = before.srp_verifier_sealed;
      user.password_history_json = before.password_history_json;
      user.password_changed_ms = before.password_changed_ms;
      return OkStatus();
    });
    return std::move(sent).error();
  }
  auto user = UserDirectory::UserType(*saved);
  if (!user.ok()) return std::move(user).error();
  return json::object{{"User", std::move(*user)}};
}

Result<json::object> UserService::AdminCreateUser(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  std::optional<std::string> action = GetString(request, "MessageAction");
  if (action == "RESEND") return ResendInvitation(*pool, request);
  const json::array none;
  const json::array* list = GetArray(request, "UserAttributes");
  auto attrs =
      ValidateAttributes(pool->config, list ? *list : none, AttributeWriteMode::kAdminCreate);
  if (!attrs.ok()) return std::move(attrs).error();
  auto identity = NewUserIdentity(*pool, GetString(request, "Username").value_or(""), *attrs);
  if (!identity.ok()) return std::move(identity).error();
  auto password = TemporaryPassword(*pool, request);
  if (!password.ok()) return std::move(password).error();

  // The username is checked first so that ForceAliasCreation never unverifies another user's
  // alias for a creation that then fails.
  auto existing = directory_.stores().users->GetUser(pool->id(), identity->username_key);
  if (!existing.ok()) return std::move(existing).error();
  if (existing->has_value())
    return Error::Make("UsernameExistsException", "User account already exists");
  // PreSignUp before anything is stored or released; its answer does not apply to
  // AdminCreateUser (pre_sign_up.h).
  auto pre = RunPreSignUp(directory_, *pool, kPreSignUpAdminCreateUser, identity->username, "",
                          *attrs, request);
  if (!pre.ok()) return std::move(pre).error();
  if (GetBool(request, "ForceAliasCreation").value_or(false))
    COGNATE_RETURN_IF_ERROR(ReleaseAliases(*pool, identity->username_key, *attrs));
  store::UserRecord user =
      NewUserRecord(*pool, *identity, std::string(kForceChangePassword), *password, *attrs);
  COGNATE_RETURN_IF_ERROR(InsertUser(*pool, user, *attrs, "User account already exists"));
  if (action != "SUPPRESS") {
    Status sent = SendInvitation(*pool, user, *attrs, *password, request);
    if (!sent.ok()) {
      // Nobody got the temporary password: removing the user lets the admin retry the same
      // call. (Aliases released by ForceAliasCreation stay released.)
      (void)directory_.stores().users->DeleteUser(pool->id(), user.username_key);
      return std::move(sent).error();
    }
  }
  auto out = UserDirectory::UserType(user);
  if (!out.ok()) return std::move(out).error();
  return json::object{{"User", std::move(*out)}};
}

Result<json::object> UserService::AdminGetUser(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  auto user = RequireUser(*pool, request);
  if (!user.ok()) return std::move(user).error();
  auto attrs = UserDirectory::Attributes(*user);
  if (!attrs.ok()) return std::move(attrs).error();
  auto mfa = ParseUserMfa(user->mfa_json);
  if (!mfa.ok()) return std::move(mfa).error();
  json::object out{{"Username", user->username},
                   {"UserAttributes", UserDirectory::AttributeList(*attrs)},
                   {"UserCreateDate", EpochSeconds(user->created_ms)},
                   {"UserLastModifiedDate", EpochSeconds(user->modified_ms)},
                   {"Enabled", user->enabled},
                   {"UserStatus", user->status}};
  AddMfaSettings(out, *mfa);
  return out;
}

Result<json::object> UserService::AdminDeleteUser(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  auto user = RequireUser(*pool, request);
  if (!user.ok()) return std::move(user).error();
  Status deleted = directory_.stores().users->DeleteUser(pool->id(), user->username_key);
  if (!deleted.ok() && deleted.error().Is("ResourceNotFoundException")) return UserNotFound();
  COGNATE_RETURN_IF_ERROR(deleted);
  return json::object();
}

Result<json::object> UserService::AdminDisableUser(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  auto saved = UpdateUser(*pool, GetString(request, "Username").value_or(""),
                          [](store::UserRecord& user, json::object&) -> Status {
                            user.enabled = false;
                            return OkStatus();
                          });
  if (!saved.ok()) return std::move(saved).error();
  // A disabled user's sessions end now, not when their tokens expire.
  COGNATE_RETURN_IF_ERROR(
      directory_.stores().refresh_tokens->RevokeUserTokens(pool->id(), saved->username_key));
  return json::object();
}

Result<json::object> UserService::AdminEnableUser(const json::object& request) {
  auto pool = LoadPool(request);
  if (!pool.ok()) return std::move(pool).error();
  auto saved = UpdateUser(*pool, GetString(request, "Username").value_or(""),
                          [](store::UserRecord& user, json::object&) -> Status {
                            user.enabled = true;
                            return OkStatus();
                          });
  if (!saved.ok()) return std::move(saved).error();
  return json::object();
}

}  // namespace cognate::identity
