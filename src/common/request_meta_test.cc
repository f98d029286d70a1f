#include "common/request_meta.h"

#include <gtest/gtest.h>

#include <thread>

namespace cognate {
namespace {

TEST(RequestMetaTest, ScopedPerThreadAndNested) {
  EXPECT_EQ(CurrentRequestMeta(), nullptr);
  RequestMeta outer{"192.0.2.1", "a"};
  {
    ScopedRequestMeta a(outer);
    ASSERT_NE(CurrentRequestMeta(), nullptr);
    EXPECT_EQ(CurrentRequestMeta()->source_ip, "192.0.2.1");
    std::thread([] { EXPECT_EQ(CurrentRequestMeta(), nullptr); }).join();
    RequestMeta inner{"192.0.2.2", "b"};
    {
      ScopedRequestMeta b(inner);
      EXPECT_EQ(CurrentRequestMeta()->source_ip, "192.0.2.2");
    }
    EXPECT_EQ(CurrentRequestMeta()->source_ip, "192.0.2.1");
  }
  EXPECT_EQ(CurrentRequestMeta(), nullptr);
}

}  // namespace
}  // namespace cognate
