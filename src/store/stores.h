#pragma once
// One store interface per domain. Implementations (sqlite/, later postgres/) are thread-safe:
// any method may be called from any thread. Every write that returns success is durable.
// Errors: ResourceNotFoundException for a missing row where the method says so,
// InternalErrorException (status 500) for a database failure.
//
// Updates are optimistic: the record passed in carries the `version` it was read with; the
// update applies only if the stored version is still that one (and stores version + 1), else
// ConcurrentModificationException, so a read-modify-write never silently loses another writer's
// change. Callers re-read and retry.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/auth_event_store.h"
#include "store/records.h"
#include "store/user_stores.h"

namespace cognate::store {

class PoolStore {
 public:
  virtual ~PoolStore() = default;
  // Inserts the pool and its signing keys in one transaction.
  virtual Status CreatePool(const UserPoolRecord& pool, const std::vector<SigningKeyRecord>& keys) = 0;
  virtual Result<std::optional<UserPoolRecord>> GetPool(const std::string& pool_id) = 0;
  // Replaces name, modified_ms and config_json if the version matches (see above).
  // ResourceNotFoundException when absent.
  virtual Status UpdatePool(const UserPoolRecord& pool) = 0;
  // Deletes the pool with its clients and keys. ResourceNotFoundException when absent.
  virtual Status DeletePool(const std::string& pool_id) = 0;
  // Pools with id > after, ascending, at most `limit`.
  virtual Result<Page<UserPoolRecord>> ListPools(const std::string& after, int limit) = 0;
};

class ClientStore {
 public:
  virtual ~ClientStore() = default;
  // ResourceNotFoundException when the pool does not exist.
  virtual Status CreateClient(const AppClientRecord& client) = 0;
  virtual Result<std::optional<AppClientRecord>> GetClient(const std::string& pool_id,
                                                           const std::string& client_id) = 0;
  // Looks a client up by id alone (public actions carry only ClientId).
  virtual Result<std::optional<AppClientRecord>> FindClient(const std::string& client_id) = 0;
  // Replaces name, secret_sealed, modified_ms and config_json if the version matches (see
  // above). ResourceNotFoundException when absent.
  virtual Status UpdateClient(const AppClientRecord& client) = 0;
  virtual Status DeleteClient(const std::string& pool_id, const std::string& client_id) = 0;
  virtual Result<Page<AppClientRecord>> ListClients(const std::string& pool_id,
                                                    const std::string& after, int limit) = 0;
  virtual Result<int64_t> CountClients(const std::string& pool_id) = 0;
};

class KeyStore {
 public:
  virtual ~KeyStore() = default;
  // All keys of a pool, oldest first.
  virtual Result<std::vector<SigningKeyRecord>> ListKeys(const std::string& pool_id) = 0;
  virtual Status AddKey(const SigningKeyRecord& key) = 0;
};

class AccessKeyStore {
 public:
  virtual ~AccessKeyStore() = default;
  // Inserts or replaces the key with this access_key_id.
  virtual Status PutAccessKey(const AccessKeyRecord& key) = 0;
  virtual Result<std::optional<AccessKeyRecord>> GetAccessKey(const std::string& access_key_id) = 0;
};

// The data keys that seal values at rest, and flags recording one-off upgrades of stored data.
class DataKeyStore {
 public:
  virtual ~DataKeyStore() = default;
  // Every wrapping, oldest first.
  virtual Result<std::vector<DataKeyRecord>> ListDataKeys() = 0;
  // Inserts the wrapping unless (id, master_id) exists; false then (another node won a race:
  // list again and use its key).
  virtual Result<bool> AddDataKey(const DataKeyRecord& key) = 0;
  // Deletes the wrappings under every master key but `master_id`; returns how many went.
  virtual Result<int64_t> RetireMasterKeys(const std::string& master_id) = 0;
  // Flags: "" when never set.
  virtual Result<std::string> GetFlag(const std::string& name) = 0;
  virtual Status SetFlag(const std::string& name, const std::string& value) = 0;
};

class PoolDocumentStore {
 public:
  virtual ~PoolDocumentStore() = default;
  // False when (pool, kind, name) exists, or for kind "domain" when any pool has that name.
  // ResourceNotFoundException when the pool does not exist.
  virtual Result<bool> CreateDocument(const PoolDocumentRecord& document) = 0;
  virtual Result<std::optional<PoolDocumentRecord>> GetDocument(const std::string& pool_id,
                                                                const std::string& kind,
                                                                const std::string& name) = 0;
  // The document of `kind` named `name` in whichever pool has it (domains).
  virtual Result<std::optional<PoolDocumentRecord>> FindDocument(const std::string& kind,
                                                                 const std::string& name) = 0;
  // Replaces body_json and modified_ms if the version matches (see above).
  // ResourceNotFoundException when absent.
  virtual Status UpdateDocument(const PoolDocumentRecord& document) = 0;
  // False when there was no such document.
  virtual Result<bool> DeleteDocument(const std::string& pool_id, const std::string& kind,
                                      const std::string& name) = 0;
  // Documents of `kind` in a pool with name > after, ascending, at most `limit`.
  virtual Result<Page<PoolDocumentRecord>> ListDocuments(const std::string& pool_id,
                                                         const std::string& kind,
                                                         const std::string& after,
                                                         int limit) = 0;
};

// The set of stores one backend provides, opened together.
struct Stores {
  std::unique_ptr<PoolStore> pools;
  std::unique_ptr<ClientStore> clients;
  std::unique_ptr<KeyStore> keys;
  std::unique_ptr<AccessKeyStore> access_keys;
  std::unique_ptr<UserStore> users;
  std::unique_ptr<CodeStore> codes;
  std::unique_ptr<RefreshTokenStore> refresh_tokens;
  std::unique_ptr<GroupStore> groups;
  std::unique_ptr<PoolDocumentStore> documents;
  std::unique_ptr<DataKeyStore> data_keys;
  std::unique_ptr<AuthEventStore> auth_events;
};

}  // namespace cognate::store
