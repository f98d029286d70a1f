#include "throttle/throttler.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "common/ascii.h"

namespace cognate::throttle {
namespace {

namespace json = boost::json;

std::string_view StringField(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

// Who the call is about, if anyone: Username, or the USERNAME of AuthParameters.
std::string_view UserOf(const json::object& body) {
  if (std::string_view name = StringField(body, "Username"); !name.empty()) return name;
  if (const json::value* params = body.if_contains("AuthParameters");
      params && params->is_object()) {
    return StringField(params->as_object(), "USERNAME");
  }
  return {};
}

// The pool a call is counted against: its UserPoolId, else the client standing for its pool.
std::string PoolKeyOf(const json::object& body) {
  if (std::string_view pool = StringField(body, "UserPoolId"); !pool.empty()) {
    return std::string(pool);
  }
  if (std::string_view client = StringField(body, "ClientId"); !client.empty()) {
    return "client:" + std::string(client);
  }
  return {};
}

Error Throttled() { return Error::TooManyRequests("Too many requests. Try again later."); }

struct CategoryEntry {
  std::string_view action;
  std::string_view category;
};

// cognito-wire.md §10.3; actions outside the table are not limited by the preset.
constexpr CategoryEntry kCategories[] = {
    {"InitiateAuth", "UserAuthentication"},
    {"AdminInitiateAuth", "UserAuthentication"},
    {"RespondToAuthChallenge", "UserAuthentication"},
    {"AdminRespondToAuthChallenge", "UserAuthentication"},
    {"SignUp", "UserCreation"},
    {"ConfirmSignUp", "UserCreation"},
    {"AdminCreateUser", "UserCreation"},
    {"AdminConfirmSignUp", "UserCreation"},
    {"ForgotPassword", "UserAccountRecovery"},
    {"ConfirmForgotPassword", "UserAccountRecovery"},
    {"ChangePassword", "UserAccountRecovery"},
    {"ResendConfirmationCode", "UserAccountRecovery"},
    {"AdminResetUserPassword", "UserAccountRecovery"},
    {"AdminSetUserPassword", "UserAccountRecovery"},
    {"GetUser", "UserRead"},
    {"AdminGetUser", "UserRead"},
    {"UpdateUserAttributes", "UserUpdate"},
    {"DeleteUserAttributes", "UserUpdate"},
    {"AdminUpdateUserAttributes", "UserUpdate"},
    {"AdminDeleteUserAttributes", "UserUpdate"},
    {"AdminDisableUser", "UserUpdate"},
    {"AdminEnableUser", "UserUpdate"},
    {"AdminDeleteUser", "UserUpdate"},
    {"DeleteUser", "UserUpdate"},
    {"VerifyUserAttribute", "UserUpdate"},
    {"GetUserAttributeVerificationCode", "UserUpdate"},
    {"SetUserMFAPreference", "UserUpdate"},
    {"AdminSetUserMFAPreference", "UserUpdate"},
    {"AssociateSoftwareToken", "UserUpdate"},
    {"VerifySoftwareToken", "UserUpdate"},
    {"RevokeToken", "UserToken"},
    {"GlobalSignOut", "UserToken"},
    {"AdminUserGlobalSignOut", "UserToken"},
    {"GetTokensFromRefreshToken", "UserToken"},
    {"AdminListGroupsForUser", "UserResourceRead"},
    {"AdminAddUserToGroup", "UserResourceUpdate"},
    {"AdminRemoveUserFromGroup", "UserResourceUpdate"},
    {"ListUsers", "UserList"},
    {"ListUsersInGroup", "UserList"},
    {"DescribeUserPool", "UserPoolRead"},
    {"ListUserPools", "UserPoolRead"},
    {"CreateUserPool", "UserPoolUpdate"},
    {"UpdateUserPool", "UserPoolUpdate"},
    {"DeleteUserPool", "UserPoolUpdate"},
    {"GetGroup", "UserPoolResourceRead"},
    {"ListGroups", "UserPoolResourceRead"},
    {"DescribeResourceServer", "UserPoolResourceRead"},
    {"ListResourceServers", "UserPoolResourceRead"},
    {"DescribeIdentityProvider", "UserPoolResourceRead"},
    {"ListIdentityProviders", "UserPoolResourceRead"},
    {"CreateGroup", "UserPoolResourceUpdate"},
    {"UpdateGroup", "UserPoolResourceUpdate"},
    {"DeleteGroup", "UserPoolResourceUpdate"},
    {"CreateResourceServer", "UserPoolResourceUpdate"},
    {"UpdateResourceServer", "UserPoolResourceUpdate"},
    {"DeleteResourceServer", "UserPoolResourceUpdate"},
    {"CreateIdentityProvider", "UserPoolResourceUpdate"},
    {"UpdateIdentityProvider", "UserPoolResourceUpdate"},
    {"DeleteIdentityProvider", "UserPoolResourceUpdate"},
    {"DescribeUserPoolClient", "UserPoolClientRead"},
    {"ListUserPoolClients", "UserPoolClientRead"},
    {"CreateUserPoolClient", "UserPoolClientUpdate"},
    {"UpdateUserPoolClient", "UserPoolClientUpdate"},
    {"DeleteUserPoolClient", "UserPoolClientUpdate"},
};

struct CategoryRate {
  std::string_view category;
  double per_second;
};

constexpr CategoryRate kCategoryRates[] = {
    {"UserAuthentication", 120}, {"UserCreation", 50},         {"UserAccountRecovery", 30},
    {"UserRead", 120},           {"UserUpdate", 25},           {"UserToken", 120},
    {"UserResourceRead", 50},    {"UserResourceUpdate", 25},   {"UserList", 30},
    {"UserPoolRead", 15},        {"UserPoolUpdate", 15},       {"UserPoolResourceRead", 20},
    {"UserPoolResourceUpdate", 15}, {"UserPoolClientRead", 15}, {"UserPoolClientUpdate", 15},
};

}  // namespace

std::optional<RateLimit> ParseRateLimit(std::string_view text) {
  auto number = [](std::string_view s, double& out) {
    if (s.empty()) return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && out > 0 && out <= 1e6;
  };
  RateLimit limit;
  const std::size_t slash = text.find('/');
  if (!number(text.substr(0, slash), limit.per_second)) return std::nullopt;
  limit.burst = limit.per_second;
  if (slash != std::string_view::npos && !number(text.substr(slash + 1), limit.burst)) {
    return std::nullopt;
  }
  limit.burst = std::max(limit.burst, 1.0);
  return limit;
}

std::string_view QuotaCategory(std::string_view action) {
  for (const CategoryEntry& e : kCategories) {
    if (e.action == action) return e.category;
  }
  return {};
}

RateLimit CategoryLimit(std::string_view category) {
  for (const CategoryRate& r : kCategoryRates) {
    if (r.category == category) return {r.per_second, std::max(r.per_second, 1.0)};
  }
  return {};
}

bool Throttler::Buckets::Take(const std::string& key, const RateLimit& limit, int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= kMaxKeys) {
      // Full buckets have been idle long enough to refill: forgetting them changes nothing.
      std::erase_if(buckets_, [&](const auto& kv) {
        const double refilled =
            kv.second.tokens + (now_ms - kv.second.updated_ms) / 1000.0 * limit.per_second;
        return refilled >= limit.burst;
      });
      if (buckets_.size() >= kMaxKeys) buckets_.clear();
    }
    it = buckets_.emplace(key, Bucket{limit.burst, now_ms}).first;
  }
  Bucket& b = it->second;
  const int64_t elapsed = std::max<int64_t>(0, now_ms - b.updated_ms);
  b.tokens = std::min(limit.burst, b.tokens + elapsed / 1000.0 * limit.per_second);
  b.updated_ms = now_ms;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

Throttler::Throttler(ThrottleOptions options, const Clock& clock)
    : options_(options), clock_(clock) {}

Status Throttler::AdmitSource(std::string_view remote_addr) {
  if (!options_.per_ip.enabled()) return OkStatus();
  if (!ip_.Take(std::string(remote_addr), options_.per_ip, clock_.NowMs())) return Throttled();
  return OkStatus();
}

Status Throttler::AdmitCall(std::string_view action, const boost::json::object& body) {
  const int64_t now = clock_.NowMs();
  const std::string pool = PoolKeyOf(body);
  if (pool.empty()) return OkStatus();
  if (options_.per_user.enabled()) {
    if (std::string_view user = UserOf(body); !user.empty()) {
      if (!user_.Take(pool + "\n" + AsciiLower(user), options_.per_user, now)) return Throttled();
    }
  }
  if (options_.per_pool.enabled() && !pool_.Take(pool, options_.per_pool, now)) {
    return Throttled();
  }
  if (options_.cognito_preset) {
    if (std::string_view category = QuotaCategory(action); !category.empty()) {
      const std::string key = pool + "\n" + std::string(category);
      if (!category_.Take(key, CategoryLimit(category), now)) return Throttled();
    }
  }
  return OkStatus();
}

}  // namespace cognate::throttle
