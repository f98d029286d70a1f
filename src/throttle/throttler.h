#pragma once
// Request throttling with token buckets (off by default): per source IP, per user and per pool,
// answering TooManyRequestsException (HTTP 429) as Cognito does when a quota is exceeded.
//
// - per IP: every Cognito API call from one address (checked before authentication).
// - per user: calls naming a user (Username, or AuthParameters.USERNAME), per pool and name.
// - per pool: calls naming a pool (UserPoolId); calls that name only an app client (InitiateAuth,
//   SignUp, ...) are counted per client, each client belonging to one pool.
// - the "cognito" preset: per pool and per Cognito quota category (UserAuthentication 120 RPS,
//   UserCreation 50, ...; cognito-wire.md §10.3), each with a one-second burst.
//
// Buckets live in this process: in a cluster each node throttles on its own, so a cluster's
// limit is the sum of its nodes'. Thread-safe; memory is bounded (kMaxKeys buckets per kind,
// idle full buckets dropped first).

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/json/object.hpp>

#include "common/clock.h"
#include "common/result.h"

namespace cognate::throttle {

struct RateLimit {
  double per_second = 0;  // 0: no limit
  double burst = 0;       // bucket size; at least 1
  bool enabled() const { return per_second > 0; }
};

// "RPS" or "RPS/BURST" (burst defaults to RPS, at least 1); std::nullopt when malformed.
std::optional<RateLimit> ParseRateLimit(std::string_view text);

// The Cognito quota category of an action ("" when it has none) and its default rate.
std::string_view QuotaCategory(std::string_view action);
RateLimit CategoryLimit(std::string_view category);

struct ThrottleOptions {
  RateLimit per_ip;
  RateLimit per_user;
  RateLimit per_pool;
  bool cognito_preset = false;
  bool any() const {
    return per_ip.enabled() || per_user.enabled() || per_pool.enabled() || cognito_preset;
  }
};

class Throttler {
 public:
  static constexpr std::size_t kMaxKeys = 100'000;

  Throttler(ThrottleOptions options, const Clock& clock);

  // Before authentication: the caller's address.
  Status AdmitSource(std::string_view remote_addr);
  // After validation: the pool, user and category the call names.
  Status AdmitCall(std::string_view action, const boost::json::object& body);

 private:
  class Buckets {
   public:
    // Takes one token from `key`'s bucket; false when it is empty.
    bool Take(const std::string& key, const RateLimit& limit, int64_t now_ms);

   private:
    struct Bucket {
      double tokens;
      int64_t updated_ms;
    };
    std::mutex mu_;
    std::unordered_map<std::string, Bucket> buckets_;  // guarded by mu_
  };

  ThrottleOptions options_;
  const Clock& clock_;
  Buckets ip_, user_, pool_, category_;
};

}  // namespace cognate::throttle
