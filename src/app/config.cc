#include "app/config.h"

#include <charconv>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

#include "delivery/curl_transfer.h"

namespace cognate::app {
namespace {

bool ParseInt(const std::string& s, int lo, int hi, int& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && out >= lo && out <= hi;
}

bool IsRegion(const std::string& r) {
  if (r.size() < 5 || r.size() > 32) return false;
  for (char c : r)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '-'))
      return false;
  return true;
}

bool IsUrl(const std::string& url, std::initializer_list<std::string_view> schemes) {
  return delivery::IsUrlWithScheme(url, std::vector<std::string_view>(schemes));
}

// Applies one delivery flag; std::nullopt when `flag` is not one, else an error text or "".
std::optional<std::string> ApplyDeliveryFlag(const std::string& flag, const std::string& value,
                                             DeliveryFlags& d) {
  if (flag == "--smtp-url") {
    if (!IsUrl(value, {"smtp", "smtps"}))
      return "--smtp-url must be smtp://HOST[:PORT] or smtps://HOST[:PORT]";
    d.smtp_url = value;
  } else if (flag == "--smtp-user") {
    d.smtp_user = value;
  } else if (flag == "--smtp-password-file") {
    d.smtp_password_file = value;
  } else if (flag == "--smtp-password") {
    return "--smtp-password is not accepted (command lines are visible to other users): use "
           "COGNATE_SMTP_PASSWORD or --smtp-password-file";
  } else if (flag == "--smtp-from") {
    d.smtp_from = value;
  } else if (flag == "--smtp-starttls") {
    if (value != "required" && value != "optional")
      return "--smtp-starttls must be required or optional";
    d.smtp_starttls_required = value == "required";
  } else if (flag == "--smtp-ca-file") {
    d.smtp_ca_file = value;
  } else if (flag == "--sms-webhook-url" || flag == "--email-webhook-url") {
    if (!IsUrl(value, {"http", "https"})) return flag + " must be an http:// or https:// URL";
    (flag == "--sms-webhook-url" ? d.sms_webhook_url : d.email_webhook_url) = value;
  } else if (flag == "--webhook-secret-file") {
    d.webhook_secret_file = value;
  } else if (flag == "--webhook-ca-file") {
    d.webhook_ca_file = value;
  } else if (flag == "--delivery-config") {
    d.config_file = value;
  } else if (flag == "--delivery-timeout") {
    if (!ParseInt(value, 1, 300, d.timeout_seconds))
      return "invalid --delivery-timeout (seconds, 1-300): " + value;
  } else if (flag == "--delivery-attempts") {
    if (!ParseInt(value, 1, 10, d.attempts)) return "invalid --delivery-attempts (1-10): " + value;
  } else {
    return std::nullopt;
  }
  return "";
}

// Flags that only make sense together.
std::string CheckDeliveryFlags(const DeliveryFlags& d) {
  const bool smtp_details = !d.smtp_user.empty() || !d.smtp_password_file.empty() ||
                            !d.smtp_from.empty() || !d.smtp_ca_file.empty();
  if (d.smtp_url.empty() && smtp_details) return "the --smtp-* options need --smtp-url";
  if (!d.smtp_url.empty() && d.smtp_from.empty()) return "--smtp-url needs --smtp-from";
  if (!d.smtp_password_file.empty() && d.smtp_user.empty())
    return "--smtp-password-file needs --smtp-user";
  return "";
}

