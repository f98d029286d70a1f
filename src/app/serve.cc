#include "app/serve.h"

#include <sys/stat.h>

#include <boost/json/parse.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "api/cognito/access_keys.h"
#include "api/cognito/auth_event_actions.h"
#include "api/cognito/dispatcher.h"
#include "api/cognito/federation_actions.h"
#include "api/cognito/auth_actions.h"
#include "api/cognito/group_actions.h"
#include "api/cognito/mfa_actions.h"
#include "api/cognito/oauth_config_actions.h"
#include "api/cognito/pool_actions.h"
#include "api/cognito/self_service_actions.h"
#include "api/cognito/ui_actions.h"
#include "api/cognito/user_actions.h"
#include "api/cognito/user_import_actions.h"
#include "api/user_import_upload.h"
#include "api/router.h"
#include "api/wellknown/wellknown.h"
#include "app/admin_credentials.h"
#include "app/data_keys.h"
#include "app/delivery_setup.h"
#include "app/housekeeper.h"
#include "triggers/custom_sender_router.h"
#include "app/log.h"
#include "common/clock.h"
#include "common/worker_pool.h"
#include "crypto/kek.h"
#include "store/config_cache.h"
#include "store/sealed_stores.h"
#include "auth/access_guard.h"
#include "auth/password_hasher.h"
#include "auth/sign_in_service.h"
#include "alerts/alert_engine.h"
#include "alerts/alert_webhook.h"
#include "common/request_meta.h"
#include "identity/code_delivery.h"
#include "identity/password_blocklist.h"
#include "metrics/server_metrics.h"
#include "identity/group_service.h"
#include "identity/mfa_service.h"
#include "identity/pool_service.h"
#include "identity/self_service.h"
#include "identity/user_directory.h"
#include "identity/user_service.h"
#include "token/keyring.h"
#include "token/token_service.h"
#include "net/server.h"
#include "oauth/oauth_endpoints.h"
#include "store/postgres/pg_open.h"
#include "store/sqlite/open.h"
#include "triggers/http_trigger_invoker.h"

