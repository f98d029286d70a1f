#include "metrics/server_metrics.h"

#include <string>

namespace cognate::metrics {
namespace {

constexpr char kRequests[] = "cognate_requests_total";
constexpr char kRequestSeconds[] = "cognate_request_duration_seconds";
constexpr char kThrottled[] = "cognate_throttled_requests_total";
constexpr char kSignIns[] = "cognate_sign_ins_total";
constexpr char kChallenges[] = "cognate_challenges_total";
constexpr char kLockouts[] = "cognate_lockouts_total";
constexpr char kStoreSeconds[] = "cognate_store_duration_seconds";

void Declare(Registry& r) {
  r.Counter(kRequests, "HTTP requests by action and outcome (ok or the error type).");
  r.Histogram(kRequestSeconds, "Time from a whole request read to its response, by action.",
              {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5});
  r.Counter(kThrottled, "Requests answered TooManyRequestsException, by action.");
  r.Counter(kSignIns,
            "Sign-in steps that ended a sign-in, by pool: succeeded (tokens) or failed "
            "(refused: wrong password, code or proof, unknown or locked-out user, ...).");
  r.Counter(kChallenges, "Challenges sent to clients during sign-in, by pool and challenge.");
  r.Counter(kLockouts, "Failed sign-ins that locked a user out, by pool.");
  r.Histogram(kStoreSeconds, "Store reads and write transactions, by backend and kind.",
              {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1});
}

}  // namespace

Registry& ServerRegistry() {
  static Registry& registry = [&]() -> Registry& {
    Declare(Default());
    return Default();
  }();
  return registry;
}

void RecordRequest(std::string_view action, std::string_view outcome, double seconds) {
  Registry& r = ServerRegistry();
  const std::string name(action.empty() ? "unknown" : action);
  r.Add(kRequests, {{"action", name}, {"outcome", std::string(outcome)}});
  r.Observe(kRequestSeconds, {{"action", name}}, seconds);
  if (outcome == "TooManyRequestsException") r.Add(kThrottled, {{"action", name}});
}

void RecordSignIn(std::string_view pool_id, bool succeeded) {
  ServerRegistry().Add(kSignIns, {{"pool", std::string(pool_id)},
                                  {"outcome", succeeded ? "succeeded" : "failed"}});
}

void RecordChallenge(std::string_view pool_id, std::string_view challenge) {
  ServerRegistry().Add(kChallenges,
                       {{"pool", std::string(pool_id)}, {"challenge", std::string(challenge)}});
}

void RecordLockout(std::string_view pool_id) {
  ServerRegistry().Add(kLockouts, {{"pool", std::string(pool_id)}});
}

void RecordStoreCall(std::string_view backend, bool write, double seconds) {
  ServerRegistry().Observe(kStoreSeconds, {{"store", std::string(backend)},
                                           {"kind", write ? "write" : "read"}},
                           seconds);
}

}  // namespace cognate::metrics
