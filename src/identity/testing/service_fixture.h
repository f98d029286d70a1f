#pragma once
// A gtest fixture with a PoolService over FakeStore, a FakeClock and a fixed KEK. Signing keys
// come from a small set generated once per test binary: 2048-bit RSA generation is too slow to
// repeat for every pool a test creates.

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/testing/result_helpers.h"
#include "crypto/kek.h"
#include "identity/pool_service.h"
#include "identity/testing/fake_stores.h"
#include "token/rsa_key.h"

namespace cognate::identity::fakes {

// Hands out four pre-generated keys in turn, so each pool still gets two distinct keys.
inline KeyFactory CachedKeyFactory() {
  static const std::vector<token::RsaKey>* keys = [] {
    auto* v = new std::vector<token::RsaKey>();  // never destroyed: shared by all tests
    for (int i = 0; i < 4; ++i) v->push_back(token::RsaKey::Generate(2048));
    return v;
  }();
  static size_t next = 0;
  return [] { return (*keys)[next++ % keys->size()]; };
}

// True when every character of `s` is in `alphabet`.
inline bool AllFrom(std::string_view s, std::string_view alphabet) {
  return s.find_first_not_of(alphabet) == std::string_view::npos;
}

inline constexpr char kTestKek[] = "0123456789abcdef0123456789abcdef";

class PoolServiceFixture : public ::testing::Test, protected test_support::ResultHelpers {
 protected:
  PoolServiceFixture()
      : kek_(std::string_view(kTestKek, 32)),
        service_(store_, store_, store_, kek_, clock_,
                 PoolServiceConfig{"eu-west-1", "123456789012"}, CachedKeyFactory()) {}


  // Creates a pool from `request` (PoolName added when missing) and returns its id.
  std::string NewPool(boost::json::object request = {}) {
    if (!request.contains("PoolName")) request["PoolName"] = "test-pool";
    boost::json::object out = Ok(service_.CreateUserPool(request));
    const boost::json::value* id =
        out.contains("UserPool") ? out["UserPool"].as_object().if_contains("Id") : nullptr;
    return id && id->is_string() ? std::string(id->get_string()) : std::string();
  }

  boost::json::object DescribePool(const std::string& pool_id) {
    boost::json::object out = Ok(service_.DescribeUserPool({{"UserPoolId", pool_id}}));
    return out.contains("UserPool") ? out["UserPool"].as_object() : boost::json::object();
  }

  FakeStore store_;
  FakeClock clock_{1'700'000'000'123};
  crypto::KeyEncryptionKey kek_;
  PoolService service_;
};

}  // namespace cognate::identity::fakes
