// SetUICustomization / GetUICustomization: pool-wide and per client, the fallback to the
// pool-wide customization, replacing and clearing, and the bad paths.

#include "hosted/ui_customization.h"

#include <gtest/gtest.h>

#include <string>

#include "common/clock.h"
#include "common/testing/result_helpers.h"
#include "crypto/encoding.h"
#include "crypto/kek.h"
#include "hosted/branding.h"
#include "identity/pool_service.h"
#include "identity/testing/service_fixture.h"
#include "identity/user_directory.h"
#include "store/sqlite/open.h"

namespace cognate::hosted {
namespace {

namespace json = boost::json;

const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + "pixels";
const std::string kJpeg = std::string("\xFF\xD8\xFF\xE0", 4) + "pixels";

class UiCustomizationTest : public ::testing::Test, protected test_support::ResultHelpers {
 protected:
  UiCustomizationTest()
      : stores_(store::sqlite::Open(":memory:")),
        kek_(std::string_view(identity::fakes::kTestKek, 32)),
        pools_(*stores_.pools, *stores_.clients, *stores_.keys, kek_, clock_,
               identity::PoolServiceConfig{"eu-west-1", "123456789012"},
               identity::fakes::CachedKeyFactory()),
        directory_(stores_, kek_, clock_),
        service_(directory_, "https://id.example") {
    json::object pool = Ok(pools_.CreateUserPool({{"PoolName", "ui"}}));
    pool_ = std::string(pool["UserPool"].as_object()["Id"].as_string());
    client_ = NewClient(pool_);
    AddDomain(pool_, "ui-test");
  }

  void AddDomain(const std::string& pool_id, const std::string& domain) {
    store::PoolDocumentRecord d{pool_id, store::PoolDocumentRecord::kDomain, domain, "{}"};
    EXPECT_TRUE(stores_.documents->CreateDocument(d).value());
  }

  std::string NewClient(const std::string& pool_id) {
    json::object out =
        Ok(pools_.CreateUserPoolClient({{"UserPoolId", pool_id}, {"ClientName", "web"}}));
    return std::string(out["UserPoolClient"].as_object()["ClientId"].as_string());
  }

  json::object Set(json::object request) {
    request["UserPoolId"] = pool_;
    json::object out = Ok(service_.SetUICustomization(request));
    return out.contains("UICustomization") ? out["UICustomization"].as_object() : json::object();
  }
  json::object Get(const std::string& client_id = "") {
    json::object request{{"UserPoolId", pool_}};
    if (!client_id.empty()) request["ClientId"] = client_id;
    json::object out = Ok(service_.GetUICustomization(request));
    return out.contains("UICustomization") ? out["UICustomization"].as_object() : json::object();
  }

