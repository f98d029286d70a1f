// The SQLite backend: the shared store contract on a file and in memory, plus what only SQLite
// has (PRAGMAs, migrations, reopening a file, concurrent connections).

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/database.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/open.h"
#include "store/store_contract_test.h"

namespace cognate::store::sqlite {
namespace {

using contract::ScratchDir;
using contract::StoreBackend;
using contract::StoreContractTest;

Stores OpenOnFile(const std::string& scratch_dir) { return Open(scratch_dir + "/cognate.db"); }
Stores OpenInMemory(const std::string&) { return Open(":memory:"); }

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
                         ::testing::Values(StoreBackend{"File", OpenOnFile},
                                           StoreBackend{"Memory", OpenInMemory}),
                         contract::StoreBackendName);

UserPoolRecord MakePool(const std::string& id) {
  return {.id = id, .name = "pool", .created_ms = 1, .modified_ms = 1, .config_json = "{}"};
}

AppClientRecord MakeClient(const std::string& pool_id, const std::string& client_id) {
  return {.pool_id = pool_id,
          .client_id = client_id,
          .name = "app",
          .secret_sealed = "v1.s3cr3t-sealed-value",
          .created_ms = 1,
          .modified_ms = 1,
          .config_json = "{}"};
}

UserRecord MakeUser(const std::string& pool_id, const std::string& username_key,
                    const std::string& sub) {
  UserRecord user;
  user.pool_id = pool_id;
  user.username_key = username_key;
  user.username = username_key;
  user.sub = sub;
  user.status = "UNCONFIRMED";
  user.attributes_json = "{}";
  return user;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::string DbPath() const { return (dir_.path() / "cognate.db").string(); }

  std::shared_ptr<Database> OpenDatabase() {
    auto db = Database::Open(DbPath());
    if (!db.ok()) throw std::runtime_error(db.error().message);
    return *db;
  }

  ScratchDir dir_;
};

TEST_F(SqliteStoreTest, DataSurvivesReopen) {
  {
    Stores stores = Open(DbPath());
    SigningKeyRecord key;
    key.pool_id = "us-east-1_PERSIST00";
    key.kid = "k1";
    ASSERT_TRUE(stores.pools->CreatePool(MakePool("us-east-1_PERSIST00"), {key}).ok());
    ASSERT_TRUE(stores.clients->CreateClient(MakeClient("us-east-1_PERSIST00", "c1")).ok());
    AccessKeyRecord access_key;
    access_key.access_key_id = "AKID";
    ASSERT_TRUE(stores.access_keys->PutAccessKey(access_key).ok());
  }
  Stores stores = Open(DbPath());
  EXPECT_TRUE(stores.pools->GetPool("us-east-1_PERSIST00")->has_value());
  EXPECT_EQ(stores.clients->FindClient("c1")->value().secret_sealed, "v1.s3cr3t-sealed-value");
  EXPECT_EQ(stores.keys->ListKeys("us-east-1_PERSIST00")->size(), 1u);
  EXPECT_TRUE(stores.access_keys->GetAccessKey("AKID")->has_value());
}

// Checks the PRAGMAs every connection must carry.
Status ExpectConnectionSettings(Connection& conn) {
  EXPECT_EQ(conn.QueryText("PRAGMA journal_mode").value(), "wal");
  EXPECT_EQ(conn.QueryText("PRAGMA synchronous").value(), "2");  // FULL
  EXPECT_EQ(conn.QueryText("PRAGMA foreign_keys").value(), "1");
  EXPECT_EQ(conn.QueryText("PRAGMA busy_timeout").value(), "5000");
  return OkStatus();
}

TEST_F(SqliteStoreTest, ConnectionsUseWalFullSyncAndForeignKeys) {
  auto db = OpenDatabase();
  EXPECT_TRUE(db->Write(ExpectConnectionSettings).ok());
  // Hold every reader at once so each one is checked.
  std::vector<std::thread> threads;
  std::atomic<int> inside{0};
  for (int i = 0; i < Database::kReaderCount; ++i) {
    threads.emplace_back([&] {
      EXPECT_TRUE(db->Read([&](Connection& conn) {
                      ++inside;
                      while (inside.load() < Database::kReaderCount) std::this_thread::yield();
                      return ExpectConnectionSettings(conn);
                    }).ok());
    });
  }
  for (auto& thread : threads) thread.join();
}

TEST_F(SqliteStoreTest, ReadersCannotWrite) {
  auto db = OpenDatabase();
  Status status = db->Read([](Connection& conn) -> Status {
    COGNATE_RETURN_IF_ERROR(conn.Exec("CREATE TABLE scratch (x)"));
    return OkStatus();
  });
  EXPECT_FALSE(status.ok());
}

TEST_F(SqliteStoreTest, FailedWriteRollsBack) {
  Stores stores = Open(DbPath());  // Migrated schema.
  auto db = OpenDatabase();
  Status status = db->Write([](Connection& conn) -> Status {
    COGNATE_RETURN_IF_ERROR(
        conn.Exec("INSERT INTO user_pools (id, name, created_ms, modified_ms, config_json) "
                  "VALUES ('p', 'n', 0, 0, '{}')"));
    return Error::Internal("changed my mind");
  });
  EXPECT_EQ(status.error().message, "changed my mind");
  EXPECT_FALSE(stores.pools->GetPool("p")->has_value());
}

TEST_F(SqliteStoreTest, MigrationsAreIdempotent) {
  { Stores stores = Open(DbPath()); }
  { Stores stores = Open(DbPath()); }
  auto db = OpenDatabase();
  ASSERT_TRUE(Migrate(*db).ok());
  const auto known = static_cast<int64_t>(Migrations().size());
  Status checked = db->Read([&](Connection& conn) -> Status {
    EXPECT_EQ(SchemaVersion(conn).value(), known);
    EXPECT_EQ(conn.QueryText("SELECT COUNT(*) FROM schema_version").value(), std::to_string(known));
    return OkStatus();
  });
  EXPECT_TRUE(checked.ok());
}

TEST_F(SqliteStoreTest, RefusesSchemaNewerThanBuild) {
  { Stores stores = Open(DbPath()); }
  auto db = OpenDatabase();
  const auto future = static_cast<int64_t>(Migrations().size()) + 1;
  ASSERT_TRUE(db->Write([&](Connection& conn) {
                  return conn.Exec("INSERT INTO schema_version VALUES (?1, 0)", future);
                }).ok());
  db.reset();
  EXPECT_THROW(Open(DbPath()), std::runtime_error);
}

TEST_F(SqliteStoreTest, OpenFailureThrows) {
  EXPECT_THROW(Open((dir_.path() / "no-such-dir" / "cognate.db").string()), std::runtime_error);
}

TEST_F(SqliteStoreTest, DatabaseErrorsKeepSecretsOut) {
  Stores stores = Open(DbPath());
  ASSERT_TRUE(stores.pools->CreatePool(MakePool("us-east-1_POOL00001"), {}).ok());
  ASSERT_TRUE(stores.clients->CreateClient(MakeClient("us-east-1_POOL00001", "c1")).ok());
  Status duplicate = stores.clients->CreateClient(MakeClient("us-east-1_POOL00001", "c1"));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().type, "InternalErrorException");
  EXPECT_EQ(duplicate.error().http_status, 500);
  EXPECT_EQ(duplicate.error().message.find("s3cr3t"), std::string::npos);
}