// Applies one "--flag value" pair to the serve config; returns an error text or "".
std::string ApplyServeFlag(const std::string& flag, const std::string& value, ServeConfig& c) {
  if (flag == "--data") {
    c.data_dir = value;
  } else if (flag == "--listen") {
    if (!ParseListen(value, c.host, c.port)) return "invalid --listen (want HOST:PORT): " + value;
  } else if (flag == "--region") {
    if (!IsRegion(value)) return "invalid --region: " + value;
    c.region = value;
  } else if (flag == "--public-url") {
    if (!(value.starts_with("http://") || value.starts_with("https://")))
      return "--public-url must start with http:// or https://";
    c.public_url = value;
    while (c.public_url.ends_with('/')) c.public_url.pop_back();
  } else if (flag == "--store") {
    if (!(value.starts_with("postgres://") || value.starts_with("postgresql://"))) {
      return "--store must be a postgres:// URL (the default is SQLite in the data directory)";
    }
    c.store_url = value;
  } else if (flag == "--domain-base") {
    if (value.empty() || value.size() > 200 || value.front() == '.' ||
        value.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-.") != std::string::npos) {
      return "invalid --domain-base (want a lowercase host name): " + value;
    }
    c.domain_base = value;
  } else if (flag == "--throttle-ip" || flag == "--throttle-user" || flag == "--throttle-pool") {
    auto limit = throttle::ParseRateLimit(value);
    if (!limit) return "invalid " + flag + " (want RPS or RPS/BURST): " + value;
    (flag == "--throttle-ip"     ? c.throttle.per_ip
     : flag == "--throttle-user" ? c.throttle.per_user
                                 : c.throttle.per_pool) = *limit;
  } else if (flag == "--throttle-preset") {
    if (value != "cognito") return "--throttle-preset knows only cognito";
    c.throttle.cognito_preset = true;
  } else if (flag == "--alert-rules") {
    c.alert_rules_file = value;
  } else if (flag == "--password-blocklist") {
    if (value.empty()) return "--password-blocklist needs a file, or none";
    c.password_blocklist = value;
  } else if (flag == "--metrics-token-file") {
    c.metrics_token_file = value;
  } else if (flag == "--tls-cert") {
    c.tls_cert = value;
  } else if (flag == "--tls-key") {
    c.tls_key = value;
  } else if (flag == "--log-level") {
    if (!ParseLogLevel(value, c.log_level)) return "invalid --log-level: " + value;
  } else if (flag == "--threads") {
    if (!ParseInt(value, 1, 256, c.threads)) return "invalid --threads: " + value;
  } else if (flag == "--password-hash-memory") {
    if (!ParseInt(value, 1, 4096, c.password_hash_memory_mib))
      return "invalid --password-hash-memory (MiB, 1-4096): " + value;
  } else if (flag == "--password-hash-iterations") {
    if (!ParseInt(value, 1, 64, c.password_hash_iterations))
      return "invalid --password-hash-iterations (1-64): " + value;
  } else if (flag == "--lockout-threshold") {
    if (!ParseInt(value, 1, 1000, c.lockout_threshold)) return "invalid --lockout-threshold: " + value;
  } else if (flag == "--lockout-max-seconds") {
    if (!ParseInt(value, 1, 86400, c.lockout_max_seconds))
      return "invalid --lockout-max-seconds: " + value;
  } else if (flag == "--auth-event-retention-days") {
    if (!ParseInt(value, 0, 3650, c.auth_event_retention_days))
      return "invalid --auth-event-retention-days (0-3650): " + value;
  } else if (flag == "--config-cache-ms") {
    if (!ParseInt(value, 0, 60000, c.config_cache_ms))
      return "invalid --config-cache-ms (0-60000): " + value;
  } else if (flag == "--purge-interval-seconds") {
    if (!ParseInt(value, 0, 86400, c.purge_interval_seconds))
      return "invalid --purge-interval-seconds: " + value;
  } else if (flag == "--trigger-map") {
    c.triggers.map_file = value;
  } else if (flag == "--trigger-ca-file") {
    c.triggers.ca_file = value;
  } else if (auto delivery = ApplyDeliveryFlag(flag, value, c.delivery)) {
    return *delivery;
  } else {
    return "unknown option: " + flag;
  }
  return "";
}

// A user pool id as the model allows it ([\w-]+_[0-9a-zA-Z]+, at most 55 characters).
bool IsPoolId(const std::string& id) {
  const size_t underscore = id.rfind('_');
  if (id.size() > 55 || underscore == std::string::npos || underscore == 0 ||
      underscore + 1 == id.size())
    return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(id[i]);
    const bool word = std::isalnum(c) || c == '_' || (i < underscore && c == '-');
    if (!word) return false;
  }
  return true;
}

// A command's `--flag=value` or `--flag value` (advancing i): false when the value is missing.
bool SplitFlag(const std::vector<std::string>& args, size_t& i, std::string& flag,
               std::string& value) {
  if (auto eq = flag.find('='); eq != std::string::npos) {
    value = flag.substr(eq + 1);
    flag = flag.substr(0, eq);
    return true;
  }
  if (i + 1 >= args.size()) return false;
  value = args[++i];
  return true;
}

