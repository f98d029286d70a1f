#pragma once
// Command-line parsing for `cognate`. Pure: no I/O, so it is unit-tested directly.

#include <string>
#include <vector>

#include "app/log.h"
#include "throttle/throttler.h"

namespace cognate::app {

// Message delivery (README "Message delivery"). Secrets are never flag values: the SMTP
// password comes from COGNATE_SMTP_PASSWORD or a file, the webhook secret from a file.
struct DeliveryFlags {
  std::string smtp_url;  // smtp://host[:port] (STARTTLS) or smtps://host[:port]; empty: no SMTP
  std::string smtp_user;
  std::string smtp_password_file;
  std::string smtp_from;  // "addr" or "Name <addr>"; required with smtp_url
  bool smtp_starttls_required = true;
  std::string smtp_ca_file;
  std::string sms_webhook_url;      // http(s)://...; empty: SMS to the outbox
  std::string email_webhook_url;    // http(s)://...; the email default when there is no SMTP
  std::string webhook_secret_file;  // Empty: DATA/webhook-secret (generated when missing)
  std::string webhook_ca_file;
  std::string config_file;   // --delivery-config: per-pool channel choices (JSON)
  int timeout_seconds = 5;  // Per attempt; connecting gets at most 5 s of it. Short:
                           // a worker thread waits for it.
  int attempts = 3;
};

// Lambda triggers delivered as webhooks (README "Triggers"). LambdaConfig holds http(s) URLs;
// Lambda ARNs there are mapped to URLs by the map file.
struct TriggerFlags {
  std::string map_file;  // --trigger-map: JSON {"<arn>": "<url>"}; empty: ARNs resolve to nothing
  std::string ca_file;   // --trigger-ca-file: PEM CAs for https receivers
};

struct ServeConfig {
  std::string data_dir = "./data";
  std::string host = "127.0.0.1";
  unsigned short port = 9330;
  std::string region = "us-east-1";
  std::string public_url;  // Empty: derived from the bound address.
  std::string store_url;  // --store postgres://...; empty: SQLite in data_dir
  std::string domain_base = "auth.localhost";  // hosts of pool domains: <domain>.<domain_base>
  std::string tls_cert;
  std::string tls_key;
  LogLevel log_level = LogLevel::kInfo;
  int threads = 0;
  // Argon2id cost for password hashes; hashes made with other parameters are upgraded at the
  // next successful sign-in.
  int password_hash_memory_mib = 19;
  int password_hash_iterations = 2;
  // Failed sign-ins per user before a lockout, and its cap (Cognito: 5, about 15 minutes).
  int lockout_threshold = 5;
  int lockout_max_seconds = 900;
  int purge_interval_seconds = 600;  // housekeeping of expired rows; 0 turns it off
  // Auth events (events/auth_event_log.h) are kept this long; 0 records none and purges any
  // left from earlier runs.
  int auth_event_retention_days = 90;
  // How long pools and app clients read from the store are reused (store/config_cache.h);
  // -1: the backend's default (SQLite 1000 ms, exact since this node makes every change;
  // PostgreSQL 0, since other nodes' changes would be seen up to this late).
  int config_cache_ms = -1;
  // Common passwords refused at every password set; "none" for no list; empty: john-data's
  // list when installed (identity/password_blocklist.h).
  std::string password_blocklist;
  // Token buckets per IP, user and pool, and Cognito's per-category preset; off by default.
  throttle::ThrottleOptions throttle;
  // Alert rules on sign-in failures (alerts/alert_rules.h); empty: none.
  std::string alert_rules_file;
  // GET /metrics needs "Authorization: Bearer <the file's first line>" when set; else open.
  std::string metrics_token_file;
  DeliveryFlags delivery;
  TriggerFlags triggers;
};

// kTriggerSecret: `cognate trigger-secret [--data DIR] [--store URL] POOL_ID` prints the pool's trigger
// signing secret (triggers/trigger_secret.h); it uses serve.data_dir and pool_id.
// kRotateKeys: `cognate rotate-keys [--data DIR] [--store URL] [--publish-ahead SECONDS] POOL_ID`
// adds new signing keys (app/admin_commands.h); it uses serve.data_dir, serve.store_url, pool_id
// and publish_ahead_seconds.
// kRotateMasterKey: `cognate rotate-master-key [--data DIR] [--store URL] [--new-key-file FILE]
// [--keep-old | --retire-old]` re-wraps the data keys under a new master key
// (app/admin_commands.h); it uses serve.data_dir, serve.store_url and master_key.
// kUsersExport / kUsersImport: `cognate users export|import [--data DIR] [--store URL] POOL_ID
// [FILE]` (app/user_transfer.h); they use serve.data_dir, serve.store_url, pool_id, input_file.
enum class Command {
  kServe,
  kVersion,
  kHelp,
  kTriggerSecret,
  kRotateKeys,
  kRotateMasterKey,
  kUsersExport,
  kUsersImport,
};

// What rotate-master-key does besides adding the new wrappings.
struct MasterKeyRotation {
  std::string new_key_file;  // The new master key (base64); empty: generate one into --data.
  bool keep_old = false;     // Keep the old key's wrappings (nodes still on it can restart).
  bool retire_old = false;   // Only delete the wrappings of every key but the current one.
};

struct ParsedArgs {
  Command command = Command::kHelp;
  ServeConfig serve;
  std::string pool_id;  // kTriggerSecret, kRotateKeys
  // kRotateKeys: new keys are published this long before they sign (the JWKS max-age, so that
  // every node and every verifier's cached JWKS knows them first).
  int publish_ahead_seconds = 300;
  MasterKeyRotation master_key;  // kRotateMasterKey
  std::string input_file;        // kUsersImport: JSON lines; empty or "-": standard input
  std::string error;  // Non-empty when the arguments are invalid.
};

ParsedArgs ParseArgs(const std::vector<std::string>& args);  // args exclude argv[0]
// Splits "host:port" or "[v6]:port". False when malformed.
bool ParseListen(const std::string& text, std::string& host, unsigned short& port);
std::string HelpText();

}  // namespace cognate::app
