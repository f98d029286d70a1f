// MfaService: a user's MFA factors and preference (SetUserMFAPreference,
// AdminSetUserMFAPreference) and the legacy SMS-only MFAOptions (SetUserSettings,
// AdminSetUserSettings).

#include <boost/json/array.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "identity/json_fields.h"
#include "identity/mfa_service.h"

namespace cognate::identity {
namespace json = boost::json;
namespace {

// One factor of SetUserMFAPreference: its request member, its name and where UserMfa keeps it.
struct Factor {
  std::string_view member;
  std::string_view name;
  bool UserMfa::*enabled;
};
constexpr Factor kFactors[] = {
    {"SMSMfaSettings", kSmsMfa, &UserMfa::sms_enabled},
    {"SoftwareTokenMfaSettings", kSoftwareTokenMfa, &UserMfa::totp_enabled},
    {"EmailMfaSettings", kEmailOtp, &UserMfa::email_enabled},
};

bool HasAttribute(const json::object& attributes, std::string_view name) {
  return !GetString(attributes, name).value_or("").empty();
}

// What a factor needs before it can be turned on.
Status CheckCanEnable(std::string_view factor, const UserMfa& mfa,
                      const json::object& attributes) {
  if (factor == kSoftwareTokenMfa && mfa.totp_secret_sealed.empty()) {
    return Error::InvalidParameter("User has not set up software token mfa");
  }
  if (factor == kSmsMfa && !HasAttribute(attributes, "phone_number")) {
    return Error::InvalidParameter("User does not have a phone_number set to turn on SMS MFA");
  }
  if (factor == kEmailOtp && !HasAttribute(attributes, "email")) {
    return Error::InvalidParameter("User does not have an email set to turn on email MFA");
  }
  return OkStatus();
}

// Drops a preference for a factor that is no longer enabled.
void ForgetDisabledPreference(UserMfa& mfa) {
  for (const Factor& f : kFactors) {
    if (mfa.preferred == f.name && !(mfa.*f.enabled)) mfa.preferred.clear();
  }
}

// Applies the SMSMfaSettings / SoftwareTokenMfaSettings / EmailMfaSettings of `request`.
Status ApplyPreferences(const json::object& request, const json::object& attributes,
                        UserMfa& mfa) {
  int preferred = 0;
  for (const Factor& f : kFactors) {
    const json::object* s = GetObject(request, f.member);
    preferred += s != nullptr && GetBool(*s, "PreferredMfa").value_or(false);
  }
  if (preferred > 1) {
    return Error::InvalidParameter("Only one MFA factor can be set as preferred.");
  }
  for (const Factor& f : kFactors) {
    const json::object* s = GetObject(request, f.member);
    if (s == nullptr) continue;
    if (std::optional<bool> enabled = GetBool(*s, "Enabled")) {
      if (*enabled) COGNATE_RETURN_IF_ERROR(CheckCanEnable(f.name, mfa, attributes));
      mfa.*f.enabled = *enabled;
    }
  }
  for (const Factor& f : kFactors) {
    const json::object* s = GetObject(request, f.member);
    std::optional<bool> prefer = s ? GetBool(*s, "PreferredMfa") : std::nullopt;
    if (!prefer) continue;
    if (*prefer) {
      if (!(mfa.*f.enabled)) {
        return Error::InvalidParameter(std::string(f.name) +
                                       " cannot be the preferred MFA while it is not enabled.");
      }
      mfa.preferred = std::string(f.name);
    } else if (mfa.preferred == f.name) {
      mfa.preferred.clear();
    }
  }
  ForgetDisabledPreference(mfa);
  return OkStatus();
}

// Applies legacy MFAOptions: SMS to phone_number, or nothing.
Status ApplyMfaOptions(const json::object& request, const json::object& attributes,
                       UserMfa& mfa) {
  const json::array* options = GetArray(request, "MFAOptions");
  if (options == nullptr || options->empty()) {
    mfa.sms_enabled = false;
    ForgetDisabledPreference(mfa);
    return OkStatus();
  }
  const json::object* only = options->size() == 1 && options->front().is_object()
                                 ? &options->front().get_object()
                                 : nullptr;
  if (only == nullptr || GetString(*only, "DeliveryMedium") != "SMS" ||
      GetString(*only, "AttributeName") != "phone_number") {
    return Error::InvalidParameter(
        "MFAOptions may only hold one option, with DeliveryMedium SMS and AttributeName "
        "phone_number.");
  }
  COGNATE_RETURN_IF_ERROR(CheckCanEnable(kSmsMfa, mfa, attributes));
  mfa.sms_enabled = true;
  return OkStatus();
}

}  // namespace

Result<json::object> MfaService::SetUserMFAPreference(const json::object& request) {
  auto target = Caller(request);
  if (!target.ok()) return std::move(target).error();
  COGNATE_RETURN_IF_ERROR(Edit(*target, [&](store::UserRecord&, const json::object& attributes,
                                            UserMfa& mfa) {
    return ApplyPreferences(request, attributes, mfa);
  }));
  return json::object();
}

Result<json::object> MfaService::AdminSetUserMFAPreference(const json::object& request) {
  auto target = AdminTarget(request);
  if (!target.ok()) return std::move(target).error();
  COGNATE_RETURN_IF_ERROR(Edit(*target, [&](store::UserRecord&, const json::object& attributes,
                                            UserMfa& mfa) {
    return ApplyPreferences(request, attributes, mfa);
  }));
  return json::object();
}

Result<json::object> MfaService::SetUserSettings(const json::object& request) {
  auto target = Caller(request);
  if (!target.ok()) return std::move(target).error();
  COGNATE_RETURN_IF_ERROR(Edit(*target, [&](store::UserRecord&, const json::object& attributes,
                                            UserMfa& mfa) {
    return ApplyMfaOptions(request, attributes, mfa);
  }));
  return json::object();
}

Result<json::object> MfaService::AdminSetUserSettings(const json::object& request) {
  auto target = AdminTarget(request);
  if (!target.ok()) return std::move(target).error();
  COGNATE_RETURN_IF_ERROR(Edit(*target, [&](store::UserRecord&, const json::object& attributes,
                                            UserMfa& mfa) {
    return ApplyMfaOptions(request, attributes, mfa);
  }));
  return json::object();
}

}  // namespace cognate::identity
