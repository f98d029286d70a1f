// The PoolDocumentStore contract (see store_contract_test.h): per-pool documents, domains unique
// across pools, optimistic updates, paging, and documents going with their pool.

#include <string>

#include "store/store_contract_test.h"
#include "store/user_contract_test_util.h"

namespace cognate::store::contract {
namespace {

constexpr const char* kServer = PoolDocumentRecord::kResourceServer;
constexpr const char* kDomain = PoolDocumentRecord::kDomain;

PoolDocumentRecord Doc(const std::string& pool, const std::string& kind, const std::string& name,
                       const std::string& body = "{}") {
  PoolDocumentRecord d;
  d.pool_id = pool;
  d.kind = kind;
  d.name = name;
  d.body_json = body;
  d.created_ms = 1000;
  d.modified_ms = 1000;
  return d;
}

TEST_P(StoreContractTest, CreatesGetsAndRefusesTakenDocument) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  auto& docs = *stores_.documents;
  EXPECT_TRUE(docs.CreateDocument(Doc(kPool, kServer, "api", "{\"a\":1}")).value());
  EXPECT_FALSE(docs.CreateDocument(Doc(kPool, kServer, "api", "{\"a\":2}")).value());
  EXPECT_TRUE(docs.CreateDocument(Doc(kOtherPool, kServer, "api")).value());
  EXPECT_TRUE(docs.CreateDocument(Doc(kPool, PoolDocumentRecord::kIdentityProvider, "api")).value());
  auto got = docs.GetDocument(kPool, kServer, "api");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->body_json, "{\"a\":1}");
  EXPECT_EQ((*got)->created_ms, 1000);
  EXPECT_FALSE(docs.GetDocument(kPool, kServer, "none")->has_value());
  ExpectError(docs.CreateDocument(Doc("us-east-1_NOPE00000", kServer, "api")), kNotFound,
              "User pool us-east-1_NOPE00000 does not exist.");
}

TEST_P(StoreContractTest, DomainNamesOnePoolOnly) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  auto& docs = *stores_.documents;
  EXPECT_TRUE(docs.CreateDocument(Doc(kPool, kDomain, "my-app")).value());
  EXPECT_FALSE(docs.CreateDocument(Doc(kOtherPool, kDomain, "my-app")).value());
  auto found = docs.FindDocument(kDomain, "my-app");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->pool_id, kPool);
  EXPECT_FALSE(docs.FindDocument(kDomain, "other")->has_value());
  EXPECT_TRUE(docs.DeleteDocument(kPool, kDomain, "my-app").value());
  EXPECT_FALSE(docs.DeleteDocument(kPool, kDomain, "my-app").value());
  EXPECT_TRUE(docs.CreateDocument(Doc(kOtherPool, kDomain, "my-app")).value());
}

TEST_P(StoreContractTest, UpdatesDocumentOptimistically) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  auto& docs = *stores_.documents;
  ASSERT_TRUE(docs.CreateDocument(Doc(kPool, kServer, "api", "{}")).value());
  PoolDocumentRecord read = docs.GetDocument(kPool, kServer, "api")->value();
  read.body_json = "{\"v\":2}";
  read.modified_ms = 2000;
  ASSERT_TRUE(docs.UpdateDocument(read).ok());
  EXPECT_EQ(docs.UpdateDocument(read).error().type, "ConcurrentModificationException");
  PoolDocumentRecord now = docs.GetDocument(kPool, kServer, "api")->value();
  EXPECT_EQ(now.body_json, "{\"v\":2}");
  EXPECT_EQ(now.modified_ms, 2000);
  EXPECT_EQ(now.version, read.version + 1);
  PoolDocumentRecord gone = Doc(kPool, kServer, "gone");
  EXPECT_EQ(docs.UpdateDocument(gone).error().type, kNotFound);
}

TEST_P(StoreContractTest, ListsDocumentsInPagesAndDropsThemWithPool) {
  ASSERT_NO_FATAL_FAILURE(CreatePools(stores_));
  auto& docs = *stores_.documents;
  for (const char* name : {"c", "a", "b"}) ASSERT_TRUE(docs.CreateDocument(Doc(kPool, kServer, name)).value());
  ASSERT_TRUE(docs.CreateDocument(Doc(kPool, kDomain, "zz")).value());
  auto first = docs.ListDocuments(kPool, kServer, "", 2);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].name, "a");
  EXPECT_EQ(first->next_after, "b");
  auto second = docs.ListDocuments(kPool, kServer, first->next_after, 2);
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].name, "c");
  EXPECT_TRUE(second->next_after.empty());
  ASSERT_TRUE(stores_.pools->DeletePool(kPool).ok());
  EXPECT_TRUE(docs.ListDocuments(kPool, kServer, "", 10)->items.empty());
  EXPECT_FALSE(docs.FindDocument(kDomain, "zz")->has_value());
}

}  // namespace
}  // namespace cognate::store::contract
