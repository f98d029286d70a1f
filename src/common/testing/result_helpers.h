#pragma once
// Test helpers for JSON-returning services: fixtures inherit them so tests read
// `Ok(service.Action(request))` and `Fails(service.Action(request)).type`.

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "common/result.h"

namespace cognate::test_support {

struct ResultHelpers {
  // The value of a result that must succeed (an empty object after a test failure).
  static boost::json::object Ok(Result<boost::json::object> result) {
    EXPECT_TRUE(result.ok()) << result.error().type << ": " << result.error().message;
    return result.ok() ? std::move(*result) : boost::json::object();
  }
  // The error of a result that must fail (type and message are what tests compare).
  static Error Fails(const Result<boost::json::object>& result) {
    EXPECT_FALSE(result.ok()) << boost::json::serialize(result.value());
    return result.ok() ? Error{} : result.error();
  }
};

}  // namespace cognate::test_support
