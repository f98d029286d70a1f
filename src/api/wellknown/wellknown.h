#pragma once
// Per-pool public documents that let any service verify tokens offline:
//   GET /{poolId}/.well-known/jwks.json
//   GET /{poolId}/.well-known/openid-configuration
// Both are cacheable; an unknown pool answers 404.

#include <optional>
#include <string>

#include "http/message.h"
#include "store/stores.h"

namespace cognate::api {

class WellKnown {
 public:
  // `public_url` is the externally visible base URL, without a trailing slash.
  WellKnown(store::PoolStore& pools, store::KeyStore& keys, std::string public_url);

  // Answers the request when its path is one of the documents above; std::nullopt otherwise.
  std::optional<http::Response> Handle(const http::Request& request) const;

  std::string Issuer(const std::string& pool_id) const { return public_url_ + "/" + pool_id; }

 private:
  http::Response Jwks(const std::string& pool_id) const;
  http::Response Discovery(const std::string& pool_id) const;

  store::PoolStore& pools_;
  store::KeyStore& keys_;
  std::string public_url_;
};

}  // namespace cognate::api
