#include "events/auth_event_log.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <algorithm>
#include <string>
#include <vector>

#include "common/request_meta.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "store/sqlite/open.h"

namespace cognate::events {
namespace {
namespace json = boost::json;

constexpr char kPool[] = "us-east-1_EVENTS000";

class AuthEventLogTest : public ::testing::Test {
 protected:
  AuthEventLogTest()
      : stores_(store::sqlite::Open(":memory:")),
        kek_(std::string_view("0123456789abcdef0123456789abcdef", 32)),
        log_(*stores_.auth_events, kek_, clock_,
             [this](const Error& e) { failures_.push_back(e.message); }) {
    clock_.SetMs(1'700'000'000'000);
    store::UserPoolRecord pool{
        .id = kPool, .name = "p", .created_ms = 1, .modified_ms = 1, .config_json = "{}"};
    EXPECT_TRUE(stores_.pools->CreatePool(pool, {}).ok());
    for (const char* name : {"ann", "ben"}) {
      store::UserRecord user{.pool_id = kPool, .username_key = name, .username = name,
                             .sub = std::string("sub-") + name, .status = "CONFIRMED",
                             .enabled = true, .attributes_json = "{}"};
      EXPECT_TRUE(stores_.users->CreateUser(user, {}).ok());
    }
  }

  store::AuthEventRecord Stored(const std::string& user, const std::string& id) {
    auto got = stores_.auth_events->GetEvent(kPool, user, id);
    EXPECT_TRUE(got.ok() && got->has_value());
    return got.ok() && got->has_value() ? **got : store::AuthEventRecord{};
  }

