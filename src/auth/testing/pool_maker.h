#pragma once
// PoolService's pool and client actions for the sign-in tests, behind a small interface that
// keeps identity/pool_service.h out of the test environment header. Defined in
// sign_in_env_test.cc. Signing keys come from a small pre-generated set: at most two
// pools per store, or their key ids collide.

#include <boost/json/object.hpp>
#include <memory>

#include "common/clock.h"
#include "common/result.h"
#include "crypto/kek.h"
#include "store/stores.h"

namespace cognate::identity {
class PoolService;
}  // namespace cognate::identity

namespace cognate::auth::testing {

class PoolMaker {
 public:
  PoolMaker(store::Stores& stores, const crypto::KeyEncryptionKey& kek, const Clock& clock);
  ~PoolMaker();
  Result<boost::json::object> CreateUserPool(const boost::json::object& request);
  Result<boost::json::object> CreateUserPoolClient(const boost::json::object& request);
  Result<boost::json::object> UpdateUserPoolClient(const boost::json::object& request);

 private:
  std::unique_ptr<identity::PoolService> service_;
};

}  // namespace cognate::auth::testing
