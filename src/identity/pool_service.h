#pragma once
// User pools and app clients: Cognito's rules, defaults and output shapes for
// CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool, ListUserPools,
// AddCustomAttributes, CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient,
// DeleteUserPoolClient and ListUserPoolClients.
//
// Each method takes the action's request JSON object (already checked against the service
// model's types and constraints by api/) and returns the action's response JSON object exactly
// as Cognito shapes it (unset members omitted, dates as epoch seconds), or an Error with
// Cognito's type and message. Thread-safe: holds no mutable state of its own. Updates are
// read-modify-write on the stores without a version check, so two concurrent updates of one
// pool (or client) may lose one of them.
//
// The settings rules live in pool_config.h, schema.h, client_config.h, client_oauth.h and
// token_validity.h; this class loads, checks existence, stores and renders.

#include <boost/json/object.hpp>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "crypto/kek.h"
#include "identity/client_config.h"
#include "identity/signing_keys.h"
#include "store/stores.h"

namespace cognate::identity {

struct PoolServiceConfig {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";  // used in ARNs
  // Counts a pool's users for EstimatedNumberOfUsers; null shows 0 (tests without users).
  store::UserStore* users = nullptr;
  // Resource servers and domains: the custom scopes clients may name, and the Domain and
  // CustomDomain DescribeUserPool shows. Null: no custom scopes, no domains (tests).
  store::PoolDocumentStore* documents = nullptr;
};

class PoolService {
 public:
  PoolService(store::PoolStore& pools, store::ClientStore& clients, store::KeyStore& keys,
              const crypto::KeyEncryptionKey& kek, const Clock& clock, PoolServiceConfig config,
              KeyFactory key_factory = GenerateSigningKey);

  Result<boost::json::object> CreateUserPool(const boost::json::object& request);
  Result<boost::json::object> DescribeUserPool(const boost::json::object& request);
  Result<boost::json::object> UpdateUserPool(const boost::json::object& request);
  Result<boost::json::object> DeleteUserPool(const boost::json::object& request);
  Result<boost::json::object> ListUserPools(const boost::json::object& request);
  Result<boost::json::object> AddCustomAttributes(const boost::json::object& request);

  Result<boost::json::object> CreateUserPoolClient(const boost::json::object& request);
  Result<boost::json::object> DescribeUserPoolClient(const boost::json::object& request);
  Result<boost::json::object> UpdateUserPoolClient(const boost::json::object& request);
  Result<boost::json::object> DeleteUserPoolClient(const boost::json::object& request);
  Result<boost::json::object> ListUserPoolClients(const boost::json::object& request);

 private:
  // A stored pool with its parsed config_json.
  struct LoadedPool {
    store::UserPoolRecord record;
    boost::json::object config;
  };
  struct LoadedClient {
    store::AppClientRecord record;
    boost::json::object config;
  };

  // ResourceNotFoundException "User pool <id> does not exist." when absent.
  Result<LoadedPool> LoadPool(const boost::json::object& request) const;
  // ResourceNotFoundException "User pool client <id> does not exist." when absent.
  Result<LoadedClient> LoadClient(const boost::json::object& request) const;
  Result<std::string> UnusedPoolId() const;
  Result<std::string> UnusedClientId() const;
  // The rules a Create/UpdateUserPoolClient request is checked against.
  Result<ClientRules> RulesFor(const LoadedPool& pool, bool has_secret, bool creating) const;
  boost::json::object RenderPool(const store::UserPoolRecord& record,
                                 const boost::json::object& config) const;
  Result<boost::json::object> RenderClient(const store::AppClientRecord& record,
                                           const boost::json::object& config) const;

  store::PoolStore& pools_;
  store::ClientStore& clients_;
  store::KeyStore& keys_;  // Pool keys are written with the pool (PoolStore::CreatePool).
  const crypto::KeyEncryptionKey& kek_;
  const Clock& clock_;
  PoolServiceConfig config_;
  KeyFactory key_factory_;
};

}  // namespace cognate::identity
