// The PostgreSQL access layer against a real server: COGNATE_TEST_POSTGRES_URL (scripts/test.sh
// starts one with scripts/postgres.sh). Skipped when the variable is not set.

#include "store/postgres/pg_database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <thread>

namespace cognate::store::postgres {
namespace {

class PgDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("COGNATE_TEST_POSTGRES_URL");
    if (url == nullptr || *url == '\0') GTEST_SKIP() << "COGNATE_TEST_POSTGRES_URL is not set";
    auto db = Database::Open({.url = url, .pool_size = 4});
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = *db;
    table_ = "t_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name();
    ASSERT_TRUE(db_->Write([&](Connection& c) {
                     return c.ExecScript("DROP TABLE IF EXISTS " + table_ + "; CREATE TABLE " +
                                         table_ + " (k TEXT PRIMARY KEY, v BIGINT, n TEXT)");
                   }).ok());
  }
  void TearDown() override {
    if (db_) (void)db_->Write([&](Connection& c) { return c.ExecScript("DROP TABLE " + table_); });
  }
  std::shared_ptr<Database> db_;
  std::string table_;
};

TEST_F(PgDatabaseTest, ParametersTravelApartFromTheSql) {
  const std::string hostile = "x'); DROP TABLE " + table_ + "; --";
  ASSERT_TRUE(db_->Write([&](Connection& c) -> Status {
                   auto r = c.Exec("INSERT INTO " + table_ + " (k, v, n) VALUES ($1, $2, $3)",
                                   {P(hostile), P(int64_t{42}), std::nullopt});
                   if (!r.ok()) return std::move(r).error();
                   EXPECT_EQ(r->affected(), 1);
                   return OkStatus();
                 }).ok());
  ASSERT_TRUE(db_->Read([&](Connection& c) -> Status {
                   auto r = c.Exec("SELECT k, v, n FROM " + table_ + " WHERE k = $1", {P(hostile)});
                   if (!r.ok()) return std::move(r).error();
                   EXPECT_EQ(r->size(), 1);
                   EXPECT_EQ(r->Text(0, 0), hostile);
                   EXPECT_EQ(r->Int(0, 1), 42);
                   EXPECT_TRUE(r->IsNull(0, 2));
                   EXPECT_FALSE(r->OptionalInt(0, 2).has_value());
                   return OkStatus();
                 }).ok());
}

TEST_F(PgDatabaseTest, AFailedTransactionLeavesNothing) {
  Status failed = db_->Write([&](Connection& c) -> Status {
    auto r = c.Exec("INSERT INTO " + table_ + " (k, v) VALUES ('a', 1)");
    if (!r.ok()) return std::move(r).error();
    return Error::InvalidParameter("changed my mind");
  });
  EXPECT_EQ(failed.error().type, "InvalidParameterException");
  ASSERT_TRUE(db_->Read([&](Connection& c) -> Status {
                   auto r = c.Exec("SELECT count(*) FROM " + table_);
                   EXPECT_EQ(r->Int(0, 0), 0);
                   return OkStatus();
                 }).ok());
}

