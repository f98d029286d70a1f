// The AuthEventStore contract (see store_contract_test.h): events of one user, newest first,
// updated in place as a sign-in moves on, feedback, the retention purge, and the cascade from
// the user's deletion.

#include <string>
#include <vector>

#include "store/store_contract_test.h"
#include "store/user_contract_test_util.h"

namespace cognate::store::contract {
namespace {

AuthEventRecord MakeEvent(const std::string& user, const std::string& id, int64_t created_ms,
                          const std::string& type = "SignIn") {
  return {.pool_id = kPool,
          .username_key = user,
          .event_id = id,
          .event_type = type,
          .created_ms = created_ms,
          .response = "Pass",
          .challenges_json = R"([{"ChallengeName":"Password","ChallengeResponse":"Success"}])",
          .client_id = "client-1",
          .context_sealed = "sealed-" + id};
}

std::vector<std::string> Ids(const std::vector<AuthEventRecord>& events) {
  std::vector<std::string> ids;
  for (const auto& e : events) ids.push_back(e.event_id);
  return ids;
}

TEST_P(StoreContractTest, AuthEventIsStoredAndReadBack) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  AuthEventRecord event = MakeEvent("ann", "e1", 1000, "SignUp");
  ASSERT_TRUE(stores_.auth_events->PutEvent(event).ok());
  auto got = stores_.auth_events->GetEvent(kPool, "ann", "e1");
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->event_type, "SignUp");
  EXPECT_EQ((*got)->created_ms, 1000);
  EXPECT_EQ((*got)->response, "Pass");
  EXPECT_EQ((*got)->challenges_json, event.challenges_json);
  EXPECT_EQ((*got)->client_id, "client-1");
  EXPECT_EQ((*got)->context_sealed, "sealed-e1");
  EXPECT_EQ((*got)->feedback_value, "");
  // Another user's id space, another pool: nothing.
  EXPECT_FALSE(stores_.auth_events->GetEvent(kPool, "ben", "e1")->has_value());
  EXPECT_FALSE(stores_.auth_events->GetEvent(kOtherPool, "ann", "e1")->has_value());
}

TEST_P(StoreContractTest, AuthEventOfUnknownUserIsRefused) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  Status put = stores_.auth_events->PutEvent(MakeEvent("nobody", "e1", 1000));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().type, kNotFound);
  EXPECT_TRUE(stores_.auth_events->ListEvents(kPool, "nobody", std::nullopt, 10)->empty());
}

TEST_P(StoreContractTest, AuthEventPutAgainUpdatesResponseButKeepsTypeTimeAndFeedback) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  AuthEventRecord event = MakeEvent("ann", "e1", 1000);
  event.response = "InProgress";
  ASSERT_TRUE(stores_.auth_events->PutEvent(event).ok());
  ASSERT_TRUE(*stores_.auth_events->SetFeedback(kPool, "ann", "e1", "Valid", "Admin", 1500));
  AuthEventRecord later = event;
  later.response = "Fail";
  later.challenges_json = "[]";
  later.event_type = "SignUp";  // ignored: an event keeps its type
  later.created_ms = 2000;      // ... and its creation time
  later.context_sealed = "sealed-again";
  ASSERT_TRUE(stores_.auth_events->PutEvent(later).ok());
  auto got = stores_.auth_events->GetEvent(kPool, "ann", "e1")->value();
  EXPECT_EQ(got.response, "Fail");
  EXPECT_EQ(got.challenges_json, "[]");
  EXPECT_EQ(got.context_sealed, "sealed-again");
  EXPECT_EQ(got.event_type, "SignIn");
  EXPECT_EQ(got.created_ms, 1000);
  EXPECT_EQ(got.feedback_value, "Valid");
  EXPECT_EQ(stores_.auth_events->ListEvents(kPool, "ann", std::nullopt, 10)->size(), 1u);
}

