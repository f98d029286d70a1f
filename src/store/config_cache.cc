#include "store/config_cache.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace cognate::store {
namespace {

// What the two decorators share: one generation for both, bumped by every write, so that a
// pool deletion (which removes its clients in the same statement) also retires cached clients.
class CacheState {
 public:
  CacheState(const Clock& clock, int64_t ttl_ms) : clock_(clock), ttl_ms_(ttl_ms) {}

  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  void Bump() { generation_.fetch_add(1, std::memory_order_acq_rel); }
  int64_t NowMs() const { return clock_.NowMs(); }
  bool Fresh(int64_t loaded_ms, uint64_t generation) const {
    const int64_t age = NowMs() - loaded_ms;
    return generation == this->generation() && age >= 0 && age < ttl_ms_;
  }

 private:
  const Clock& clock_;
  const int64_t ttl_ms_;
  std::atomic<uint64_t> generation_{0};
};

// A map of records read at a generation. A reader takes the generation before it reads the
// store and keeps the record only if no write happened meanwhile; a writer bumps the generation
// after its write, so a record read before the write is never served after it.
template <typename Record>
class RecordCache {
 public:
  // Bounds memory when requests name many pools or clients.
  static constexpr std::size_t kMaxEntries = 10000;

  explicit RecordCache(const CacheState& state) : state_(state) {}

  std::optional<Record> Find(const std::string& key) const {
    std::shared_lock lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || !state_.Fresh(it->second.loaded_ms, it->second.generation))
      return std::nullopt;
    return it->second.record;
  }

  void Keep(const std::string& key, Record record, uint64_t read_generation, int64_t loaded_ms) {
    std::unique_lock lock(mu_);
    if (read_generation != state_.generation()) return;
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_.insert_or_assign(key, Entry{std::move(record), read_generation, loaded_ms});
  }

  // Reads through the cache: `load` is the store call, made on a miss.
  template <typename Load>
  Result<std::optional<Record>> Get(const std::string& key, Load load) {
    if (std::optional<Record> hit = Find(key)) return hit;
    const uint64_t generation = state_.generation();
    const int64_t now = state_.NowMs();
    Result<std::optional<Record>> loaded = load();
    if (loaded.ok() && loaded->has_value()) Keep(key, **loaded, generation, now);
    return loaded;
  }

 private:
  struct Entry {
    Record record;
    uint64_t generation = 0;
    int64_t loaded_ms = 0;
  };
  const CacheState& state_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

// Every write through a decorator bumps the shared generation; failed writes too, since a
// failure may come after the database applied the change.
class Invalidating {
 protected:
  explicit Invalidating(std::shared_ptr<CacheState> state) : state_(std::move(state)) {}
  Status Written(Status status) {
    state_->Bump();
    return status;
  }
  std::shared_ptr<CacheState> state_;
};

class CachingPoolStore final : public PoolStore, private Invalidating {
 public:
  CachingPoolStore(std::unique_ptr<PoolStore> inner, std::shared_ptr<CacheState> state)
      : Invalidating(std::move(state)), inner_(std::move(inner)), pools_(*state_) {}

  Status CreatePool(const UserPoolRecord& pool,
                    const std::vector<SigningKeyRecord>& keys) override {
    return Written(inner_->CreatePool(pool, keys));
  }
  Result<std::optional<UserPoolRecord>> GetPool(const std::string& pool_id) override {
    return pools_.Get(pool_id, [&] { return inner_->GetPool(pool_id); });
  }
  Status UpdatePool(const UserPoolRecord& pool) override {
    return Written(inner_->UpdatePool(pool));
  }
  Status DeletePool(const std::string& pool_id) override {
    return Written(inner_->DeletePool(pool_id));
  }
  Result<Page<UserPoolRecord>> ListPools(const std::string& after, int limit) override {
    return inner_->ListPools(after, limit);
  }

 private:
  std::unique_ptr<PoolStore> inner_;
  RecordCache<UserPoolRecord> pools_;
};

class CachingClientStore final : public ClientStore, private Invalidating {
 public:
  CachingClientStore(std::unique_ptr<ClientStore> inner, std::shared_ptr<CacheState> state)
      : Invalidating(std::move(state)), inner_(std::move(inner)), clients_(*state_) {}

  Status CreateClient(const AppClientRecord& client) override {
    return Written(inner_->CreateClient(client));
  }
  Result<std::optional<AppClientRecord>> GetClient(const std::string& pool_id,
                                                   const std::string& client_id) override {
    auto found = FindClient(client_id);
    if (found.ok() && found->has_value() && (*found)->pool_id != pool_id)
      return std::optional<AppClientRecord>();
    return found;
  }
  Result<std::optional<AppClientRecord>> FindClient(const std::string& client_id) override {
    return clients_.Get(client_id, [&] { return inner_->FindClient(client_id); });
  }
  Status UpdateClient(const AppClientRecord& client) override {
    return Written(inner_->UpdateClient(client));
  }
  Status DeleteClient(const std::string& pool_id, const std::string& client_id) override {
    return Written(inner_->DeleteClient(pool_id, client_id));
  }
  Result<Page<AppClientRecord>> ListClients(const std::string& pool_id, const std::string& after,
                                            int limit) override {
    return inner_->ListClients(pool_id, after, limit);
  }
  Result<int64_t> CountClients(const std::string& pool_id) override {
    return inner_->CountClients(pool_id);
  }

 private:
  std::unique_ptr<ClientStore> inner_;
  RecordCache<AppClientRecord> clients_;
};

}  // namespace

void CachePoolsAndClients(Stores& stores, const Clock& clock, int64_t ttl_ms) {
  if (ttl_ms <= 0) return;
  auto state = std::make_shared<CacheState>(clock, ttl_ms);
  stores.pools = std::make_unique<CachingPoolStore>(std::move(stores.pools), state);
  stores.clients = std::make_unique<CachingClientStore>(std::move(stores.clients), state);
}

}  // namespace cognate::store