// `trigger-secret [--data DIR] [--store URL] POOL_ID` and
// `rotate-keys [--data DIR] [--store URL] [--publish-ahead SECONDS] POOL_ID`.
void ParsePoolCommand(const std::vector<std::string>& args, ParsedArgs& out) {
  const bool rotate = args[0] == "rotate-keys";
  out.command = rotate ? Command::kRotateKeys : Command::kTriggerSecret;
  const std::string usage =
      rotate ? "usage: cognate rotate-keys [--data DIR] [--store URL] [--publish-ahead SECONDS] "
               "POOL_ID"
             : "usage: cognate trigger-secret [--data DIR] [--store URL] POOL_ID";
  for (size_t i = 1; i < args.size(); ++i) {
    std::string flag = args[i];
    std::string value;
    if (flag == "--help" || flag == "-h") {
      out.command = Command::kHelp;
      return;
    }
    if (!flag.starts_with("-")) {
      if (!out.pool_id.empty()) {
        out.error = usage;
        return;
      }
      out.pool_id = flag;
      continue;
    }
    if (!SplitFlag(args, i, flag, value)) {
      out.error = usage;
      return;
    }
    if (flag == "--data" || flag == "--store") {
      out.error = ApplyServeFlag(flag, value, out.serve);
      if (!out.error.empty()) return;
    } else if (rotate && flag == "--publish-ahead") {
      if (!ParseInt(value, 0, 86400, out.publish_ahead_seconds)) {
        out.error = "--publish-ahead needs seconds from 0 to 86400";
        return;
      }
    } else {
      out.error = usage;
      return;
    }
  }
  if (!IsPoolId(out.pool_id)) out.error = args[0] + " needs a user pool id (e.g. us-east-1_Abc)";
}

// `rotate-master-key [--data DIR] [--store URL] [--new-key-file FILE]
// [--keep-old | --retire-old]`.
void ParseMasterKeyCommand(const std::vector<std::string>& args, ParsedArgs& out) {
  out.command = Command::kRotateMasterKey;
  const std::string usage =
      "usage: cognate rotate-master-key [--data DIR] [--store URL] [--new-key-file FILE] "
      "[--keep-old | --retire-old]";
  MasterKeyRotation& rotation = out.master_key;
  for (size_t i = 1; i < args.size(); ++i) {
    std::string flag = args[i];
    if (flag == "--help" || flag == "-h") {
      out.command = Command::kHelp;
      return;
    }
    if (flag == "--keep-old" || flag == "--retire-old") {
      (flag == "--keep-old" ? rotation.keep_old : rotation.retire_old) = true;
      continue;
    }
    std::string value;
    if (!SplitFlag(args, i, flag, value)) {
      out.error = usage;
      return;
    }
    if (flag == "--data" || flag == "--store") {
      out.error = ApplyServeFlag(flag, value, out.serve);
      if (!out.error.empty()) return;
    } else if (flag == "--new-key-file" && !value.empty()) {
      rotation.new_key_file = value;
    } else {
      out.error = usage;
      return;
    }
  }
  if (rotation.keep_old && rotation.retire_old) {
    out.error = "--keep-old and --retire-old exclude each other";
  } else if (rotation.retire_old && !rotation.new_key_file.empty()) {
    out.error = "--retire-old takes no new key: it keeps only the current key's wrappings";
  }
}

// `users export [--data DIR] [--store URL] POOL_ID` and
// `users import [--data DIR] [--store URL] POOL_ID [FILE]`.
void ParseUsersCommand(const std::vector<std::string>& args, ParsedArgs& out) {
  const std::string usage =
      "usage: cognate users export|import [--data DIR] [--store URL] POOL_ID [FILE]";
  if (args.size() < 2 || (args[1] != "export" && args[1] != "import")) {
    out.error = usage;
    return;
  }
  const bool import = args[1] == "import";
  out.command = import ? Command::kUsersImport : Command::kUsersExport;
  std::vector<std::string> positional;
  for (size_t i = 2; i < args.size(); ++i) {
    std::string flag = args[i];
    std::string value;
    if (flag == "--help" || flag == "-h") {
      out.command = Command::kHelp;
      return;
    }
    if (flag == "-" || !flag.starts_with("-")) {
      positional.push_back(flag);
      continue;
    }
    if (!SplitFlag(args, i, flag, value) || (flag != "--data" && flag != "--store")) {
      out.error = usage;
      return;
    }
    out.error = ApplyServeFlag(flag, value, out.serve);
    if (!out.error.empty()) return;
  }
  if (positional.empty() || positional.size() > (import ? 2u : 1u)) {
    out.error = usage;
    return;
  }
  out.pool_id = positional[0];
  if (positional.size() == 2) out.input_file = positional[1];
  if (!IsPoolId(out.pool_id)) out.error = "users " + args[1] + " needs a user pool id";
}

}  // namespace

