// PoolMaker (testing/pool_maker.h). No tests here.

#include <memory>

#include "auth/testing/pool_maker.h"
#include "identity/pool_service.h"
#include "identity/testing/service_fixture.h"

namespace cognate::auth::testing {

PoolMaker::PoolMaker(store::Stores& stores, const crypto::KeyEncryptionKey& kek, const Clock& clock)
    : service_(std::make_unique<identity::PoolService>(
          *stores.pools, *stores.clients, *stores.keys, kek, clock,
          identity::PoolServiceConfig{"eu-west-1", "123456789012"},
          identity::fakes::CachedKeyFactory())) {}

PoolMaker::~PoolMaker() = default;

Result<boost::json::object> PoolMaker::CreateUserPool(const boost::json::object& request) {
  return service_->CreateUserPool(request);
}

Result<boost::json::object> PoolMaker::CreateUserPoolClient(const boost::json::object& request) {
  return service_->CreateUserPoolClient(request);
}

Result<boost::json::object> PoolMaker::UpdateUserPoolClient(const boost::json::object& request) {
  return service_->UpdateUserPoolClient(request);
}

}  // namespace cognate::auth::testing
