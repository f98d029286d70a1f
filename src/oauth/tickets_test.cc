// Tickets: sealed, registered, single-use or revocable; nothing else opens as one.

#include "oauth/tickets.h"

#include "auth/testing/sign_in_env.h"

namespace cognate::oauth {
namespace {

template <class T>
T Value(Result<T> r) {
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? std::move(r).value() : T{};
}

class TicketsTest : public auth::testing::SignInTest {
 protected:
  void SetUp() override {
    pool_ = NewPool();
    user_ = AddUser(pool_, "ann");
  }
  Ticket Make(std::string kind = "code") {
    Ticket t;
    t.kind = std::move(kind);
    t.pool_id = pool_;
    t.username_key = user_.username_key;
    t.body = boost::json::object{{"client_id", "c1"}};
    return t;
  }
  Tickets tickets_{*stores_.codes, kek_, clock_};
  std::string pool_;
  store::UserRecord user_;
};

TEST_F(TicketsTest, OpensWhatItIssuedAndSpendsItOnce) {
  std::string sealed = Value(tickets_.Issue(Make(), 60'000));
  EXPECT_EQ(sealed.find_first_of("+/="), std::string::npos) << "URL-safe: " << sealed;
  std::optional<Ticket> t = tickets_.Open("code", sealed);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->pool_id, pool_);
  EXPECT_EQ(t->username_key, user_.username_key);
  EXPECT_EQ(t->body.at("client_id").as_string(), "c1");
  EXPECT_TRUE(Value(tickets_.IsLive(*t)));
  EXPECT_TRUE(Value(tickets_.Spend(*t)));
  EXPECT_FALSE(Value(tickets_.Spend(*t)));
  EXPECT_FALSE(Value(tickets_.IsLive(*t)));
  // Still opens (so a replay can be recognised), but cannot be spent again.
  EXPECT_TRUE(tickets_.Open("code", sealed).has_value());
}

TEST_F(TicketsTest, RefusesOtherKindsTamperingAndExpiry) {
  std::string sealed = Value(tickets_.Issue(Make(), 60'000));
  EXPECT_FALSE(tickets_.Open("session", sealed).has_value());
  std::string tampered = sealed;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(tickets_.Open("code", tampered).has_value());
  EXPECT_FALSE(tickets_.Open("code", "").has_value());
  EXPECT_FALSE(tickets_.Open("code", "v1.AAAA").has_value());
  EXPECT_FALSE(tickets_.Open("code", std::string(9000, 'A')).has_value());
  clock_.AdvanceMs(60'001);
  EXPECT_FALSE(tickets_.Open("code", sealed).has_value());
}

TEST_F(TicketsTest, RevokedSessionIsNoLongerLive) {
  std::string sealed = Value(tickets_.Issue(Make("session"), 3'600'000));
  std::optional<Ticket> t = tickets_.Open("session", sealed);
  ASSERT_TRUE(t.has_value());
  ASSERT_TRUE(tickets_.Revoke(*t).ok());
  EXPECT_FALSE(Value(tickets_.IsLive(*t)));
  // A new ticket for the same user is independent.
  std::optional<Ticket> other = tickets_.Open("session", Value(tickets_.Issue(Make("session"), 1000)));
  EXPECT_TRUE(Value(tickets_.IsLive(*other)));
}

TEST_F(TicketsTest, AnotherKeyCannotOpenIt) {
  std::string sealed = Value(tickets_.Issue(Make(), 60'000));
  crypto::KeyEncryptionKey other(std::string_view("fedcba9876543210fedcba9876543210", 32));
  Tickets foreign(*stores_.codes, other, clock_);
  EXPECT_FALSE(foreign.Open("code", sealed).has_value());
}

}  // namespace
}  // namespace cognate::oauth