TEST_F(PgDatabaseTest, ViolationsAreReportedNotErrors) {
  ASSERT_TRUE(db_->Write([&](Connection& c) -> Status {
                   return c.Exec("INSERT INTO " + table_ + " (k) VALUES ('dup')").ok()
                              ? OkStatus() : Error::Internal("insert");
                 }).ok());
  Violation seen = Violation::kNone;
  Status s = db_->Write([&](Connection& c) -> Status {
    auto r = c.TryExec("INSERT INTO " + table_ + " (k) VALUES ('dup')");
    if (!r.ok()) return std::move(r).error();
    seen = r->first;
    return OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(seen, Violation::kUnique);
}

TEST_F(PgDatabaseTest, ConcurrentIncrementsAreSerializedByRetries) {
  ASSERT_TRUE(db_->Write([&](Connection& c) -> Status {
                   auto r = c.Exec("INSERT INTO " + table_ + " (k, v) VALUES ('n', 0)");
                   return r.ok() ? OkStatus() : std::move(r).error();
                 }).ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        Status s = db_->Write([&](Connection& c) -> Status {
          auto r = c.Exec("SELECT v FROM " + table_ + " WHERE k = 'n'");
          if (!r.ok()) return std::move(r).error();
          auto w = c.Exec("UPDATE " + table_ + " SET v = $1 WHERE k = 'n'",
                          {P(r->Int(0, 0) + 1)});
          return w.ok() ? OkStatus() : std::move(w).error();
        });
        if (!s.ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  // Serializable transactions: a read-modify-write never loses an increment; the ones the
  // database refused were retried (or, after the retries, reported).
  int64_t value = 0;
  ASSERT_TRUE(db_->Read([&](Connection& c) -> Status {
                   value = c.Exec("SELECT v FROM " + table_ + " WHERE k = 'n'")->Int(0, 0);
                   return OkStatus();
                 }).ok());
  EXPECT_EQ(value, 40 - failures.load());
  EXPECT_LE(failures.load(), 4);
}

TEST_F(PgDatabaseTest, PreparedQueriesRunAgainAndFailCleanly) {
  // The same text twice runs the statement prepared on first use; a query that cannot be
  // prepared is an error that leaves the connection usable.
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(db_->Write([&](Connection& c) -> Status {
                     auto r = c.Exec("INSERT INTO " + table_ + " (k, v) VALUES ($1, $2)",
                                     {P("k" + std::to_string(i)), P(i)});
                     return r.ok() ? OkStatus() : std::move(r).error();
                   }).ok());
  }
  Status bad = db_->Read([&](Connection& c) -> Status {
    auto r = c.Exec("SELECT nope FROM " + table_ + " WHERE k = $1", {P("k1")});
    return r.ok() ? OkStatus() : std::move(r).error();
  });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().type, "InternalErrorException");
  EXPECT_NE(bad.error().message.find("42703"), std::string::npos);  // undefined column
  Status wrong_count = db_->Read([&](Connection& c) -> Status {
    auto r = c.Exec("SELECT v FROM " + table_ + " WHERE k = $1", {P("k1"), P("extra")});
    return r.ok() ? OkStatus() : std::move(r).error();
  });
  EXPECT_FALSE(wrong_count.ok());
  ASSERT_TRUE(db_->Read([&](Connection& c) -> Status {
                   auto r = c.Exec("SELECT sum(v) FROM " + table_ + " WHERE k <> $1", {P("none")});
                   if (!r.ok()) return std::move(r).error();
                   EXPECT_EQ(r->Int(0, 0), 3);
                   return OkStatus();
                 }).ok());
}

TEST_F(PgDatabaseTest, ReconnectsWhenTheServerDropsEveryConnection) {
  // Eight pooled connections (more than the retries of one transaction), each with prepared
  // statements.
  auto db = Database::Open({.url = std::getenv("COGNATE_TEST_POSTGRES_URL"), .pool_size = 8});
  ASSERT_TRUE(db.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      (void)(*db)->Read([&](Connection& c) -> Status {
        auto r = c.Exec("SELECT pg_sleep(0.05), count(*) FROM " + table_ + " WHERE k <> $1",
                        {P("x")});
        return r.ok() ? OkStatus() : std::move(r).error();
      });
    });
  }
  for (auto& t : threads) t.join();
  // What a restart or failover does to them: every session of this database ends.
  auto admin = Database::Open({.url = std::getenv("COGNATE_TEST_POSTGRES_URL"), .pool_size = 1});
  ASSERT_TRUE(admin.ok());
  ASSERT_TRUE((*admin)->Read([&](Connection& c) -> Status {
                   auto r = c.Exec(
                       "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()");
                   if (!r.ok()) return std::move(r).error();
                   EXPECT_GE(r->Int(0, 0), 8);
                   return OkStatus();
                 }).ok());
  // The next statements find dead connections, drop them all and reconnect.
  for (int i = 0; i < 3; ++i) {
    Status s = (*db)->Write([&](Connection& c) -> Status {
      auto r = c.Exec("INSERT INTO " + table_ + " (k, v) VALUES ($1, 1)",
                      {P("after-" + std::to_string(i))});
      return r.ok() ? OkStatus() : std::move(r).error();
    });
    EXPECT_TRUE(s.ok()) << s.error().message;
  }
}

TEST(PgDatabaseUnreachableTest, FailsFastWithInternalError) {
  auto start = std::chrono::steady_clock::now();
  auto db = Database::Open({.url = "postgres://nobody@127.0.0.1:1/none", .connect_timeout_s = 2});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().type, "InternalErrorException");
  EXPECT_EQ(db.error().http_status, 500);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

}  // namespace
}  // namespace cognate::store::postgres
