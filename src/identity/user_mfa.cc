#include "identity/user_mfa.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "identity/json_fields.h"
#include "identity/retry.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

std::string TotpAad(const store::UserRecord& user) {
  return "totp-secret:" + user.pool_id + ":" + user.username_key;
}

bool HasValue(const json::object& attributes, std::string_view name) {
  return !GetString(attributes, name).value_or("").empty();
}

}  // namespace

Result<UserMfa> ParseUserMfa(std::string_view text) {
  if (text.empty()) return UserMfa{};
  auto parsed = ParseStoredObject(text);
  if (!parsed.ok()) return std::move(parsed).error();
  const json::object& o = *parsed;
  UserMfa mfa;
  mfa.sms_enabled = GetBool(o, "sms").value_or(false);
  mfa.totp_enabled = GetBool(o, "totp").value_or(false);
  mfa.email_enabled = GetBool(o, "email").value_or(false);
  mfa.preferred = GetString(o, "preferred").value_or("");
  mfa.totp_secret_sealed = GetString(o, "totp_secret").value_or("");
  mfa.totp_pending_sealed = GetString(o, "totp_pending").value_or("");
  mfa.totp_device_name = GetString(o, "totp_name").value_or("");
  mfa.totp_last_step = GetInt(o, "totp_step").value_or(0);
  mfa.totp_pending_failures = GetInt(o, "totp_failures").value_or(0);
  return mfa;
}

std::string SerializeUserMfa(const UserMfa& mfa) {
  json::object o;
  if (mfa.sms_enabled) o["sms"] = true;
  if (mfa.totp_enabled) o["totp"] = true;
  if (mfa.email_enabled) o["email"] = true;
  if (!mfa.preferred.empty()) o["preferred"] = mfa.preferred;
  if (!mfa.totp_secret_sealed.empty()) o["totp_secret"] = mfa.totp_secret_sealed;
  if (!mfa.totp_pending_sealed.empty()) o["totp_pending"] = mfa.totp_pending_sealed;
  if (!mfa.totp_device_name.empty()) o["totp_name"] = mfa.totp_device_name;
  if (mfa.totp_last_step != 0) o["totp_step"] = mfa.totp_last_step;
  if (mfa.totp_pending_failures != 0) o["totp_failures"] = mfa.totp_pending_failures;
  return json::serialize(o);
}

std::string SealTotpSecret(const crypto::KeyEncryptionKey& kek, const store::UserRecord& user,
                           std::string_view secret) {
  return kek.Seal(secret, TotpAad(user));
}

Result<std::string> OpenTotpSecret(const crypto::KeyEncryptionKey& kek,
                                   const store::UserRecord& user, std::string_view sealed) {
  return kek.Open(sealed, TotpAad(user));
}

Status EditUserMfa(UserDirectory& directory, const PoolContext& pool,
                   std::string_view username_key, const UserMfaEdit& edit) {
  store::UserStore& users = *directory.stores().users;
  return RetryOnConflict([&]() -> Status {
    auto current = users.GetUser(pool.id(), std::string(username_key));
    if (!current.ok()) return std::move(current).error();
    if (!current->has_value()) return UserNotFound();
    store::UserRecord user = std::move(**current);
    auto mfa = ParseUserMfa(user.mfa_json);
    if (!mfa.ok()) return std::move(mfa).error();
    auto attributes = ParseStoredObject(user.attributes_json);
    if (!attributes.ok()) return std::move(attributes).error();
    COGNATE_RETURN_IF_ERROR(edit(user, *attributes, *mfa));
    user.mfa_json = SerializeUserMfa(*mfa);
    return users.UpdateUser(user);
  });
}

PoolMfa PoolMfaOf(const json::object& pool_config) {
  PoolMfa pool;
  pool.mode = GetString(pool_config, "MfaConfiguration").value_or("OFF");
  if (const json::value* sms = pool_config.if_contains("SmsMfaConfiguration")) {
    pool.sms = sms->is_object();
  } else {
    pool.sms = GetObject(pool_config, "SmsConfiguration") != nullptr;
  }
  const json::object* totp = GetObject(pool_config, "SoftwareTokenMfaConfiguration");
  pool.totp = totp != nullptr && GetBool(*totp, "Enabled").value_or(false);
  pool.email = GetObject(pool_config, "EmailMfaConfiguration") != nullptr;
  return pool;
}

std::vector<std::string> UsableFactors(const PoolMfa& pool, const UserMfa& mfa,
                                       const json::object& attributes) {
  std::vector<std::string> factors;
  if (pool.sms && mfa.sms_enabled && HasValue(attributes, "phone_number")) {
    factors.emplace_back(kSmsMfa);
  }
  if (pool.totp && mfa.totp_enabled && !mfa.totp_secret_sealed.empty()) {
    factors.emplace_back(kSoftwareTokenMfa);
  }
  if (pool.email && mfa.email_enabled && HasValue(attributes, "email")) {
    factors.emplace_back(kEmailOtp);
  }
  return factors;
}

void AddMfaSettings(json::object& out, const UserMfa& mfa) {
  json::array enabled;
  if (mfa.sms_enabled) enabled.emplace_back(kSmsMfa);
  if (mfa.totp_enabled) enabled.emplace_back(kSoftwareTokenMfa);
  if (mfa.email_enabled) enabled.emplace_back(kEmailOtp);
  if (enabled.empty()) return;
  if (mfa.sms_enabled) {
    out["MFAOptions"] =
        json::array{json::object{{"DeliveryMedium", "SMS"}, {"AttributeName", "phone_number"}}};
  }
  if (!mfa.preferred.empty()) out["PreferredMfaSetting"] = mfa.preferred;
  out["UserMFASettingList"] = std::move(enabled);
}

}  // namespace cognate::identity