TEST_P(StoreContractTest, AuthEventsListNewestFirstInPages) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  // Two events share a millisecond: the id breaks the tie, so no page skips or repeats one.
  for (auto [id, ms] : std::vector<std::pair<std::string, int64_t>>{
           {"a", 1000}, {"b", 3000}, {"c", 2000}, {"d", 2000}, {"e", 4000}}) {
    ASSERT_TRUE(stores_.auth_events->PutEvent(MakeEvent("ann", id, ms)).ok());
  }
  ASSERT_TRUE(stores_.auth_events->PutEvent(MakeEvent("ben", "z", 5000)).ok());
  auto all = stores_.auth_events->ListEvents(kPool, "ann", std::nullopt, 60);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(Ids(*all), (std::vector<std::string>{"e", "b", "d", "c", "a"}));

  auto first = stores_.auth_events->ListEvents(kPool, "ann", std::nullopt, 3);
  ASSERT_EQ(Ids(*first), (std::vector<std::string>{"e", "b", "d"}));
  AuthEventCursor cursor{first->back().created_ms, first->back().event_id};
  auto second = stores_.auth_events->ListEvents(kPool, "ann", cursor, 3);
  EXPECT_EQ(Ids(*second), (std::vector<std::string>{"c", "a"}));
  AuthEventCursor end{1000, "a"};
  EXPECT_TRUE(stores_.auth_events->ListEvents(kPool, "ann", end, 3)->empty());
}

TEST_P(StoreContractTest, AuthEventFeedbackNeedsTheEvent) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  ASSERT_TRUE(stores_.auth_events->PutEvent(MakeEvent("ann", "e1", 1000)).ok());
  EXPECT_FALSE(*stores_.auth_events->SetFeedback(kPool, "ann", "e2", "Valid", "Admin", 2000));
  EXPECT_FALSE(*stores_.auth_events->SetFeedback(kPool, "ben", "e1", "Valid", "Admin", 2000));
  ASSERT_TRUE(*stores_.auth_events->SetFeedback(kPool, "ann", "e1", "Invalid", "Cognito", 2000));
  auto got = stores_.auth_events->GetEvent(kPool, "ann", "e1")->value();
  EXPECT_EQ(got.feedback_value, "Invalid");
  EXPECT_EQ(got.feedback_provider, "Cognito");
  EXPECT_EQ(got.feedback_ms, 2000);
}

TEST_P(StoreContractTest, AuthEventsPurgeOldestInBoundedBatches) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        stores_.auth_events->PutEvent(MakeEvent("ann", "e" + std::to_string(i), 1000 * (i + 1)))
            .ok());
  }
  EXPECT_EQ(*stores_.auth_events->PurgeEventsBefore(4000, 2), 2);  // e0, e1
  EXPECT_EQ(*stores_.auth_events->PurgeEventsBefore(4000, 2), 1);  // e2
  EXPECT_EQ(*stores_.auth_events->PurgeEventsBefore(4000, 2), 0);
  EXPECT_EQ(Ids(*stores_.auth_events->ListEvents(kPool, "ann", std::nullopt, 10)),
            (std::vector<std::string>{"e4", "e3"}));
}

TEST_P(StoreContractTest, AuthEventsGoWithTheirUser) {
  ASSERT_NO_FATAL_FAILURE(CreateUsers(stores_));
  ASSERT_TRUE(stores_.auth_events->PutEvent(MakeEvent("ann", "e1", 1000)).ok());
  ASSERT_TRUE(stores_.auth_events->PutEvent(MakeEvent("ben", "e2", 1000)).ok());
  ASSERT_TRUE(stores_.users->DeleteUser(kPool, "ann").ok());
  EXPECT_FALSE(stores_.auth_events->GetEvent(kPool, "ann", "e1")->has_value());
  EXPECT_TRUE(stores_.auth_events->GetEvent(kPool, "ben", "e2")->has_value());
}

}  // namespace
}  // namespace cognate::store::contract
