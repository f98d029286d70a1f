#include "identity/user_batch_writer.h"

#include <gtest/gtest.h>

#include <map>

#include "store/sqlite/open.h"
#include "store/user_contract_test_util.h"

namespace cognate::identity {
namespace {

using store::contract::kPool;
using store::contract::MakeUser;

TEST(UserBatchWriterTest, EveryUserGetsItsOutcomeEvenWhenABatchFailsWhole) {
  store::Stores stores = store::sqlite::Open(":memory:");
  store::contract::CreatePools(stores);
  ASSERT_TRUE(stores.users->CreateUser(MakeUser(kPool, "taken"), {}).ok());
  std::map<int64_t, Status> outcomes;
  UserBatchWriter writer(*stores.users, 3, [&](int64_t tag, const Status& status) {
    EXPECT_TRUE(outcomes.emplace(tag, status).second) << "told twice: " << tag;
  });
  store::UserRecord twin = MakeUser(kPool, "twin");
  twin.sub = MakeUser(kPool, "a").sub;  // repeats a's sub: that batch fails as a whole
  writer.Add(1, {MakeUser(kPool, "a"), {}});
  store::UserRecord taken_again = MakeUser(kPool, "taken");
  taken_again.sub = "0f0e0d0c-taken-again";
  writer.Add(2, {taken_again, {}});
  writer.Add(3, {twin, {}});  // the third fills the batch: flushed here
  EXPECT_EQ(outcomes.size(), 3u);
  writer.Add(4, {MakeUser(kPool, "b"), {}});
  EXPECT_EQ(outcomes.size(), 3u);  // waits for the batch to fill
  writer.Flush();
  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_TRUE(outcomes.at(1).ok());  // inserted by the one-by-one retry
  EXPECT_TRUE(IsTakenUser(outcomes.at(2)));
  EXPECT_FALSE(outcomes.at(3).ok());
  EXPECT_FALSE(IsTakenUser(outcomes.at(3)));
  EXPECT_TRUE(outcomes.at(4).ok());
  EXPECT_EQ(*stores.users->CountUsers(kPool), 3);  // taken, a, b
}

}  // namespace
}  // namespace cognate::identity