  FakeClock clock_;
  store::Stores stores_;
  crypto::KeyEncryptionKey kek_;
  std::vector<std::string> failures_;
  AuthEventLog log_;
};

TEST_F(AuthEventLogTest, RecordSealsTheContextAndServesItAsCognitoShapesIt) {
  const RequestMeta request{"192.0.2.7", "boto3/1.26 test-agent"};
  ScopedRequestMeta meta(request);  // keeps a pointer: `request` must outlive it
  std::string id = log_.Record({kPool, "ann", "client-1"}, EventType::kSignUp, kPass);
  ASSERT_FALSE(id.empty());
  store::AuthEventRecord row = Stored("ann", id);
  EXPECT_EQ(row.client_id, "client-1");
  // Personal data is not in the row in clear.
  EXPECT_EQ(row.context_sealed.find("192.0.2.7"), std::string::npos);
  EXPECT_EQ(row.context_sealed.find("test-agent"), std::string::npos);
  json::object shown = log_.ToAuthEventType(row);
  EXPECT_EQ(shown.at("EventId"), json::value(id));
  EXPECT_EQ(shown.at("EventType"), "SignUp");
  EXPECT_EQ(shown.at("EventResponse"), "Pass");
  EXPECT_EQ(shown.at("CreationDate"), 1'700'000'000);
  EXPECT_EQ(shown.at("EventContextData"),
            (json::object{{"IpAddress", "192.0.2.7"}, {"DeviceName", "boto3/1.26 test-agent"}}));
  EXPECT_EQ(shown.at("EventRisk").at("RiskDecision"), "NoRisk");
  EXPECT_EQ(shown.at("ChallengeResponses"), json::array());
  EXPECT_FALSE(shown.contains("EventFeedback"));
}

TEST_F(AuthEventLogTest, SealedContextIsBoundToItsUserAndEvent) {
  const RequestMeta request{"192.0.2.7", "agent"};
  ScopedRequestMeta meta(request);  // keeps a pointer: `request` must outlive it
  std::string id = log_.Record({kPool, "ann", "c"}, EventType::kSignIn, kFail);
  store::AuthEventRecord moved = Stored("ann", id);
  moved.username_key = "ben";  // the row copied to another user does not open there
  EXPECT_FALSE(log_.ToAuthEventType(moved).contains("EventContextData"));
  moved = Stored("ann", id);
  moved.event_id = "other";
  EXPECT_FALSE(log_.ToAuthEventType(moved).contains("EventContextData"));
}

TEST_F(AuthEventLogTest, UnknownUserRecordsNothingAndIsNoFailure) {
  log_.Record({kPool, "nobody", "c"}, EventType::kForgotPassword, kPass);
  EXPECT_TRUE(stores_.auth_events->ListEvents(kPool, "nobody", std::nullopt, 10)->empty());
  EXPECT_TRUE(failures_.empty());
}

TEST_F(AuthEventLogTest, SignInStepsUpdateOneEventUntilItPasses) {
  const std::string id = "attempt-1";
  log_.RecordSignInStep({kPool, "ann", "c"}, id, kInProgress, ChallengeResult{"Password", true});
  clock_.AdvanceMs(5000);
  log_.RecordSignInStep({kPool, "ann", "c"}, id, kFail, ChallengeResult{"Mfa", false});
  log_.RecordSignInStep({kPool, "ann", "c"}, id, kPass, ChallengeResult{"Mfa", true});
  store::AuthEventRecord row = Stored("ann", id);
  EXPECT_EQ(row.response, "Pass");
  EXPECT_EQ(row.created_ms, 1'700'000'000'000);  // the attempt's start
  EXPECT_EQ(row.challenges_json,
            R"([{"ChallengeName":"Password","ChallengeResponse":"Success"},)"
            R"({"ChallengeName":"Mfa","ChallengeResponse":"Failure"},)"
            R"({"ChallengeName":"Mfa","ChallengeResponse":"Success"}])");
  // A replayed answer after the pass is another attempt; the passed one stays.
  log_.RecordSignInStep({kPool, "ann", "c"}, id, kFail, ChallengeResult{"Mfa", false});
  EXPECT_EQ(Stored("ann", id).response, "Pass");
  EXPECT_EQ(stores_.auth_events->ListEvents(kPool, "ann", std::nullopt, 10)->size(), 2u);
}

TEST_F(AuthEventLogTest, ListsNewestFirstInPagesWithNextToken) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(log_.Record({kPool, "ann", "c"}, EventType::kSignIn, kPass));
    clock_.AdvanceMs(1000);
  }
  log_.Record({kPool, "ben", "c"}, EventType::kSignIn, kPass);
  auto first = log_.List(kPool, "ann", "", 2);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->events.size(), 2u);
  EXPECT_EQ(first->events[0].event_id, ids[4]);
  EXPECT_EQ(first->events[1].event_id, ids[3]);
  ASSERT_FALSE(first->next_token.empty());
  auto second = log_.List(kPool, "ann", first->next_token, 2);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->events[0].event_id, ids[2]);
  auto last = log_.List(kPool, "ann", second->next_token, 2);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->events.size(), 1u);
  EXPECT_EQ(last->events[0].event_id, ids[0]);
  EXPECT_TRUE(last->next_token.empty());
  // At most 60 per page, whatever is asked.
  EXPECT_EQ(log_.List(kPool, "ann", "", 1000)->events.size(), 5u);
}

TEST_F(AuthEventLogTest, ForgedNextTokenIsInvalidParameter) {
  for (std::string bad : {std::string("%%%"), crypto::Base64UrlEncode("no-colon"),
                          crypto::Base64UrlEncode("12x:id"), crypto::Base64UrlEncode(":id"),
                          crypto::Base64UrlEncode("5:"), std::string(300, 'A')}) {
    auto page = log_.List(kPool, "ann", bad, 10);
    ASSERT_FALSE(page.ok()) << bad;
    EXPECT_EQ(page.error().type, "InvalidParameterException");
  }
}

