#include "app/user_transfer.h"

#include <boost/json.hpp>

#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include "app/data_keys.h"
#include "app/serve.h"
#include "auth/imported_hashes.h"
#include "common/clock.h"
#include "crypto/kek.h"
#include "crypto/random.h"
#include "identity/json_fields.h"
#include "identity/user_batch_writer.h"
#include "identity/user_attributes.h"
#include "identity/user_directory.h"
#include "store/sealed_stores.h"

namespace cognate::app {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxLine = 64 * 1024;
constexpr std::size_t kBatchSize = 500;

// The server's stores and keys, opened as `cognate serve` opens them (profiles sealed), and
// the pool the command names.
struct PoolSession {
  std::optional<crypto::KeyEncryptionKey> kek;
  store::Stores stores;
  SystemClock clock;
  std::optional<identity::PoolContext> pool;
};

// False (reported) without a master key; std::runtime_error when the pool cannot be loaded.
bool Open(const ParsedArgs& args, PoolSession& out) {
  auto master = ExistingMasterKey(args.serve.data_dir);
  if (!master) return false;
  out.stores = OpenStores(args.serve);
  out.kek.emplace(LoadKeySet(*master, *out.stores.data_keys, out.clock.NowMs()));
  auto sealed = store::SealProfiles(out.stores, *out.kek);
  if (!sealed.ok()) throw std::runtime_error(sealed.error().message);
  auto pool = identity::UserDirectory(out.stores, *out.kek, out.clock).LoadPool(args.pool_id);
  if (!pool.ok()) throw std::runtime_error(pool.error().message);
  out.pool = std::move(*pool);
  return true;
}

json::object ExportLine(const store::UserRecord& user, const json::object& attributes) {
  json::object line{{"Username", user.username},
                    {"Sub", user.sub},
                    {"UserStatus", user.status},
                    {"Enabled", user.enabled},
                    {"Attributes", attributes},
                    {"UserCreateDate", user.created_ms}};
  if (!user.password_hash.empty()) line["PasswordHash"] = user.password_hash;
  return line;
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// The user a line describes, with its sign-in keys; InvalidParameterException naming the
// problem otherwise.
Result<std::pair<store::UserRecord, std::vector<store::UserKey>>> UserFromLine(
    const identity::PoolContext& pool, const json::object& line, int64_t now_ms) {
  const auto* username = line.if_contains("Username");
  if (username == nullptr || !username->is_string() || username->as_string().empty() ||
      username->as_string().size() > 128) {
    return Error::InvalidParameter("Username must be a string of 1 to 128 characters.");
  }
  store::UserRecord user;
  user.pool_id = pool.id();
  user.username = std::string(username->as_string());
  user.username_key = identity::UserDirectory::UsernameKey(pool, user.username);
  const auto* sub = line.if_contains("Sub");
  user.sub = sub != nullptr && sub->is_string() && IsUuid(sub->as_string())
                 ? std::string(sub->as_string())
                 : crypto::RandomUuid();

  json::array attribute_list;
  if (const auto* attributes = line.if_contains("Attributes")) {
    if (!attributes->is_object()) return Error::InvalidParameter("Attributes must be an object.");
    for (const auto& [name, value] : attributes->as_object()) {
      if (name == "sub") continue;
      attribute_list.push_back(json::object{{"Name", name}, {"Value", value}});
    }
  }
  auto attributes = identity::ValidateAttributes(pool.config, attribute_list,
                                                 identity::AttributeWriteMode::kAdminCreate);
  if (!attributes.ok()) return std::move(attributes).error();

  if (const auto* hash = line.if_contains("PasswordHash"); hash != nullptr) {
    if (!hash->is_string() || !auth::IsAcceptedPasswordHash(hash->as_string())) {
      return Error::InvalidParameter(
          "PasswordHash is not an accepted form (Argon2id, bcrypt, scrypt $7$, PBKDF2) within "
          "its cost bounds.");
    }
    user.password_hash = std::string(hash->as_string());
  }
  std::string status = "CONFIRMED";
  if (const auto* given = line.if_contains("UserStatus"); given && given->is_string())
    status = std::string(given->as_string());
  if (status != "CONFIRMED" && status != "UNCONFIRMED" && status != "RESET_REQUIRED" &&
      status != "FORCE_CHANGE_PASSWORD") {
    return Error::InvalidParameter("UserStatus " + status + " cannot be imported.");
  }
  // Nobody can sign in without a password: such users reset it first, as Cognito's import.
  user.status = user.password_hash.empty() ? "RESET_REQUIRED" : status;
  if (const auto* enabled = line.if_contains("Enabled"); enabled && enabled->is_bool())
    user.enabled = enabled->as_bool();
  user.created_ms = now_ms;
  if (const auto* created = line.if_contains("UserCreateDate"); created && created->is_int64())
    user.created_ms = created->as_int64();
  user.modified_ms = user.password_changed_ms = now_ms;
  user.attributes_json = json::serialize(*attributes);
  return std::make_pair(std::move(user), identity::UserDirectory::KeysFor(pool, *attributes));
}

}  // namespace

int ExportUsers(const ParsedArgs& args) {
  try {
    PoolSession opened;
    if (!Open(args, opened)) return 1;
    int64_t exported = 0;
    std::string after;
    do {
      auto page = opened.stores.users->ListUsers(args.pool_id, after, 1000);
      if (!page.ok()) throw std::runtime_error(page.error().message);
      for (const store::UserRecord& user : page->items) {
        auto attributes = identity::ParseStoredObject(user.attributes_json);
        if (!attributes.ok()) throw std::runtime_error(attributes.error().message);
        identity::DropReservedAttributes(*attributes);
        std::cout << json::serialize(ExportLine(user, *attributes)) << '\n';
        ++exported;
      }
      after = page->next_after;
    } while (!after.empty());
    std::cout.flush();
    std::fprintf(stderr, "exported %lld users\n", static_cast<long long>(exported));
    return std::cout.good() ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cognate: %s\n", e.what());
    return 1;
  }
}

int ImportUsers(const ParsedArgs& args) {
  try {
    PoolSession opened;
    if (!Open(args, opened)) return 1;
    std::ifstream file;
    if (!args.input_file.empty() && args.input_file != "-") {
      file.open(args.input_file);
      if (!file) throw std::runtime_error("cannot open " + args.input_file);
    }
    std::istream& in = file.is_open() ? file : std::cin;
    int64_t imported = 0, skipped = 0, failed = 0, line_number = 0;
    identity::UserBatchWriter writer(
        *opened.stores.users, kBatchSize, [&](int64_t line, const Status& created) {
          if (created.ok()) {
            ++imported;
            return;
          }
          const bool taken = identity::IsTakenUser(created);
          std::fprintf(stderr, "line %lld: %s%s\n", static_cast<long long>(line),
                       taken ? "skipped: " : "", created.error().message.c_str());
          ++(taken ? skipped : failed);
        });
    std::string text;
    while (std::getline(in, text)) {
      ++line_number;
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto report = [&](const std::string& why) {
        std::fprintf(stderr, "line %lld: %s\n", static_cast<long long>(line_number), why.c_str());
      };
      if (text.size() > kMaxLine) {
        report("longer than 64 KiB");
        ++failed;
        continue;
      }
      boost::system::error_code ec;
      json::value parsed = json::parse(text, ec);
      if (ec || !parsed.is_object()) {
        report("not a JSON object");
        ++failed;
        continue;
      }
      auto user = UserFromLine(*opened.pool, parsed.as_object(), opened.clock.NowMs());
      if (!user.ok()) {
        report(user.error().message);
        ++failed;
        continue;
      }
      // The same sub under another name (an earlier import of the same export) is skipped.
      auto same_sub = opened.stores.users->FindBySub(args.pool_id, user->first.sub);
      if (!same_sub.ok()) {
        report(same_sub.error().message);
        ++failed;
        continue;
      }
      if (same_sub->has_value()) {
        report("skipped: a user with this sub exists");
        ++skipped;
        continue;
      }
      writer.Add(line_number, {std::move(user->first), std::move(user->second)});
    }
    writer.Flush();
    std::fprintf(stderr, "imported %lld users, skipped %lld, failed %lld\n",
                 static_cast<long long>(imported), static_cast<long long>(skipped),
                 static_cast<long long>(failed));
    return failed == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cognate: %s\n", e.what());
    return 1;
  }
}

}  // namespace cognate::app
