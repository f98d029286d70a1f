#pragma once
// In-memory fakes of the pool, client and key stores for identity/ tests, so they run without
// the SQLite backend. One object implements the three interfaces, so deleting a pool can drop
// its clients and keys as the real stores do. Thread-safe (one mutex), like the real stores.

#include <cstdint>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/stores.h"

namespace cognate::identity::fakes {

class FakeStore final : public store::PoolStore, public store::ClientStore, public store::KeyStore {
 public:
  // When set, CountClients returns this instead of the real count (to test the client limit).
  void SetClientCountForTest(std::optional<int64_t> count) {
    std::lock_guard lock(mu_);
    client_count_override_ = count;
  }
  std::vector<store::SigningKeyRecord> AllKeys() const {
    std::lock_guard lock(mu_);
    return keys_;
  }

  // PoolStore
  Status CreatePool(const store::UserPoolRecord& pool,
                    const std::vector<store::SigningKeyRecord>& keys) override {
    std::lock_guard lock(mu_);
    if (pools_.contains(pool.id)) return Error::Internal("duplicate pool id");
    pools_[pool.id] = pool;
    keys_.insert(keys_.end(), keys.begin(), keys.end());
    return OkStatus();
  }
  Result<std::optional<store::UserPoolRecord>> GetPool(const std::string& pool_id) override {
    std::lock_guard lock(mu_);
    auto it = pools_.find(pool_id);
    if (it == pools_.end()) return std::optional<store::UserPoolRecord>();
    return std::optional<store::UserPoolRecord>(it->second);
  }
  // Test hook: this many upcoming UpdatePool calls find that another writer got there first.
  int interfering_pool_writes = 0;

  Status UpdatePool(const store::UserPoolRecord& pool) override {
    std::lock_guard lock(mu_);
    auto it = pools_.find(pool.id);
    if (it == pools_.end()) return Error::NotFound("pool not found");
    if (interfering_pool_writes > 0) {  // Another writer updates the pool first.
      --interfering_pool_writes;
      it->second.version++;
    }
    if (it->second.version != pool.version) return Error::ConcurrentModification();
    it->second.version++;
    it->second.name = pool.name;
    it->second.modified_ms = pool.modified_ms;
    it->second.config_json = pool.config_json;
    return OkStatus();
  }
  Status DeletePool(const std::string& pool_id) override {
    std::lock_guard lock(mu_);
    if (pools_.erase(pool_id) == 0) return Error::NotFound("pool not found");
    std::erase_if(clients_, [&](const auto& kv) { return kv.first.first == pool_id; });
    std::erase_if(keys_, [&](const auto& k) { return k.pool_id == pool_id; });
    return OkStatus();
  }
  Result<store::Page<store::UserPoolRecord>> ListPools(const std::string& after,
                                                       int limit) override {
    std::lock_guard lock(mu_);
    return PageOf(pools_, pools_.upper_bound(after), pools_.end(), limit,
                  [](const auto& kv) { return kv.first; });
  }

  // ClientStore
  Status CreateClient(const store::AppClientRecord& client) override {
    std::lock_guard lock(mu_);
    if (!pools_.contains(client.pool_id)) return Error::NotFound("pool not found");
    clients_[{client.pool_id, client.client_id}] = client;
    return OkStatus();
  }
  Result<std::optional<store::AppClientRecord>> GetClient(const std::string& pool_id,
                                                          const std::string& client_id) override {
    std::lock_guard lock(mu_);
    auto it = clients_.find({pool_id, client_id});
    if (it == clients_.end()) return std::optional<store::AppClientRecord>();
    return std::optional<store::AppClientRecord>(it->second);
  }
  Result<std::optional<store::AppClientRecord>> FindClient(const std::string& client_id) override {
    std::lock_guard lock(mu_);
    for (const auto& [key, client] : clients_) {
      if (key.second == client_id) return std::optional<store::AppClientRecord>(client);
    }
    return std::optional<store::AppClientRecord>();
  }
  Status UpdateClient(const store::AppClientRecord& client) override {
    std::lock_guard lock(mu_);
    auto it = clients_.find({client.pool_id, client.client_id});
    if (it == clients_.end()) return Error::NotFound("client not found");
    if (it->second.version != client.version) return Error::ConcurrentModification();
    it->second.version++;
    it->second.name = client.name;
    it->second.secret_sealed = client.secret_sealed;
    it->second.modified_ms = client.modified_ms;
    it->second.config_json = client.config_json;
    return OkStatus();
  }
  Status DeleteClient(const std::string& pool_id, const std::string& client_id) override {
    std::lock_guard lock(mu_);
    if (clients_.erase({pool_id, client_id}) == 0) return Error::NotFound("client not found");
    return OkStatus();
  }
  Result<store::Page<store::AppClientRecord>> ListClients(const std::string& pool_id,
                                                          const std::string& after,
                                                          int limit) override {
    std::lock_guard lock(mu_);
    auto begin = clients_.upper_bound({pool_id, after});
    auto end = clients_.lower_bound({pool_id + '\x01', ""});  // past the pool's ids
    return PageOf(clients_, begin, end, limit, [](const auto& kv) { return kv.first.second; });
  }
  Result<int64_t> CountClients(const std::string& pool_id) override {
    std::lock_guard lock(mu_);
    if (client_count_override_) return *client_count_override_;
    int64_t n = 0;
    for (const auto& kv : clients_) n += kv.first.first == pool_id;
    return n;
  }

  // KeyStore
  Result<std::vector<store::SigningKeyRecord>> ListKeys(const std::string& pool_id) override {
    std::lock_guard lock(mu_);
    std::vector<store::SigningKeyRecord> out;
    for (const auto& k : keys_) {
      if (k.pool_id == pool_id) out.push_back(k);
    }
    return out;
  }
  Status AddKey(const store::SigningKeyRecord& key) override {
    std::lock_guard lock(mu_);
    keys_.push_back(key);
    return OkStatus();
  }

 private:
  // At most `limit` values of [begin, end); next_after names the last one when more remain.
  template <class Map, class It, class IdOf>
  static store::Page<typename Map::mapped_type> PageOf(const Map&, It begin, It end, int limit,
                                                       IdOf id_of) {
    store::Page<typename Map::mapped_type> page;
    It it = begin;
    for (; it != end && static_cast<int>(page.items.size()) < limit; ++it) {
      page.items.push_back(it->second);
    }
    if (it != end && !page.items.empty()) page.next_after = id_of(*std::prev(it));
    return page;
  }

  mutable std::mutex mu_;
  std::map<std::string, store::UserPoolRecord> pools_;
  std::map<std::pair<std::string, std::string>, store::AppClientRecord> clients_;
  std::vector<store::SigningKeyRecord> keys_;
  std::optional<int64_t> client_count_override_;
};

}  // namespace cognate::identity::fakes
