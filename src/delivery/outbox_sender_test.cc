#include "delivery/outbox_sender.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace cognate::delivery {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

class OutboxSenderTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = testing::TempDir() + "outbox_test_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = (dir_ / "outbox.jsonl").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<OutboxSender> OpenOrDie() {
    Result<std::unique_ptr<OutboxSender>> sender = OutboxSender::Open(path_, clock_);
    EXPECT_TRUE(sender.ok()) << sender.error().message;
    return sender.ok() ? std::move(*sender) : nullptr;
  }

  std::vector<std::string> Lines() {
    std::ifstream in(path_);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  static OutgoingMessage Sample() {
    return {.pool_id = "us-east-1_AbC123",
            .username = "alice",
            .channel = "EMAIL",
            .destination = "alice@example.com",
            .purpose = "signup",
            .code = "012345",
            .subject = "Your verification code",
            .body = "Your verification code is 012345. "};
  }

  fs::path dir_;
  std::string path_;
  FakeClock clock_{1'700'000'000'123};
};

TEST_F(OutboxSenderTest, EachMessageIsOneJsonLineWithEveryField) {
  std::unique_ptr<OutboxSender> sender = OpenOrDie();
  ASSERT_NE(sender, nullptr);
  MessageSender& as_interface = *sender;
  ASSERT_TRUE(as_interface.Send(Sample()).ok());
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(json::parse(lines[0]), json::parse(R"({"time":"2023-11-14T22:13:20.123Z",
      "pool_id":"us-east-1_AbC123","username":"alice","channel":"EMAIL",
      "destination":"alice@example.com","purpose":"signup","code":"012345",
      "subject":"Your verification code","body":"Your verification code is 012345. "})"));
  EXPECT_TRUE(lines[0].starts_with(R"({"time":"2023-11-14T22:13:20.123Z","pool_id":)"));
}

TEST_F(OutboxSenderTest, FileIsPrivateWhetherNewOrExisting) {
  ASSERT_NE(OpenOrDie(), nullptr);
  EXPECT_EQ(fs::status(path_).permissions(), fs::perms::owner_read | fs::perms::owner_write);
  fs::permissions(path_, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
  ASSERT_NE(OpenOrDie(), nullptr);
  EXPECT_EQ(fs::status(path_).permissions(), fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(OutboxSenderTest, SpecialCharactersSurviveTheRoundTrip) {
  std::unique_ptr<OutboxSender> sender = OpenOrDie();
  OutgoingMessage m = Sample();
  m.channel = "SMS";
  m.destination = "+15555550100";
  m.subject = "";
  m.body = "line 1\nline \"2\"\t\\ tab\r\x01\x1f\x7f end — zoë 😀 {####}";
  m.username = "we\"ird\\name";
  ASSERT_TRUE(sender->Send(m).ok());
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);  // Embedded newlines are escaped, never raw.
  json::object o = json::parse(lines[0]).as_object();
  EXPECT_EQ(o.at("body").as_string(), m.body);
  EXPECT_EQ(o.at("username").as_string(), m.username);
  EXPECT_EQ(o.at("subject").as_string(), "");
  EXPECT_EQ(o.at("channel").as_string(), "SMS");
}

TEST_F(OutboxSenderTest, ReopeningAppendsInsteadOfTruncating) {
  ASSERT_TRUE(OpenOrDie()->Send(Sample()).ok());
  clock_.AdvanceMs(1000);
  OutgoingMessage second = Sample();
  second.purpose = "forgot-password";
  ASSERT_TRUE(OpenOrDie()->Send(second).ok());
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[0]).at("purpose"), "signup");
  EXPECT_EQ(json::parse(lines[1]).at("purpose"), "forgot-password");
  EXPECT_EQ(json::parse(lines[1]).at("time"), "2023-11-14T22:13:21.123Z");
}

TEST_F(OutboxSenderTest, ConcurrentSendersWriteWholeLines) {
  // Two senders on one file (like two processes) and several threads each; bodies larger than
  // PIPE_BUF so that torn writes would show.
  std::unique_ptr<OutboxSender> a = OpenOrDie();
  std::unique_ptr<OutboxSender> b = OpenOrDie();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      OutboxSender& sender = t % 2 ? *a : *b;
      for (int i = 0; i < kPerThread; ++i) {
        OutgoingMessage m = Sample();
        m.username = "user" + std::to_string(t);
        m.code = std::to_string(i);
        m.body = std::string(8000, static_cast<char>('a' + t));
        EXPECT_TRUE(sender.Send(m).ok());
      }
    });
  }
  for (std::thread& th : threads) th.join();
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kPerThread));
  std::map<std::string, int> per_user;
  for (const std::string& line : lines) {
    json::object o = json::parse(line).as_object();  // Throws (fails) on a torn line.
    const std::string user(o.at("username").as_string());
    const char fill = static_cast<char>('a' + (user.back() - '0'));
    EXPECT_EQ(o.at("body").as_string(), std::string(8000, fill));
    ++per_user[user];
  }
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(per_user["user" + std::to_string(t)], kPerThread);
}

TEST_F(OutboxSenderTest, OpenFailureIsAnInternalError) {
  Result<std::unique_ptr<OutboxSender>> sender =
      OutboxSender::Open((dir_ / "missing" / "outbox.jsonl").string(), clock_);
  ASSERT_FALSE(sender.ok());
  EXPECT_EQ(sender.error().type, "InternalErrorException");
  EXPECT_EQ(sender.error().http_status, 500);
}

TEST(FormatIso8601UtcTest, FormatsMillisecondsInUtc) {
  EXPECT_EQ(FormatIso8601Utc(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601Utc(1'700'000'000'123), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(FormatIso8601Utc(951'782'400'007), "2000-02-29T00:00:00.007Z");
  EXPECT_EQ(FormatIso8601Utc(-1), "1969-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace cognate::delivery
