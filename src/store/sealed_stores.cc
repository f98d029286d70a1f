#include "store/sealed_stores.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cognate::store {
namespace {

constexpr std::string_view kHashedKeyPrefix = "hmac:";
constexpr char kSealedFlag[] = "profiles-sealed";

bool IsClearAttributes(std::string_view attributes) {
  return attributes.empty() || attributes.front() == '{';
}

bool IsHashedKey(std::string_view value_key) {
  return value_key.substr(0, kHashedKeyPrefix.size()) == kHashedKeyPrefix;
}

// Seals and opens one pool's rows; shared by both decorators.
class ProfileSealer {
 public:
  explicit ProfileSealer(const crypto::KeyEncryptionKey& kek)
      : kek_(kek), lookup_key_(kek.Derive("user-lookup-keys")) {}

  UserRecord Sealed(UserRecord user) const {
    if (IsClearAttributes(user.attributes_json))
      user.attributes_json = kek_.Seal(user.attributes_json, Aad(user));
    return user;
  }

  Result<UserRecord> Opened(UserRecord user) const {
    if (IsClearAttributes(user.attributes_json)) return user;
    auto attributes = kek_.Open(user.attributes_json, Aad(user));
    if (!attributes.ok()) return std::move(attributes).error();
    user.attributes_json = std::move(*attributes);
    return user;
  }

  Result<std::optional<UserRecord>> Opened(Result<std::optional<UserRecord>> found) const {
    if (!found.ok() || !found->has_value()) return found;
    auto opened = Opened(std::move(**found));
    if (!opened.ok()) return std::move(opened).error();
    return std::optional<UserRecord>(std::move(*opened));
  }

  Result<Page<UserRecord>> Opened(Result<Page<UserRecord>> page) const {
    if (!page.ok()) return page;
    for (UserRecord& user : page->items) {
      auto opened = Opened(std::move(user));
      if (!opened.ok()) return std::move(opened).error();
      user = std::move(*opened);
    }
    return page;
  }

  UserKey Hashed(const std::string& pool_id, const UserKey& key) const {
    if (IsHashedKey(key.value_key)) return key;
    std::string input = pool_id;
    input.append(1, '\x1f').append(key.kind).append(1, '\x1f').append(key.value_key);
    return {key.kind,
            std::string(kHashedKeyPrefix) + crypto::Base64UrlEncode(
                                                crypto::HmacSha256(lookup_key_, input))};
  }

  std::vector<UserKey> Hashed(const std::string& pool_id, const std::vector<UserKey>& keys) const {
    std::vector<UserKey> out;
    out.reserve(keys.size());
    for (const UserKey& key : keys) out.push_back(Hashed(pool_id, key));
    return out;
  }

 private:
  // The sub never changes, so the sealed value stays bound to its one user.
  static std::string Aad(const UserRecord& user) {
    return "user-attributes:" + user.pool_id + "/" + user.sub;
  }

  const crypto::KeyEncryptionKey& kek_;
  const std::string lookup_key_;
};

class SealedUserStore final : public UserStore {
 public:
  SealedUserStore(std::unique_ptr<UserStore> inner, std::shared_ptr<const ProfileSealer> sealer)
      : inner_(std::move(inner)), sealer_(std::move(sealer)) {}

