#include "alerts/alert_engine.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <vector>

#include "alerts/alert_rules.h"
#include "alerts/alert_webhook.h"

namespace cognate::alerts {
namespace {

class AlertEngineTest : public ::testing::Test {
 protected:
  AlertEngine Engine(const char* json) {
    auto config = ParseAlertConfig(json);
    EXPECT_TRUE(config.ok()) << (config.ok() ? "" : config.error().message);
    return AlertEngine(config->rules, clock_, [this](const Alert& a) { alerts_.push_back(a); });
  }
  void Fail(AlertEngine& e, const char* user, const char* ip = "10.0.0.1", const char* pool = "p") {
    e.Observe({pool, user, ip, false});
  }
  FakeClock clock_;
  std::vector<Alert> alerts_;
};

TEST_F(AlertEngineTest, PerUserFiresOncePerWindowWhenTheCountExceedsTheThreshold) {
  auto e = Engine(R"({"rules":[{"name":"u","kind":"failed_sign_ins_per_user","threshold":3,
                     "window_seconds":60}]})");
  for (int i = 0; i < 3; ++i) Fail(e, "Alice");
  EXPECT_TRUE(alerts_.empty());
  Fail(e, "alice");  // names match in any case
  ASSERT_EQ(alerts_.size(), 1u);
  EXPECT_EQ(alerts_[0].rule, "u");
  EXPECT_EQ(alerts_[0].subject, "alice");
  EXPECT_EQ(alerts_[0].failed, 4);
  EXPECT_EQ(alerts_[0].window_end_ms - alerts_[0].window_start_ms, 60'000);
  for (int i = 0; i < 20; ++i) Fail(e, "alice");
  EXPECT_EQ(alerts_.size(), 1u);
  e.Observe({"p", "alice", "10.0.0.1", true});  // successes do not count
  Fail(e, "bob");
  Fail(e, "alice", "10.0.0.1", "other-pool");  // another pool's alice
  EXPECT_EQ(alerts_.size(), 1u);
  clock_.AdvanceMs(60'000);  // a new window
  for (int i = 0; i < 4; ++i) Fail(e, "alice");
  EXPECT_EQ(alerts_.size(), 2u);
}

TEST_F(AlertEngineTest, PerIpCountsAcrossUsersAndPools) {
  auto e = Engine(R"({"rules":[{"name":"ip","kind":"failed_sign_ins_per_ip","threshold":2,
                     "window_seconds":60}]})");
  Fail(e, "a", "192.0.2.7", "p1");
  Fail(e, "b", "192.0.2.7", "p2");
  Fail(e, "c", "198.51.100.1");
  EXPECT_TRUE(alerts_.empty());
  Fail(e, "d", "192.0.2.7");
  ASSERT_EQ(alerts_.size(), 1u);
  EXPECT_EQ(alerts_[0].subject, "192.0.2.7");
  Fail(e, "e", "");  // unknown address: not counted
  EXPECT_EQ(alerts_.size(), 1u);
}

TEST_F(AlertEngineTest, PoolRatioNeedsEnoughSignIns) {
  auto e = Engine(R"({"rules":[{"name":"r","kind":"pool_failure_ratio","ratio":0.5,
                     "min_sign_ins":4,"window_seconds":60}]})");
  Fail(e, "a");
  Fail(e, "b");
  Fail(e, "c");  // 3 of 3 failed, but fewer than 4 sign-ins
  EXPECT_TRUE(alerts_.empty());
  e.Observe({"p", "d", "", true});  // 3 of 4 failed: over half
  ASSERT_EQ(alerts_.size(), 1u);
  EXPECT_EQ(alerts_[0].total, 4);
  EXPECT_EQ(alerts_[0].failed, 3);
  Fail(e, "e");
  EXPECT_EQ(alerts_.size(), 1u);
}

TEST_F(AlertEngineTest, PerUserAlertsNameTheAuthEventThatFiredThem) {
  auto e = Engine(R"({"rules":[{"name":"u","kind":"failed_sign_ins_per_user","threshold":1,
                     "window_seconds":60},{"name":"ip","kind":"failed_sign_ins_per_ip",
                     "threshold":1,"window_seconds":60}]})");
  e.Observe({"p", "Alice", "10.0.0.9", false, "event-1", "alice"});
  e.Observe({"p", "Alice", "10.0.0.9", false, "event-2", "alice"});
  ASSERT_EQ(alerts_.size(), 2u);
  for (const Alert& alert : alerts_) {
    // The address rule spans users: it names no event.
    EXPECT_EQ(alert.event_id, alert.rule == "u" ? "event-2" : "");
    EXPECT_EQ(alert.username_key, alert.rule == "u" ? "alice" : "");
    EXPECT_TRUE(alert.feedback_token.empty());  // the server adds it for the webhook
  }
  Alert delivered = alerts_[0].rule == "u" ? alerts_[0] : alerts_[1];
  delivered.feedback_token = "tok";
  auto body = boost::json::parse(AlertJson(delivered)).as_object();
  EXPECT_EQ(body.at("event_id"), "event-2");
  EXPECT_EQ(body.at("feedback_token"), "tok");
}

TEST(AlertRulesTest, RefusesBadConfigurations) {
  for (const char* bad :
       {"", "[]", R"({"rules":[]})", R"({"rules":[{"kind":"failed_sign_ins_per_ip"}]})",
        R"({"rules":[{"name":"x","kind":"failed_sign_ins_per_ip","threshold":5}]})",
        R"({"rules":[{"name":"x","kind":"failed_sign_ins_per_ip","threshold":-1,"window_seconds":5}]})",
        R"({"rules":[{"name":"x","kind":"pool_failure_ratio","ratio":1.5,"min_sign_ins":1,"window_seconds":5}]})",
        R"({"rules":[{"name":"x","kind":"something","window_seconds":5}]})",
        R"({"webhook_url":"ftp://x","rules":[{"name":"x","kind":"failed_sign_ins_per_ip","threshold":1,"window_seconds":5}]})"}) {
    auto parsed = ParseAlertConfig(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().type, "InvalidParameterException");
  }
}

TEST(AlertJsonTest, NamesTheSubjectByKind) {
  Alert a{"u", RuleKind::kFailedPerUser, "p", "alice", 4, 4, 1'700'000'000'000, 1'700'000'060'000};
  EXPECT_EQ(AlertJson(a),
            R"({"alert":"u","kind":"failed_sign_ins_per_user","pool_id":"p","failed_sign_ins":4,)"
            R"("sign_ins":4,"window_start":"2023-11-14T22:13:20Z","window_end":"2023-11-14T22:14:20Z",)"
            R"("username":"alice"})");
}

}  // namespace
}  // namespace cognate::alerts