TEST(SqliteMemoryTest, EachOpenIsAPrivateDatabase) {
  Stores first = Open(":memory:");
  Stores second = Open(":memory:");
  ASSERT_TRUE(first.pools->CreatePool(MakePool("us-east-1_ONLYFIRST"), {}).ok());
  EXPECT_TRUE(first.pools->GetPool("us-east-1_ONLYFIRST")->has_value());
  EXPECT_FALSE(second.pools->GetPool("us-east-1_ONLYFIRST")->has_value());
}

// Each thread mixes writes and reads of its own pools and of everyone's (listings).
void RunMixedLoad(Stores& stores, int threads, int ops_per_thread) {
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < ops_per_thread; ++i) {
        const std::string id = "us-east-1_t" + std::to_string(t) + "_" + std::to_string(i / 4);
        bool ok = true;
        switch (i % 4) {
          case 0:
            ok = stores.pools->CreatePool(MakePool(id), {}).ok();
            break;
          case 1:
            ok = stores.clients->CreateClient(MakeClient(id, id + "_c")).ok();
            break;
          case 2:
            ok = stores.pools->GetPool(id).ok() && stores.clients->FindClient(id + "_c").ok();
            break;
          default:
            ok = stores.pools->ListPools("", 10).ok() && stores.clients->CountClients(id).ok();
        }
        if (!ok) ++failures;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(failures.load(), 0);
}

int CountPools(Stores& stores) {
  int count = 0;
  std::string after;
  do {
    auto page = stores.pools->ListPools(after, 60);
    if (!page.ok()) return -1;
    count += static_cast<int>(page->items.size());
    after = page->next_after;
  } while (!after.empty());
  return count;
}

