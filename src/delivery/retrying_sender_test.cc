// RetryingSender: attempts, backoff with jitter (injected sleep and randomness), Cognito's
// error for a persistent failure, and what is never retried.

#include "delivery/retrying_sender.h"

#include <gtest/gtest.h>

#include <vector>

#include "delivery/testing/fake_sender.h"

namespace cognate::delivery {
namespace {

using std::chrono::milliseconds;

class RetryingSenderTest : public ::testing::Test {
 protected:
  struct Report {
    int attempt;
    std::string detail;
    bool again;
  };

  RetryingSender Make(RetryPolicy policy = {}, double unit = 0.5) {
    return RetryingSender(
        inner_, policy, [this](milliseconds d) { sleeps_.push_back(d.count()); },
        [unit] { return unit; },
        [this](const OutgoingMessage&, int attempt, const Error& e, bool again) {
          reports_.push_back({attempt, e.message, again});
        });
  }
  static OutgoingMessage Message(std::string channel = "EMAIL") {
    OutgoingMessage m;
    m.channel = std::move(channel);
    m.code = "123456";
    return m;
  }
  static Status Down() { return DeliveryFailure("SMTP smtp://mail.internal:25: Couldn't connect"); }

  fakes::FakeSender inner_;
  std::vector<int64_t> sleeps_;
  std::vector<Report> reports_;
};

TEST_F(RetryingSenderTest, SuccessAtOnceNeverSleeps) {
  RetryingSender sender = Make();
  EXPECT_TRUE(sender.Send(Message()).ok());
  EXPECT_EQ(inner_.calls(), 1u);
  EXPECT_TRUE(sleeps_.empty());
  EXPECT_TRUE(reports_.empty());
}

TEST_F(RetryingSenderTest, RetriesWithExponentialBackoffUntilDelivered) {
  inner_.Script({Down(), Down(), OkStatus()});
  RetryingSender sender = Make();
  EXPECT_TRUE(sender.Send(Message()).ok());
  EXPECT_EQ(inner_.calls(), 3u);
  EXPECT_EQ(sleeps_, (std::vector<int64_t>{200, 800}));
  ASSERT_EQ(reports_.size(), 2u);
  EXPECT_TRUE(reports_[0].again && reports_[1].again);
}

TEST_F(RetryingSenderTest, JitterStaysWithinItsFraction) {
  RetryingSender sender = Make();
  EXPECT_EQ(sender.Backoff(1, 0.5), milliseconds(0));
  EXPECT_EQ(sender.Backoff(2, 0.0), milliseconds(160));
  EXPECT_EQ(sender.Backoff(2, 0.999999), milliseconds(240));
  EXPECT_EQ(sender.Backoff(3, 0.0), milliseconds(640));
  EXPECT_EQ(sender.Backoff(3, 0.999999), milliseconds(960));
  EXPECT_EQ(sender.Backoff(4, 0.5), milliseconds(3200));
  inner_.FailAlways(Down().error());
  RetryingSender low = Make({}, 0.0);
  (void)low.Send(Message());
  EXPECT_EQ(sleeps_, (std::vector<int64_t>{160, 640}));
}

TEST_F(RetryingSenderTest, PersistentFailureIsCognitosCodeDeliveryFailure) {
  inner_.FailAlways(Down().error());
  RetryingSender sender = Make();
  Status email = sender.Send(Message("EMAIL"));
  ASSERT_FALSE(email.ok());
  EXPECT_EQ(email.error().type, "CodeDeliveryFailureException");
  EXPECT_EQ(email.error().message, "Invalid email provided/Unable to send the email");
  EXPECT_EQ(email.error().http_status, 400);
  EXPECT_EQ(inner_.calls(), 3u);
  // The operator sees every attempt's detail; the caller sees none of it.
  ASSERT_EQ(reports_.size(), 3u);
  EXPECT_EQ(reports_[2].attempt, 3);
  EXPECT_FALSE(reports_[2].again);
  EXPECT_NE(reports_[0].detail.find("mail.internal"), std::string::npos);
  EXPECT_EQ(email.error().message.find("mail.internal"), std::string::npos);

  Status sms = sender.Send(Message("SMS"));
  ASSERT_FALSE(sms.ok());
  EXPECT_EQ(sms.error().type, "CodeDeliveryFailureException");
  EXPECT_EQ(sms.error().message, "Invalid phone number provided/Unable to send the SMS");
}

TEST_F(RetryingSenderTest, UndeliverableMessagesAreNotRetried) {
  inner_.FailAlways(Undeliverable("SMTP: control characters (CR/LF) in a header value"));
  RetryingSender sender = Make();
  Status s = sender.Send(Message());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().type, "CodeDeliveryFailureException");
  EXPECT_EQ(inner_.calls(), 1u);
  EXPECT_TRUE(sleeps_.empty());
  ASSERT_EQ(reports_.size(), 1u);
  EXPECT_FALSE(reports_[0].again);
}

TEST_F(RetryingSenderTest, OtherErrorsPassThroughUnretried) {
  inner_.FailAlways(Error::Internal("Outbox write failed for /data/outbox.jsonl"));
  RetryingSender sender = Make();
  Status s = sender.Send(Message());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().type, "InternalErrorException");
  EXPECT_EQ(inner_.calls(), 1u);
}

TEST_F(RetryingSenderTest, AttemptCountIsConfigurable) {
  inner_.FailAlways(Down().error());
  RetryPolicy once;
  once.attempts = 1;
  RetryingSender single = Make(once);
  EXPECT_FALSE(single.Send(Message()).ok());
  EXPECT_EQ(inner_.calls(), 1u);
  RetryPolicy five;
  five.attempts = 5;
  five.initial_backoff = milliseconds(10);
  five.multiplier = 2;
  five.jitter = 0;
  RetryingSender many = Make(five);
  EXPECT_FALSE(many.Send(Message()).ok());
  EXPECT_EQ(inner_.calls(), 6u);
  EXPECT_EQ(sleeps_, (std::vector<int64_t>{10, 20, 40, 80}));
}

}  // namespace
}  // namespace cognate::delivery