namespace cognate::app {
namespace {

void PrepareDataDir(const std::string& dir) {
  std::filesystem::create_directories(dir);
  ::chmod(dir.c_str(), 0700);  // Holds the master key and credentials.
}

void LogRequest(const http::Request& req, const http::Response& res,
                std::chrono::microseconds latency) {
  boost::json::object f{{"request_id", req.request_id},
                        {"method", req.method},
                        {"path", std::string(req.Path().substr(0, 256))},
                        {"status", res.status},
                        {"latency_us", latency.count()},
                        {"remote", req.remote_addr}};
  if (!res.log_action.empty()) f["action"] = res.log_action;
  if (!res.log_error.empty()) f["error"] = res.log_error;
  metrics::RecordRequest(res.log_action, res.log_error.empty() ? "ok" : res.log_error,
                         std::chrono::duration<double>(latency).count());
  Log(res.status >= 500 ? LogLevel::kError : LogLevel::kInfo, "request", std::move(f));
}

void PrintBanner(const std::string& endpoint, const AdminCredentials& admin,
                 const ServeConfig& c) {
  std::printf("cognate %s listening on %s (data: %s, region: %s)\n", COGNATE_VERSION,
              endpoint.c_str(), c.data_dir.c_str(), c.region.c_str());
  if (admin.generated) {
    std::printf(
        "Generated the admin access key (shown once; also in %s/admin-credentials, mode 0600):\n"
        "  AWS_ACCESS_KEY_ID=%s\n  AWS_SECRET_ACCESS_KEY=%s\n",
        c.data_dir.c_str(), admin.access_key_id.c_str(), admin.secret_access_key.c_str());
  } else {
    std::printf("Admin access key id: %s (from %s)\n", admin.access_key_id.c_str(),
                admin.source.c_str());
  }
  std::fflush(stdout);
}

// One line per trigger call: failures at warn, successes at debug; never the event or answer.
void LogTriggerCall(const triggers::InvocationReport& r) {
  boost::json::object f{{"trigger", r.trigger},       {"trigger_source", r.trigger_source},
                        {"pool_id", r.pool_id},       {"target", r.target},
                        {"status", r.status},         {"latency_ms", r.latency_ms}};
  if (r.error != nullptr) f["error"] = r.error->type;
  if (!r.detail.empty()) f["detail"] = r.detail;
  Log(r.error != nullptr ? LogLevel::kWarn : LogLevel::kDebug, "trigger", std::move(f));
}

// The webhook trigger invoker (--trigger-map, --trigger-ca-file); throws on a bad map file.
std::unique_ptr<triggers::HttpTriggerInvoker> TriggerInvoker(const ServeConfig& c,
                                                             const crypto::KeyEncryptionKey& kek,
                                                             const Clock& clock) {
  triggers::TriggerTargets targets;
  if (!c.triggers.map_file.empty()) {
    auto loaded = triggers::TriggerTargets::Load(c.triggers.map_file);
    if (!loaded.ok()) throw std::runtime_error(loaded.error().message);
    targets = std::move(*loaded);
  }
  Log(LogLevel::kInfo, "triggers", {{"mapped_arns", targets.size()}});
  triggers::HttpTriggerOptions options;
  options.region = c.region;
  options.ca_file = c.triggers.ca_file;
  return std::make_unique<triggers::HttpTriggerInvoker>(std::move(targets), kek, clock,
                                                        std::move(options), LogTriggerCall);
}

}  // namespace

namespace {

// Store calls block the thread that makes them. SQLite answers in microseconds, so one thread
// per CPU keeps the CPUs busy; a PostgreSQL round trip leaves the thread waiting on the network,
// so more threads keep the CPUs busy while others wait.
unsigned Cpus() { return std::max(1u, std::thread::hardware_concurrency()); }
int NetworkThreads(const ServeConfig& c) {
  if (c.threads > 0) return c.threads;
  return static_cast<int>(Cpus() * (c.store_url.empty() ? 1 : 4));
}
int WorkerThreads(const ServeConfig& c) {
  return static_cast<int>(std::max(2u, Cpus() * (c.store_url.empty() ? 1 : 2)));
}

// The alerting of --alert-rules: the engine, and the webhook it posts to when configured. Both
// log every alert and delivery failure. Per-user alerts name the auth event that fired them;
// the webhook (not the log) also gets its feedback token, for a "was this you?" message whose
// answer goes to UpdateAuthEventFeedback.
struct Alerting {
  std::unique_ptr<alerts::AlertWebhook> webhook;
  std::unique_ptr<alerts::AlertEngine> engine;
};

Alerting StartAlerting(const ServeConfig& c, const Clock& clock,
                       const events::AuthEventLog& events) {
  Alerting out;
  if (c.alert_rules_file.empty()) return out;
  auto config = alerts::ParseAlertConfig(ReadSmallFile(c.alert_rules_file, 1 << 20, "--alert-rules"));
  if (!config.ok()) throw std::runtime_error(config.error().message);
  if (!config->webhook_url.empty()) {
    out.webhook = std::make_unique<alerts::AlertWebhook>(
        config->webhook_url,
        LoadOrCreateWebhookSecret(c.data_dir, c.delivery.webhook_secret_file), clock,
        [](const std::string& detail) {
          Log(LogLevel::kWarn, "alert delivery failed", {{"detail", detail}});
        });
  }
  alerts::AlertWebhook* webhook = out.webhook.get();
  out.engine = std::make_unique<alerts::AlertEngine>(
      config->rules, clock, [webhook, &events](const alerts::Alert& alert) {
        Log(LogLevel::kWarn, "alert", boost::json::parse(alerts::AlertJson(alert)).as_object());
        if (webhook == nullptr) return;
        alerts::Alert delivered = alert;
        if (!alert.event_id.empty())
          delivered.feedback_token =
              events.FeedbackToken(alert.pool_id, alert.username_key, alert.event_id);
        webhook->Post(alerts::AlertJson(delivered));
      });
  Log(LogLevel::kInfo, "alert rules",
      {{"rules", static_cast<int64_t>(config->rules.size())},
       {"webhook", config->webhook_url.empty() ? "none" : "configured"}});
  return out;
}

// The configured list, john-data's by default; a list named explicitly must load.
void LoadPasswordBlocklist(const ServeConfig& c) {
  if (c.password_blocklist == "none") return;
  std::string path = c.password_blocklist;
  if (path.empty()) {
    if (!std::filesystem::exists(identity::kDefaultPasswordBlocklist)) {
      Log(LogLevel::kWarn, "no password blocklist",
          {{"hint", "apt install john-data, or --password-blocklist FILE"}});
      return;
    }
    path = identity::kDefaultPasswordBlocklist;
  }
  auto list = identity::PasswordBlocklist::Load(path);
  if (!list.ok()) throw std::runtime_error(list.error().message);
  Log(LogLevel::kInfo, "password blocklist",
      {{"file", path}, {"entries", static_cast<int64_t>(list->size())}});
  identity::SetActivePasswordBlocklist(
      std::make_shared<const identity::PasswordBlocklist>(std::move(*list)));
}

}  // namespace

store::Stores OpenStores(const ServeConfig& c) {
  if (c.store_url.empty()) return store::sqlite::Open(c.data_dir + "/cognate.db");
  // One connection for every thread that may be waiting on the database at once.
  return store::postgres::Open(
      {.url = c.store_url, .pool_size = NetworkThreads(c) + WorkerThreads(c)});
}

int Serve(const ServeConfig& c) {
  SetLogLevel(c.log_level);
  try {
    SystemClock clock;
    PrepareDataDir(c.data_dir);
    const char* master_env = std::getenv("COGNATE_MASTER_KEY");
    auto master = crypto::KeyEncryptionKey::LoadOrCreate(c.data_dir, master_env ? master_env : "");
    store::Stores stores = OpenStores(c);
    auto kek = LoadKeySet(master, *stores.data_keys, clock.NowMs());
    auto resealed = store::SealProfiles(stores, kek);
    if (!resealed.ok())
      throw std::runtime_error("cannot encrypt stored profiles: " + resealed.error().message);
    if (*resealed > 0) Log(LogLevel::kInfo, "profiles encrypted", {{"users", *resealed}});
    store::CachePoolsAndClients(
        stores, clock, c.config_cache_ms >= 0 ? c.config_cache_ms : c.store_url.empty() ? 1000 : 0);
    LoadPasswordBlocklist(c);

    api::AccessKeyAuthorizer authorizer(*stores.access_keys, kek, clock);
    AdminCredentials admin = EnsureAdminCredentials(c.data_dir, authorizer);

    // Blocking work (key generation, password hashing, fsync-bound writes) runs here.
    auto workers = std::make_unique<WorkerPool>(WorkerThreads(c), 1024);
    api::CognitoDispatcher dispatcher(authorizer, clock, workers.get());
    std::unique_ptr<throttle::Throttler> throttler;
    if (c.throttle.any()) {
      throttler = std::make_unique<throttle::Throttler>(c.throttle, clock);
      dispatcher.set_throttler(throttler.get());
    }

    net::ServerOptions options;
    options.host = c.host;
    options.port = c.port;
    options.threads = NetworkThreads(c);
    options.tls_cert_file = c.tls_cert;
    options.tls_key_file = c.tls_key;
    // The router needs the public URL, which may depend on the port the server bound.
    std::unique_ptr<api::WellKnown> well_known;
    std::unique_ptr<api::Router> router;
    // Set once the router exists, which is before the server serves.
    options.body_limit_for = [&router](std::string_view method, std::string_view target) {
      return router ? router->BodyLimit(method, target) : std::size_t{0};
    };
    net::Server server(
        options,
        [&router](http::Request req, net::Respond respond) {
          router->Serve(std::move(req), std::move(respond));
        },
        LogRequest);
    std::string host = c.host.find(':') != std::string::npos ? "[" + c.host + "]" : c.host;
    std::string endpoint = std::string(server.tls() ? "https://" : "http://") + host + ":" +
                           std::to_string(server.port());
    const std::string public_url = c.public_url.empty() ? endpoint : c.public_url;
    well_known = std::make_unique<api::WellKnown>(*stores.pools, *stores.keys, public_url);
    router = std::make_unique<api::Router>(dispatcher, *well_known);

    // Domain services, bound to their Cognito actions.
    identity::PoolService pools(
        *stores.pools, *stores.clients, *stores.keys, kek, clock,
        {c.region, "000000000000", stores.users.get(), stores.documents.get()});
    auth::PasswordHasher hasher({static_cast<uint64_t>(c.password_hash_iterations),
                                 static_cast<size_t>(c.password_hash_memory_mib) << 20});
    token::Keyring keyring(*stores.keys, kek, clock);
    token::TokenService tokens(keyring, clock, public_url);
    // Codes and invitations: outbox, SMTP or webhooks, per pool and channel (--smtp-url...).
    auto message_delivery = MessageDelivery::Build(c, clock);
    Log(LogLevel::kInfo, "message delivery", {{"routes", message_delivery->summary()}});
    auto trigger_invoker = TriggerInvoker(c, kek, clock);  // Outlives the services.
    // A pool's CustomSMSSender/CustomEmailSender takes its codes; other pools use the routes.
    triggers::CustomSenderRouter sender(*stores.pools, trigger_invoker->targets(), kek, clock,
                                        {c.region, c.triggers.ca_file},
                                        message_delivery->sender());
    identity::UserDirectory directory(stores, kek, clock);
    directory.set_triggers(trigger_invoker.get());
    // Auth events: recorded unless the retention is 0 (keep none); a failed write is logged
    // and the user's request goes on.
    events::AuthEventLog auth_events(*stores.auth_events, kek, clock, [](const Error& error) {
      Log(LogLevel::kWarn, "auth event not recorded", {{"error", error.message}});
    });
    if (c.auth_event_retention_days > 0) directory.set_events(&auth_events);
    identity::AuthEventService auth_event_service(directory, auth_events);
    identity::CodeDelivery codes(directory, sender);
    identity::UserService users(directory, codes, sender, hasher);
    auth::AccessGuard guard(directory, tokens);
    identity::SelfService self_service(directory, guard, hasher, codes);
    auth::LockoutPolicy lockout;
    lockout.threshold = c.lockout_threshold;
    lockout.max_lock_ms = int64_t{c.lockout_max_seconds} * 1000;
    auth::SignInService sign_in(directory, hasher, tokens, kek, sender, lockout);
    Alerting alerting = StartAlerting(c, clock, auth_events);
    if (alerting.engine) {
      sign_in.set_listener([engine = alerting.engine.get()](
                               const std::string& pool, std::string_view username, bool ok,
                               std::string_view event_id, std::string_view username_key) {
        const RequestMeta* meta = CurrentRequestMeta();
        engine->Observe({pool, std::string(username), meta ? meta->source_ip : "", ok,
                         std::string(event_id), std::string(username_key)});
      });
    }
    identity::GroupService groups(directory);
    identity::MfaService mfa(directory, guard);
    api::RegisterPoolActions(dispatcher, pools);
    api::RegisterUserActions(dispatcher, users);
    api::RegisterSelfServiceActions(dispatcher, self_service);
    api::RegisterAuthActions(dispatcher, sign_in);
    api::RegisterAuthEventActions(dispatcher, auth_event_service);
    api::RegisterGroupActions(dispatcher, groups);
    api::RegisterMfaActions(dispatcher, mfa, sign_in);
    api::RegisterOAuthConfigActions(dispatcher, directory);
    api::RegisterUiCustomizationActions(dispatcher, directory, public_url);
    federation::Federation federation(directory);  // Also serves /oauth2 (upstream IdPs).
    api::RegisterFederationActions(dispatcher, federation);

    // Pool domains: OAuth 2.0 endpoints and hosted pages.
    oauth::OAuthEndpoints oauth_endpoints(
        {directory, sign_in, users, tokens, guard, &federation, workers.get()}, public_url,
        c.domain_base);
    router->add_endpoints(&oauth_endpoints);
    // User import jobs, with their upload URL served here.
    identity::UserImportService user_imports(directory, public_url);
    api::RegisterUserImportActions(dispatcher, user_imports);
    api::UserImportUploads user_import_uploads(user_imports, workers.get());
    router->add_endpoints(&user_import_uploads);
    if (!c.metrics_token_file.empty()) {
      router->set_metrics_token(ReadSecretFile(c.metrics_token_file, "--metrics-token-file"));
    }
    // Read at each scrape; removed before the worker pool goes away.
    metrics::Registry& registry = metrics::ServerRegistry();
    registry.Gauge("cognate_hashing_queue_depth",
                   "Tasks waiting for a worker (password hashing and other blocking work).",
                   [pool = workers.get()] { return static_cast<double>(pool->queued()); });
    struct GaugeRemover {
      metrics::Registry& registry;
      ~GaugeRemover() { registry.Remove("cognate_hashing_queue_depth"); }
    } remove_gauge{registry};

    Housekeeper housekeeper(stores, clock,
                            {.interval_ms = int64_t{c.purge_interval_seconds} * 1000,
                             .auth_event_retention_ms =
                                 int64_t{c.auth_event_retention_days} * 24 * 60 * 60 * 1000});
    if (c.purge_interval_seconds > 0) housekeeper.Start();

    PrintBanner(endpoint, admin, c);
    Log(LogLevel::kInfo, "started", {{"endpoint", endpoint}, {"data", c.data_dir}});
    server.Run();
    registry.Remove("cognate_hashing_queue_depth");
    // Finish queued work while the server's executors still exist (matters only when the
    // drain timeout cut shutdown short).
    workers.reset();
    Log(LogLevel::kInfo, "stopped");
    return 0;
  } catch (const std::exception& e) {
    Log(LogLevel::kError, "start-up failed", {{"error", e.what()}});
    std::fprintf(stderr, "cognate: %s\n", e.what());
    return 1;
  }
}

}  // namespace cognate::app
