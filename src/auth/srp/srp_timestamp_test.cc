// SrpServerSession::ParseTimestamp (cognito-wire.md §4.3: "EEE MMM d HH:mm:ss UTC yyyy").

#include <gtest/gtest.h>

#include <cstdint>

#include "auth/srp/srp_server.h"

namespace cognate::auth::srp {
namespace {

TEST(SrpTimestampTest, ParsesClientRenderings) {
  EXPECT_EQ(*SrpServerSession::ParseTimestamp("Tue Sep 3 08:04:05 UTC 2024"), 1725350645);
  EXPECT_EQ(*SrpServerSession::ParseTimestamp("Tue Mar 5 09:03:07 UTC 2024"), 1709629387);
  EXPECT_EQ(*SrpServerSession::ParseTimestamp("Tue Feb 29 23:59:59 UTC 2000"), 951868799);
  EXPECT_EQ(*SrpServerSession::ParseTimestamp("Thu Jan 1 00:00:00 UTC 1970"), 0);
  // Zero-padded day (other clients, §4.3) parses to the same instant.
  EXPECT_EQ(*SrpServerSession::ParseTimestamp("Tue Sep 03 08:04:05 UTC 2024"), 1725350645);
}

TEST(SrpTimestampTest, RejectsMalformedTimestamps) {
  for (const char* bad : {"",
                          "Tue Sep 3 08:04:05 UTC",
                          "Wed Sep 3 08:04:05 UTC 2024",
                          "tue Sep 3 08:04:05 UTC 2024",
                          "Tue sep 3 08:04:05 UTC 2024",
                          "Tue Sep  3 08:04:05 UTC 2024",
                          "Tue Sep 3 08:04:05 UTC 2024 ",
                          " Tue Sep 3 08:04:05 UTC 2024",
                          "Tue Sep 3 08:04:05 GMT 2024",
                          "Tue Sep 3 8:04:05 UTC 2024",
                          "Tue Sep 3 24:00:00 UTC 2024",
                          "Tue Sep 3 08:60:05 UTC 2024",
                          "Tue Sep 3 08:04:60 UTC 2024",
                          "Tue Sep 3 08-04-05 UTC 2024",
                          "Tue Sep 0 08:04:05 UTC 2024",
                          "Tue Sep 003 08:04:05 UTC 2024",
                          "Mon Sep 31 08:04:05 UTC 2024",
                          "Wed Feb 29 08:04:05 UTC 2023",
                          "Tue Sep 3 08:04:05 UTC 24",
                          "Tue Sep 3 08:04:05 UTC +2024",
                          "Tue Sep +3 08:04:05 UTC 2024",
                          "Tue Sep 3 08:04:05 UTC 2024\n"}) {
    Result<int64_t> r = SrpServerSession::ParseTimestamp(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().type, "InvalidParameterException");
  }
}

}  // namespace
}  // namespace cognate::auth::srp
