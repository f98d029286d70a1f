#pragma once
// User pools and app clients: Cognito's rules, defaults and output shapes for
// CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool, ListUserPools,
// AddCustomAttributes, CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient,
// DeleteUserPoolClient and ListUserPoolClients.
//
// Each method takes the action's request JSON object (already checked against the service
// model's types and constraints by api/) and returns the action's response JSON object exactly
// as Cognito shapes it (unset members omitted, dates as epoch seconds), or an Error with
// Cognito's type and message. Thread-safe: holds no mutable state of its own.

#include <string>

#include <boost/json/object.hpp>

#include "common/clock.h"
#include "common/result.h"
#include "crypto/kek.h"
#include "store/stores.h"

namespace cognate::identity {

struct PoolServiceConfig {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";  // used in ARNs
};

class PoolService {
 public:
  PoolService(store::PoolStore& pools, store::ClientStore& clients, store::KeyStore& keys,
              const crypto::KeyEncryptionKey& kek, const Clock& clock, PoolServiceConfig config);

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
  store::PoolStore& pools_;
  store::ClientStore& clients_;
  store::KeyStore& keys_;
  const crypto::KeyEncryptionKey& kek_;
  const Clock& clock_;
  PoolServiceConfig config_;
};

}  // namespace cognate::identity