TEST_F(AuthEventLogTest, FeedbackTokenIsTheDocumentedHmacAndBindsPoolUserAndEvent) {
  std::string token = log_.FeedbackToken(kPool, "ann", "e1");
  std::string expected = crypto::Base64UrlEncode(crypto::HmacSha256(
      kek_.Derive("auth-event-feedback"), std::string(kPool) + "|ann|e1"));
  EXPECT_EQ(token, expected);
  EXPECT_TRUE(log_.FeedbackTokenMatches(kPool, "ann", "e1", token));
  EXPECT_FALSE(log_.FeedbackTokenMatches(kPool, "ann", "e2", token));
  EXPECT_FALSE(log_.FeedbackTokenMatches(kPool, "ben", "e1", token));
  EXPECT_FALSE(log_.FeedbackTokenMatches("us-east-1_OTHER0000", "ann", "e1", token));
  EXPECT_FALSE(log_.FeedbackTokenMatches(kPool, "ann", "e1", token.substr(1)));
  EXPECT_FALSE(log_.FeedbackTokenMatches(kPool, "ann", "e1", ""));
}

TEST_F(AuthEventLogTest, FeedbackIsStoredAndShown) {
  std::string id = log_.Record({kPool, "ann", "c"}, EventType::kSignIn, kPass);
  EXPECT_FALSE(*log_.SetFeedback(kPool, "ann", "missing", "Valid", "Admin"));
  EXPECT_FALSE(*log_.SetFeedback(kPool, "ann", std::string(100, 'x'), "Valid", "Admin"));
  clock_.AdvanceMs(2500);
  ASSERT_TRUE(*log_.SetFeedback(kPool, "ann", id, "Invalid", "Cognito"));
  json::object shown = log_.ToAuthEventType(Stored("ann", id));
  EXPECT_EQ(shown.at("EventFeedback"),
            (json::object{{"FeedbackValue", "Invalid"},
                          {"Provider", "Cognito"},
                          {"FeedbackDate", 1'700'000'002.5}}));
}

TEST_F(AuthEventLogTest, PendingEventRecordsOutcomesOfKnownUsersOnly) {
  PendingEvent unnamed(&log_, EventType::kForgotPassword);
  (void)unnamed.Finish(json::object());  // never found its user
  PendingEvent passed(&log_, EventType::kPasswordChange);
  passed.SetSubject({kPool, "ann", "c"});
  (void)passed.Finish(json::object());
  PendingEvent refused(&log_, EventType::kSignOut);
  refused.SetSubject({kPool, "ann", "c"});
  (void)refused.Finish(Error::NotAuthorized("no"));
  PendingEvent broken(&log_, EventType::kResendCode);
  broken.SetSubject({kPool, "ann", "c"});
  (void)broken.Finish(Error::Internal());  // the server's fault, not the user's
  PendingEvent off(nullptr, EventType::kSignUp);
  off.SetSubject({kPool, "ann", "c"});
  EXPECT_TRUE(off.Finish(json::object()).ok());

  auto events = *stores_.auth_events->ListEvents(kPool, "ann", std::nullopt, 10);
  ASSERT_EQ(events.size(), 2u);
  std::vector<std::pair<std::string, std::string>> seen;
  for (const auto& e : events) seen.emplace_back(e.event_type, e.response);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{{"PasswordChange", "Pass"},
                                                                    {"SignOut", "Fail"}}));
}

TEST_F(AuthEventLogTest, PurgeRemovesOnlyOldEvents) {
  std::string old_id = log_.Record({kPool, "ann", "c"}, EventType::kSignIn, kPass);
  clock_.AdvanceMs(10'000);
  std::string new_id = log_.Record({kPool, "ann", "c"}, EventType::kSignIn, kPass);
  EXPECT_EQ(*log_.PurgeBefore(clock_.NowMs() - 5000, 100), 1);
  EXPECT_FALSE(stores_.auth_events->GetEvent(kPool, "ann", old_id)->has_value());
  EXPECT_TRUE(stores_.auth_events->GetEvent(kPool, "ann", new_id)->has_value());
}

}  // namespace
}  // namespace cognate::events