  store::Stores stores_;
  FakeClock clock_{1'700'000'000'000};
  crypto::KeyEncryptionKey kek_;
  identity::PoolService pools_;
  identity::UserDirectory directory_;
  UiCustomizationService service_;
  std::string pool_;
  std::string client_;
};

TEST_F(UiCustomizationTest, NothingSetAnswersOnlyPoolAndClient) {
  EXPECT_EQ(Get(), (json::object{{"UserPoolId", pool_}, {"ClientId", "ALL"}}));
  EXPECT_EQ(Get(client_), (json::object{{"UserPoolId", pool_}, {"ClientId", client_}}));
}

TEST_F(UiCustomizationTest, PoolWideCustomizationIsSetAndReadBack) {
  json::object set =
      Set({{"CSS", ".logo-customizable{max-width:60%}"}, {"ImageFile", crypto::Base64Encode(kPng)}});
  json::object expected{{"UserPoolId", pool_},
                        {"ClientId", "ALL"},
                        {"ImageUrl", "https://id.example/" + pool_ + "/ui/logo/ALL"},
                        {"CSS", ".logo-customizable{max-width:60%}"},
                        {"CSSVersion", "20231114221320"},
                        {"CreationDate", 1700000000},
                        {"LastModifiedDate", 1700000000}};
  EXPECT_EQ(set, expected);
  EXPECT_EQ(Get(), expected);
  EXPECT_EQ(Get("ALL"), expected);
  // A client without its own gets the pool's.
  EXPECT_EQ(Get(client_), expected);
  Branding branding = LoadBranding(*stores_.documents, pool_, client_);
  EXPECT_EQ(branding.css, ".logo-customizable{max-width:60%}");
  EXPECT_EQ(branding.logo_data_uri, "data:image/png;base64," + crypto::Base64Encode(kPng));
}

TEST_F(UiCustomizationTest, ClientCustomizationOverridesThePoolsAndClearingFallsBack) {
  Set({{"CSS", ".a{color:#111}"}});
  clock_.AdvanceMs(5000);
  json::object mine = Set({{"ClientId", client_}, {"ImageFile", crypto::Base64Encode(kJpeg)}});
  EXPECT_EQ(mine["ClientId"], json::value(client_));
  EXPECT_EQ(mine["ImageUrl"], json::value("https://id.example/" + pool_ + "/ui/logo/" + client_));
  EXPECT_FALSE(mine.contains("CSS")) << "a client's customization replaces the pool's whole";
  EXPECT_EQ(Get(client_), mine);
  std::string other = NewClient(pool_);
  EXPECT_EQ(Get(other)["ClientId"], "ALL");

  // Set with neither CSS nor image removes the client's own.
  EXPECT_EQ(Set({{"ClientId", client_}}),
            (json::object{{"UserPoolId", pool_}, {"ClientId", client_}}));
  EXPECT_EQ(Get(client_)["ClientId"], "ALL");
  EXPECT_EQ(Get(client_)["CSS"], ".a{color:#111}");
}

TEST_F(UiCustomizationTest, SetAgainReplacesAndKeepsTheCreationDate) {
  Set({{"CSS", ".a{}"}, {"ImageFile", crypto::Base64Encode(kPng)}});
  clock_.AdvanceMs(61'000);
  json::object second = Set({{"CSS", ".b{}"}});
  EXPECT_EQ(second["CSS"], ".b{}");
  EXPECT_EQ(second["CSSVersion"], "20231114221421");
  EXPECT_FALSE(second.contains("ImageUrl"));
  EXPECT_EQ(second["CreationDate"], 1700000000);
  EXPECT_EQ(second["LastModifiedDate"], 1700000061);
  EXPECT_EQ(Get(), second);
}

TEST_F(UiCustomizationTest, BadInputIsRefusedAndChangesNothing) {
  json::object before = Set({{"CSS", ".ok{}"}});
  struct Case {
    json::object request;
    std::string type;
  };
  std::string big_png = kPng + std::string(kMaxLogoBytes, 'x');
  const Case cases[] = {
      {{{"CSS", "a{}</style><script>alert(1)</script>"}}, "InvalidParameterException"},
      {{{"CSS", "@import url(https://evil.example/x.css);"}}, "InvalidParameterException"},
      {{{"CSS", "a{background:url(https://evil.example/x.png)}"}}, "InvalidParameterException"},
      {{{"ImageFile", crypto::Base64Encode("GIF89a......")}}, "InvalidParameterException"},
      {{{"ImageFile", crypto::Base64Encode(big_png)}}, "InvalidParameterException"},
      {{{"ImageFile", "not base64!"}}, "InvalidParameterException"},
      {{{"ClientId", "nosuchclient"}, {"CSS", ".x{}"}}, "ResourceNotFoundException"},
  };
  for (const Case& c : cases) {
    json::object request = c.request;
    request["UserPoolId"] = pool_;
    Error e = Fails(service_.SetUICustomization(request));
    EXPECT_EQ(e.type, c.type) << json::serialize(c.request) << ": " << e.message;
  }
  EXPECT_EQ(Get(), before);
  EXPECT_EQ(Fails(service_.GetUICustomization({{"UserPoolId", pool_}, {"ClientId", "nope"}}))
                .message,
            "User pool client nope does not exist.");
  EXPECT_EQ(Fails(service_.SetUICustomization({{"UserPoolId", "eu-west-1_missing"}})).type,
            "ResourceNotFoundException");
  EXPECT_EQ(Fails(service_.GetUICustomization({{"UserPoolId", "eu-west-1_missing"}})).type,
            "ResourceNotFoundException");
}

TEST_F(UiCustomizationTest, AClientOfAnotherPoolIsNotFound) {
  json::object other = Ok(pools_.CreateUserPool({{"PoolName", "other"}}));
  std::string other_client = NewClient(std::string(other["UserPool"].as_object()["Id"].as_string()));
  Error e = Fails(service_.SetUICustomization(
      {{"UserPoolId", pool_}, {"ClientId", other_client}, {"CSS", ".x{}"}}));
  EXPECT_EQ(e.type, "ResourceNotFoundException");
}

TEST_F(UiCustomizationTest, NeedsAPoolDomain) {
  json::object pool = Ok(pools_.CreateUserPool({{"PoolName", "bare"}}));
  std::string bare(pool["UserPool"].as_object()["Id"].as_string());
  Error e = Fails(service_.SetUICustomization({{"UserPoolId", bare}, {"CSS", ".x{color:red}"}}));
  EXPECT_EQ(e.type, "InvalidParameterException");
  EXPECT_EQ(e.message, "A domain must be associated with this user pool.");
  AddDomain(bare, "bare-domain");
  Ok(service_.SetUICustomization({{"UserPoolId", bare}, {"CSS", ".x{color:red}"}}));
}

}  // namespace
}  // namespace cognate::hosted