TEST_F(SqliteStoreTest, ConcurrentReadersAndWriter) {
  Stores stores = Open(DbPath());
  RunMixedLoad(stores, 4, 200);
  EXPECT_EQ(CountPools(stores), 4 * 200 / 4);
}

TEST(SqliteMemoryTest, ConcurrentUseOfSharedConnection) {
  Stores stores = Open(":memory:");
  RunMixedLoad(stores, 4, 200);
  EXPECT_EQ(CountPools(stores), 4 * 200 / 4);
}

// Two opens of one file act like two processes: their writers contend for SQLite's lock, and
// busy_timeout makes them wait rather than fail.
TEST_F(SqliteStoreTest, TwoOpensOfOneFileShareIt) {
  Stores first = Open(DbPath());
  Stores second = Open(DbPath());
  std::thread a([&] { RunMixedLoad(first, 2, 100); });
  std::thread b([&] {
    for (int i = 0; i < 50; ++i)
      EXPECT_TRUE(second.pools->CreatePool(MakePool("us-east-1_b" + std::to_string(i)), {}).ok());
  });
  a.join();
  b.join();
  EXPECT_EQ(CountPools(first), 2 * 100 / 4 + 50);
  EXPECT_EQ(CountPools(second), 2 * 100 / 4 + 50);
}

// [INVARIANT] Uniqueness comes from the database: of 50 simultaneous sign-ups for one username,
// spread over two opens of the file (as two processes would be), exactly one wins.
TEST_F(SqliteStoreTest, RacingSignUpsCreateOneUser) {
  Stores first = Open(DbPath());
  Stores second = Open(DbPath());
  ASSERT_TRUE(first.pools->CreatePool(MakePool("us-east-1_RACE00000"), {}).ok());
  constexpr int kThreads = 50;
  std::atomic<int> ready{0}, created{0}, taken{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      UserRecord user = MakeUser("us-east-1_RACE00000", "racer", "sub-" + std::to_string(t));
      UserKey email{"email", "racer-" + std::to_string(t) + "@example.com"};
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      Status status = (t % 2 == 0 ? first : second).users->CreateUser(user, {email});
      if (status.ok()) {
        ++created;
      } else if (status.error().type == "UsernameExistsException") {
        ++taken;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(taken.load(), kThreads - 1);
  EXPECT_EQ(*first.users->CountUsers("us-east-1_RACE00000"), 1);
  // Only the winner's key was kept.
  const std::string sub = first.users->GetUser("us-east-1_RACE00000", "racer")->value().sub;
  const UserKey winner_key{"email", "racer-" + sub.substr(4) + "@example.com"};
  EXPECT_EQ(*first.users->GetKeys("us-east-1_RACE00000", "racer"),
            std::vector<UserKey>{winner_key});
}

// Concurrent failures all count: the counter is one UPDATE, not read-modify-write.
TEST_F(SqliteStoreTest, ConcurrentSignInFailuresAllCount) {
  Stores stores = Open(DbPath());
  ASSERT_TRUE(stores.pools->CreatePool(MakePool("us-east-1_FAIL00000"), {}).ok());
  ASSERT_TRUE(stores.users->CreateUser(MakeUser("us-east-1_FAIL00000", "u", "s"), {}).ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        EXPECT_TRUE(
            stores.users->RecordSignInFailure("us-east-1_FAIL00000", "u", 1000, 60'000, 5, 900'000)
                .ok());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(stores.users->GetUser("us-east-1_FAIL00000", "u")->value().failed_sign_ins, 80);
}

TEST_F(SqliteStoreTest, UserErrorsKeepValuesOut) {
  Stores stores = Open(DbPath());
  ASSERT_TRUE(stores.pools->CreatePool(MakePool("us-east-1_POOL00001"), {}).ok());
  UserRecord user = MakeUser("us-east-1_POOL00001", "u", "s");
  ASSERT_TRUE(stores.users->CreateUser(user, {}).ok());
  // A repeated sub is a caller bug: a plain database error that quotes nothing.
  UserRecord same_sub = user;
  same_sub.username_key = "v";
  same_sub.password_hash = "$argon2id$s3cr3t";
  Status status = stores.users->CreateUser(same_sub, {});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().type, "InternalErrorException");
  EXPECT_EQ(status.error().message.find("s3cr3t"), std::string::npos);
  EXPECT_EQ(status.error().message.find("users"), std::string::npos);
  EXPECT_FALSE(stores.users->GetUser("us-east-1_POOL00001", "v")->has_value());
}

}  // namespace
}  // namespace cognate::store::sqlite