bool ParseListen(const std::string& text, std::string& host, unsigned short& port) {
  std::string h;
  std::string p;
  if (text.starts_with('[')) {
    auto close = text.find("]:");
    if (close == std::string::npos) return false;
    h = text.substr(1, close - 1);
    p = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    h = text.substr(0, colon);
    p = text.substr(colon + 1);
  }
  int n = 0;
  if (h.empty() || !ParseInt(p, 0, 65535, n)) return false;
  host = h;
  port = static_cast<unsigned short>(n);
  return true;
}

ParsedArgs ParseArgs(const std::vector<std::string>& args) {
  ParsedArgs out;
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") return out;
  if (args[0] == "version" || args[0] == "--version") {
    out.command = Command::kVersion;
    return out;
  }
  if (args[0] == "trigger-secret" || args[0] == "rotate-keys") {
    ParsePoolCommand(args, out);
    return out;
  }
  if (args[0] == "rotate-master-key") {
    ParseMasterKeyCommand(args, out);
    return out;
  }
  if (args[0] == "users") {
    ParseUsersCommand(args, out);
    return out;
  }
  if (args[0] != "serve") {
    out.error = "unknown command: " + args[0];
    return out;
  }
  out.command = Command::kServe;
  for (size_t i = 1; i < args.size(); ++i) {
    std::string flag = args[i];
    std::string value;
    if (auto eq = flag.find('='); flag.starts_with("--") && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    } else if (flag == "--help" || flag == "-h") {
      out.command = Command::kHelp;
      return out;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      out.error = "missing value for " + flag;
      return out;
    }
    out.error = ApplyServeFlag(flag, value, out.serve);
    if (!out.error.empty()) return out;
  }
  if (out.serve.tls_cert.empty() != out.serve.tls_key.empty())
    out.error = "--tls-cert and --tls-key go together";
  else
    out.error = CheckDeliveryFlags(out.serve.delivery);
  return out;
}

std::string HelpText() {
  return R"(cognate: a self-hosted identity service that speaks the Amazon Cognito User Pools API.

Usage:
  cognate serve [options]   Start the server.
  cognate version           Print the version.
  cognate trigger-secret [--data DIR] [--store URL] POOL_ID
                            Print the pool's trigger signing secret (hex; the HMAC key of
                            X-Cognate-Signature on its trigger webhooks).
  cognate rotate-keys [--data DIR] [--store URL] [--publish-ahead SECONDS] POOL_ID
                            Add new ID and access token signing keys to the pool. They are
                            published in the JWKS at once and sign from SECONDS later (default
                            300, the JWKS max-age); older keys keep verifying. Run it on any
                            one node with the store and master key the nodes use.
  cognate rotate-master-key [--data DIR] [--store URL] [--new-key-file FILE]
                            [--keep-old | --retire-old]
                            Re-wrap the data keys (which seal everything at rest) under a new
                            master key, generated into DIR/master.key or read from FILE (base64
                            of 32 bytes; for COGNATE_MASTER_KEY). Running servers go on; they
                            need the new key when they restart. --keep-old leaves the old key
                            working for nodes not yet restarted; --retire-old later removes it.
  cognate users export [--data DIR] [--store URL] POOL_ID > users.jsonl
  cognate users import [--data DIR] [--store URL] POOL_ID [FILE]
                            Write a pool's users as JSON lines with their password hashes, or
                            read them (from FILE or standard input) into a pool. Imported
                            Argon2id, bcrypt, scrypt ($7$) and PBKDF2 hashes sign in with the
                            same password and are upgraded to the server's Argon2id then.
  cognate --help            Show this help.

