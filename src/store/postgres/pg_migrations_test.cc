// The PostgreSQL schema migrations against a real server (COGNATE_TEST_POSTGRES_URL), each test
// in a schema of its own. Skipped when the variable is not set.

#include "store/postgres/pg_migrations.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

namespace cognate::store::postgres {
namespace {

class PgMigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("COGNATE_TEST_POSTGRES_URL");
    if (url == nullptr || *url == '\0') GTEST_SKIP() << "COGNATE_TEST_POSTGRES_URL is not set";
    url_ = url;
    schema_ = "mig_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
              std::to_string(counter_++) + "_" + std::to_string(::getpid());
    auto admin = Database::Open({.url = url_});
    ASSERT_TRUE(admin.ok());
    ASSERT_TRUE((*admin)->Write([&](Connection& c) {
                   return c.ExecScript("CREATE SCHEMA " + schema_);
                 }).ok());
    admin_ = *admin;
  }
  void TearDown() override {
    if (admin_) {
      (void)admin_->Write([&](Connection& c) {
        return c.ExecScript("DROP SCHEMA " + schema_ + " CASCADE");
      });
    }
  }
  std::shared_ptr<Database> Open() {
    auto db = Database::Open({.url = url_, .schema = schema_, .pool_size = 2});
    EXPECT_TRUE(db.ok());
    return db.ok() ? *db : nullptr;
  }
  int64_t Version(Database& db) {
    int64_t v = -1;
    EXPECT_TRUE(db.Read([&](Connection& c) -> Status {
                   auto r = c.Exec("SELECT MAX(version) FROM schema_version");
                   if (!r.ok()) return std::move(r).error();
                   v = r->Int(0, 0);
                   return OkStatus();
                 }).ok());
    return v;
  }
  static inline int counter_ = 0;
  std::string url_, schema_;
  std::shared_ptr<Database> admin_;
};

TEST_F(PgMigrationsTest, BringsAnEmptyDatabaseUpToDateOnce) {
  auto db = Open();
  ASSERT_TRUE(Migrate(*db).ok());
  EXPECT_EQ(Version(*db), LatestSchemaVersion());
  ASSERT_TRUE(Migrate(*db).ok());  // nothing left to do
  EXPECT_EQ(Version(*db), LatestSchemaVersion());
  // The tables are there, with the constraints the stores rely on.
  Status s = db->Write([](Connection& c) -> Status {
    auto pool = c.Exec(
        "INSERT INTO user_pools (id, name, created_ms, modified_ms, config_json) "
        "VALUES ('p1', 'n', 1, 1, '{}')");
    if (!pool.ok()) return std::move(pool).error();
    auto doc = c.TryExec(
        "INSERT INTO pool_documents (pool_id, kind, name, body_json, created_ms, modified_ms) "
        "VALUES ('p1', 'domain', 'd', '{}', 1, 1)");
    EXPECT_TRUE(doc.ok() && doc->first == Violation::kNone);
    return OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  Violation second = Violation::kNone;
  s = db->Write([&](Connection& c) -> Status {
    auto user = c.Exec(
        "INSERT INTO user_pools (id, name, created_ms, modified_ms, config_json) "
        "VALUES ('p2', 'n', 1, 1, '{}')");
    auto doc = c.TryExec(
        "INSERT INTO pool_documents (pool_id, kind, name, body_json, created_ms, modified_ms) "
        "VALUES ('p2', 'domain', 'd', '{}', 1, 1)");
    if (doc.ok()) second = doc->first;
    return OkStatus();
  });
  EXPECT_EQ(second, Violation::kUnique);  // a domain names one pool
}

TEST_F(PgMigrationsTest, NodesStartingTogetherMigrateOnce) {
  auto a = Open();
  auto b = Open();
  Status sa = OkStatus(), sb = OkStatus();
  std::thread ta([&] { sa = Migrate(*a); });
  std::thread tb([&] { sb = Migrate(*b); });
  ta.join();
  tb.join();
  EXPECT_TRUE(sa.ok()) << sa.error().message;
  EXPECT_TRUE(sb.ok()) << sb.error().message;
  EXPECT_EQ(Version(*a), LatestSchemaVersion());
}

TEST_F(PgMigrationsTest, RefusesADatabaseNewerThanTheBuild) {
  auto db = Open();
  ASSERT_TRUE(Migrate(*db).ok());
  ASSERT_TRUE(db->Write([](Connection& c) -> Status {
                   auto r = c.Exec("INSERT INTO schema_version VALUES (999, 0)");
                   return r.ok() ? OkStatus() : std::move(r).error();
                 }).ok());
  Status s = Migrate(*db);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("newer than this build"), std::string::npos);
}

}  // namespace
}  // namespace cognate::store::postgres