  Status CreateUser(const UserRecord& user, const std::vector<UserKey>& keys) override {
    return inner_->CreateUser(sealer_->Sealed(user), sealer_->Hashed(user.pool_id, keys));
  }
  Result<std::vector<Status>> CreateUsers(const std::vector<NewUser>& users) override {
    std::vector<NewUser> sealed;
    sealed.reserve(users.size());
    for (const NewUser& one : users)
      sealed.push_back({sealer_->Sealed(one.user), sealer_->Hashed(one.user.pool_id, one.keys)});
    return inner_->CreateUsers(sealed);
  }
  Result<std::optional<UserRecord>> GetUser(const std::string& pool_id,
                                            const std::string& username_key) override {
    return sealer_->Opened(inner_->GetUser(pool_id, username_key));
  }
  Result<std::optional<UserRecord>> FindByKey(const std::string& pool_id,
                                              const UserKey& key) override {
    return sealer_->Opened(inner_->FindByKey(pool_id, sealer_->Hashed(pool_id, key)));
  }
  Result<std::optional<UserRecord>> FindBySub(const std::string& pool_id,
                                              const std::string& sub) override {
    return sealer_->Opened(inner_->FindBySub(pool_id, sub));
  }
  // The stored (hashed) keys: nothing above the store reads them back.
  Result<std::vector<UserKey>> GetKeys(const std::string& pool_id,
                                       const std::string& username_key) override {
    return inner_->GetKeys(pool_id, username_key);
  }
  Status UpdateUser(const UserRecord& user, const std::vector<UserKey>* keys,
                    bool release_taken) override {
    if (keys == nullptr) return inner_->UpdateUser(sealer_->Sealed(user), nullptr, release_taken);
    const std::vector<UserKey> hashed = sealer_->Hashed(user.pool_id, *keys);
    return inner_->UpdateUser(sealer_->Sealed(user), &hashed, release_taken);
  }
  Status DeleteUser(const std::string& pool_id, const std::string& username_key) override {
    return inner_->DeleteUser(pool_id, username_key);
  }
  Result<Page<UserRecord>> ListUsers(const std::string& pool_id, const std::string& after,
                                     int limit) override {
    return sealer_->Opened(inner_->ListUsers(pool_id, after, limit));
  }
  Result<int64_t> CountUsers(const std::string& pool_id) override {
    return inner_->CountUsers(pool_id);
  }
  Result<UserRecord> RecordSignInFailure(const std::string& pool_id,
                                         const std::string& username_key, int64_t now_ms,
                                         int64_t reset_after_ms, int64_t lock_threshold,
                                         int64_t max_lock_ms) override {
    auto user = inner_->RecordSignInFailure(pool_id, username_key, now_ms, reset_after_ms,
                                            lock_threshold, max_lock_ms);
    if (!user.ok()) return user;
    return sealer_->Opened(std::move(*user));
  }
  Status ClearSignInFailures(const std::string& pool_id,
                             const std::string& username_key) override {
    return inner_->ClearSignInFailures(pool_id, username_key);
  }

  UserStore& inner() { return *inner_; }

 private:
  std::unique_ptr<UserStore> inner_;
  std::shared_ptr<const ProfileSealer> sealer_;
};

// Only ListUsersInGroup returns users; the rest passes through.
class SealedGroupStore final : public GroupStore {
 public:
  SealedGroupStore(std::unique_ptr<GroupStore> inner, std::shared_ptr<const ProfileSealer> sealer)
      : inner_(std::move(inner)), sealer_(std::move(sealer)) {}

  Status CreateGroup(const GroupRecord& group) override { return inner_->CreateGroup(group); }
  Result<std::optional<GroupRecord>> GetGroup(const std::string& pool_id,
                                              const std::string& name) override {
    return inner_->GetGroup(pool_id, name);
  }
  Status UpdateGroup(const GroupRecord& group) override { return inner_->UpdateGroup(group); }
  Status DeleteGroup(const std::string& pool_id, const std::string& name) override {
    return inner_->DeleteGroup(pool_id, name);
  }
  Result<Page<GroupRecord>> ListGroups(const std::string& pool_id, const std::string& after,
                                       int limit) override {
    return inner_->ListGroups(pool_id, after, limit);
  }
  Status AddMember(const std::string& pool_id, const std::string& group,
                   const std::string& username_key) override {
    return inner_->AddMember(pool_id, group, username_key);
  }
  Status RemoveMember(const std::string& pool_id, const std::string& group,
                      const std::string& username_key) override {
    return inner_->RemoveMember(pool_id, group, username_key);
  }
  Result<Page<GroupRecord>> ListGroupsForUser(const std::string& pool_id,
                                              const std::string& username_key,
                                              const std::string& after, int limit) override {
    return inner_->ListGroupsForUser(pool_id, username_key, after, limit);
  }
  Result<Page<UserRecord>> ListUsersInGroup(const std::string& pool_id, const std::string& group,
                                            const std::string& after, int limit) override {
    return sealer_->Opened(inner_->ListUsersInGroup(pool_id, group, after, limit));
  }


