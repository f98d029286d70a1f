#include "identity/user_import_csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "identity/testing/user_service_fixture.h"
#include "identity/user_mfa.h"

namespace cognate::identity {
namespace {

std::vector<std::vector<std::string>> ReadAll(std::string_view text) {
  CsvReader reader(text);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  for (;;) {
    auto more = reader.Next(row);
    EXPECT_TRUE(more.ok()) << (more.ok() ? "" : more.error().message);
    if (!more.ok() || !*more) return rows;
    rows.push_back(row);
  }
}

TEST(CsvReaderTest, QuotedFieldsLineEndingsAndBlankLines) {
  auto rows = ReadAll("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n,,\nlast");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"last"}));
}

TEST(CsvReaderTest, RefusesBrokenQuotingAndLongRows) {
  for (std::string text : {std::string("\"open"), std::string("\"closed\"junk,b"),
                           std::string(kMaxCsvRowChars + 10, 'x')}) {
    CsvReader reader(text);
    std::vector<std::string> row;
    auto more = reader.Next(row);
    ASSERT_FALSE(more.ok()) << text.substr(0, 20);
    EXPECT_EQ(more.error().type, "InvalidParameterException");
  }
}

class UserImportCsvTest : public fakes::UserServiceFixture {
 protected:
  PoolContext Pool(boost::json::object request = {}) {
    return *directory_.LoadPool(NewPool(std::move(request)));
  }
  // A row for `columns` with the named cells set.
  using Cells = std::vector<std::pair<std::string, std::string>>;
  static std::vector<std::string> Row(const std::vector<std::string>& columns,
                                      const Cells& cells) {
    std::vector<std::string> row(columns.size());
    for (const auto& [name, value] : cells)
      for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name) row[i] = value;
    return row;
  }
};

TEST_F(UserImportCsvTest, HeaderIsTheSchemaWithoutSubThenCognitoColumns) {
  PoolContext pool = Pool({{"Schema", boost::json::array{boost::json::object{
                                          {"Name", "team"}, {"AttributeDataType", "String"}}}}});
  std::vector<std::string> header = CsvHeaderFor(pool.config);
  EXPECT_EQ(header.front(), "name");  // sub and identities left out
  EXPECT_EQ(header[header.size() - 3], "custom:team");
  EXPECT_EQ(header[header.size() - 2], "cognito:mfa_enabled");
  EXPECT_EQ(header.back(), "cognito:username");
  EXPECT_TRUE(CheckCsvHeader(pool.config, header).ok());
  std::vector<std::string> shuffled(header.rbegin(), header.rend());
  EXPECT_TRUE(CheckCsvHeader(pool.config, shuffled).ok());  // any order
  std::vector<std::string> missing(header.begin() + 1, header.end());
  EXPECT_FALSE(CheckCsvHeader(pool.config, missing).ok());
  std::vector<std::string> extra = header;
  extra.push_back("password");
  EXPECT_FALSE(CheckCsvHeader(pool.config, extra).ok());
  std::vector<std::string> twice = header;
  twice.push_back(header.front());
  EXPECT_FALSE(CheckCsvHeader(pool.config, twice).ok());
}

TEST_F(UserImportCsvTest, RowsBecomeResetRequiredUsersOrAreRefused) {
  PoolContext pool = Pool({{"AliasAttributes", boost::json::array{"email"}}});
  const std::vector<std::string> columns = CsvHeaderFor(pool.config);
  auto user = UserFromCsvRow(pool, columns,
                             Row(columns, {{"cognito:username", "Ann"},
                                           {"email", "ann@example.com"},
                                           {"email_verified", "true"},
                                           {"phone_number", "+15550100"},
                                           {"cognito:mfa_enabled", "true"}}),
                             1000);
  ASSERT_TRUE(user.ok()) << user.error().message;
  EXPECT_EQ(user->first.username, "Ann");
  EXPECT_EQ(user->first.status, "RESET_REQUIRED");
  EXPECT_TRUE(user->first.password_hash.empty());
  EXPECT_TRUE(ParseUserMfa(user->first.mfa_json)->sms_enabled);
  ASSERT_EQ(user->second.size(), 1u);  // the verified email alias
  EXPECT_EQ(user->second[0].kind, "email");

  for (const Cells& cells : std::vector<Cells>{
           {{"email", "a@example.com"}, {"email_verified", "true"},
            {"cognito:mfa_enabled", "false"}},  // no username
           {{"cognito:username", "b"}, {"email", "b@example.com"}, {"email_verified", "true"},
            {"cognito:mfa_enabled", "maybe"}},
           {{"cognito:username", "c"}, {"email", "c@example.com"},
            {"cognito:mfa_enabled", "false"}},  // nothing verified: no way to reset
           {{"cognito:username", "d"}, {"email", "d@example.com"}, {"email_verified", "true"},
            {"cognito:mfa_enabled", "true"}},  // MFA without a phone
           {{"cognito:username", "e"}, {"email", "not-an-email"}, {"email_verified", "true"},
            {"cognito:mfa_enabled", "false"}}}) {
    auto refused = UserFromCsvRow(pool, columns, Row(columns, cells), 1000);
    EXPECT_FALSE(refused.ok());
  }
  auto short_row = UserFromCsvRow(pool, columns, {"x"}, 1000);
  EXPECT_FALSE(short_row.ok());
}

TEST_F(UserImportCsvTest, EmailAsUsernameUsesTheSub) {
  PoolContext pool = Pool({{"UsernameAttributes", boost::json::array{"email"}}});
  const std::vector<std::string> columns = CsvHeaderFor(pool.config);
  auto user = UserFromCsvRow(pool, columns,
                             Row(columns, {{"cognito:username", "eve@example.com"},
                                           {"email", "eve@example.com"},
                                           {"email_verified", "true"},
                                           {"cognito:mfa_enabled", "false"}}),
                             1000);
  ASSERT_TRUE(user.ok()) << user.error().message;
  EXPECT_EQ(user->first.username, user->first.sub);
  auto mismatch = UserFromCsvRow(pool, columns,
                                 Row(columns, {{"cognito:username", "other"},
                                               {"email", "eve@example.com"},
                                               {"email_verified", "true"},
                                               {"cognito:mfa_enabled", "false"}}),
                                 1000);
  EXPECT_FALSE(mismatch.ok());
}

}  // namespace
}  // namespace cognate::identity