Options for serve:
  --data DIR            Data directory (SQLite store, master.key, admin-credentials). Default ./data
  --listen HOST:PORT    Address to listen on. Default 127.0.0.1:9330 (port 0 picks a free port)
  --region REGION       Region used in pool ids and ARNs. Default us-east-1
  --public-url URL      Base URL for token issuers and discovery documents.
                        Default http(s)://HOST:PORT
  --store URL           postgres://user:password@host:port/db: keep everything in PostgreSQL
                        (several nodes may share it). Default: SQLite in DATA/cognate.db
  --domain-base NAME    Pool domains answer as <domain>.NAME (Host header). Default
                        auth.localhost; also, without DNS, at PUBLIC_URL/<pool id>/oauth2/...
  --metrics-token-file FILE  GET /metrics (Prometheus) then needs "Authorization: Bearer
                        <token>", the token being the file's first line. Default: open
  --tls-cert FILE       PEM certificate chain; serve HTTPS (with --tls-key)
  --tls-key FILE        PEM private key
  --log-level LEVEL     debug, info, warn or error. Default info
  --threads N           Network threads. Default: one per CPU; four per CPU with --store
  --password-hash-memory MIB      Argon2id memory per password hash. Default 19
  --password-hash-iterations N    Argon2id passes. Default 2
  --throttle-ip RPS[/BURST]       Token bucket per source address (every API call).
  --throttle-user RPS[/BURST]     Per user named by a call (Username, AuthParameters.USERNAME).
  --throttle-pool RPS[/BURST]     Per pool (per app client for calls naming only a client).
  --throttle-preset cognito       Per pool, Cognito's quota categories (UserAuthentication 120
                                  RPS, UserCreation 50, ...). Throttled calls answer
                                  TooManyRequestsException. All off by default; per node.
  --alert-rules FILE              Alerts on failed sign-ins per user, per address, or a pool's
                                  failure ratio, to the log and a signed webhook (JSON; see
                                  docs/monitoring.md). Default: none
  --password-blocklist FILE|none  Refuse passwords listed in FILE (one per line, any case) at
                                  every password set. Default /usr/share/john/password.lst
                                  (Debian's john-data) when installed
  --lockout-threshold N           Failed sign-ins before a user is locked out. Default 5
  --lockout-max-seconds N         Longest lockout (it doubles from 1 s). Default 900
  --auth-event-retention-days N   Keep auth events (AdminListUserAuthEvents) N days; 0 records
                                  none. Default 90
  --config-cache-ms N             Reuse pools and app clients read from the store for N ms
                                  (writes on this node clear them at once). Default 1000 on
                                  SQLite; 0 with --store (other nodes' changes would show up
                                  to N ms late)
  --purge-interval-seconds N      Delete expired codes, challenge sessions and refresh tokens
                                  every N seconds; 0 never. Default 600

Message delivery (codes and invitations; without these flags everything goes to the outbox,
DATA/outbox.jsonl):
  --smtp-url URL        Send email through SMTP: smtp://HOST[:PORT] (STARTTLS) or
                        smtps://HOST[:PORT] (TLS from the start)
  --smtp-from ADDRESS   From address ("no-reply@example.com" or "Name <no-reply@example.com>")
  --smtp-user USER      Authenticate (AUTH) as USER; the password comes from
                        COGNATE_SMTP_PASSWORD or --smtp-password-file, never a flag
  --smtp-password-file FILE       File holding the SMTP password
  --smtp-starttls required|optional   STARTTLS on smtp:// URLs. Default required
  --smtp-ca-file FILE   PEM CA certificates for the SMTP server (private CAs)
  --sms-webhook-url URL           POST SMS messages as Cognito custom SMS sender events
  --email-webhook-url URL         POST email messages as Cognito custom email sender events
  --webhook-secret-file FILE      Key of the X-Cognate-Signature HMAC. Default
                                  DATA/webhook-secret, generated (mode 0600) when missing
  --webhook-ca-file FILE          PEM CA certificates for https webhooks
  --delivery-config FILE          Per-pool choices, JSON:
                        {"pools":{"POOL_ID":{"email":"smtp|webhook|outbox","sms":"webhook|outbox"}}}
  --delivery-timeout SECONDS      Time limit of one delivery attempt. Default 5
  --delivery-attempts N           Attempts before CodeDeliveryFailureException. Default 3
  Defaults: email via SMTP when --smtp-url is set, else via the email webhook when set, else
  the outbox; SMS via the SMS webhook when set, else the outbox.

Lambda triggers (the pool's LambdaConfig names http(s):// receivers; events are POSTed,
signed with X-Cognate-Signature under the pool's secret, 5 s limit):
  --trigger-map FILE    JSON {"<Lambda ARN>": "<http(s) URL>"}: where ARNs in LambdaConfig go;
                        an unmapped ARN answers UnexpectedLambdaException
  --trigger-ca-file FILE          PEM CA certificates for https trigger receivers

Environment:
  COGNATE_ADMIN_ACCESS_KEY_ID, COGNATE_ADMIN_SECRET_ACCESS_KEY
                        Admin SigV4 credentials. Without them the first start generates a key,
                        stores it in DATA/admin-credentials (mode 0600) and prints it once.
  COGNATE_MASTER_KEY    Base64 of the 32-byte key-encryption key (else DATA/master.key).
  COGNATE_SMTP_PASSWORD The SMTP password (or --smtp-password-file).
)";
}

}  // namespace cognate::app