 private:
  std::unique_ptr<GroupStore> inner_;
  std::shared_ptr<const ProfileSealer> sealer_;
};

// Whether the user's row is still (partly) in clear.
Result<bool> IsClear(UserStore& raw, const UserRecord& user) {
  if (IsClearAttributes(user.attributes_json)) return true;
  auto keys = raw.GetKeys(user.pool_id, user.username_key);
  if (!keys.ok()) return std::move(keys).error();
  for (const UserKey& key : *keys)
    if (!IsHashedKey(key.value_key)) return true;
  return false;
}

// One user through the sealing store: attributes sealed, clear keys hashed (a user's keys are
// replaced in one transaction, so they are all clear or all hashed). A concurrent write (another
// node sealing the same row as it starts) makes it look again.
Status Reseal(SealedUserStore& sealed, const UserRecord& raw_user) {
  for (int attempt = 0;; ++attempt) {
    auto user = sealed.GetUser(raw_user.pool_id, raw_user.username_key);
    if (!user.ok()) return std::move(user).error();
    if (!user->has_value()) return OkStatus();  // deleted meanwhile
    auto keys = sealed.inner().GetKeys(raw_user.pool_id, raw_user.username_key);
    if (!keys.ok()) return std::move(keys).error();
    Status updated = sealed.UpdateUser(**user, &*keys, false);
    if (updated.ok() || attempt == 2 || !updated.error().Is("ConcurrentModificationException"))
      return updated;
  }
}

Result<int64_t> SealLegacyRows(Stores& stores, SealedUserStore& sealed) {
  int64_t rewritten = 0;
  std::string pools_after;
  do {
    auto pools = stores.pools->ListPools(pools_after, 100);
    if (!pools.ok()) return std::move(pools).error();
    for (const UserPoolRecord& pool : pools->items) {
      std::string users_after;
      do {
        auto users = sealed.inner().ListUsers(pool.id, users_after, 500);
        if (!users.ok()) return std::move(users).error();
        for (const UserRecord& user : users->items) {
          auto clear = IsClear(sealed.inner(), user);
          if (!clear.ok()) return std::move(clear).error();
          if (!*clear) continue;
          COGNATE_RETURN_IF_ERROR(Reseal(sealed, user));
          ++rewritten;
        }
        users_after = users->next_after;
      } while (!users_after.empty());
    }
    pools_after = pools->next_after;
  } while (!pools_after.empty());
  return rewritten;
}

}  // namespace

Result<int64_t> SealProfiles(Stores& stores, const crypto::KeyEncryptionKey& kek) {
  auto sealer = std::make_shared<const ProfileSealer>(kek);
  stores.groups = std::make_unique<SealedGroupStore>(std::move(stores.groups), sealer);
  auto users = std::make_unique<SealedUserStore>(std::move(stores.users), sealer);
  SealedUserStore& sealed = *users;
  stores.users = std::move(users);

  auto flag = stores.data_keys->GetFlag(kSealedFlag);
  if (!flag.ok()) return std::move(flag).error();
  if (!flag->empty()) return int64_t{0};
  auto rewritten = SealLegacyRows(stores, sealed);
  if (!rewritten.ok()) return rewritten;
  COGNATE_RETURN_IF_ERROR(stores.data_keys->SetFlag(kSealedFlag, "1"));
  return rewritten;
}

}  // namespace cognate::store
