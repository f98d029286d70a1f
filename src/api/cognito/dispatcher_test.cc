#include "api/cognito/dispatcher.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <future>
#include <thread>

#include "store/sqlite/open.h"

namespace cognate::api {
namespace {

constexpr const char* kKeyId = "AKCGTESTKEY000000001";
constexpr const char* kSecret = "test-secret-0123456789abcdef";
constexpr int64_t kSignedAtMs = 1795867200000;  // 2026-11-28T12:00:00Z
constexpr const char* kDescribeBody = R"({"UserPoolId": "us-east-1_Abcdefghi"})";
// Made by botocore 1.29's SigV4Auth for kDescribeBody at kSignedAtMs (an independent signer).
constexpr const char* kDescribeAuthorization =
    "AWS4-HMAC-SHA256 Credential=AKCGTESTKEY000000001/20261128/us-east-1/cognito-idp/"
    "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
    "Signature=bc160a5c2512d8cf9199eea393a794df1e9d3bcfdc4e4267a7d8b06d184234cd";

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest()
      : stores_(store::sqlite::Open(":memory:")),
        kek_(std::string(32, 'k')),
        clock_(kSignedAtMs),
        authorizer_(*stores_.access_keys, kek_, clock_),
        dispatcher_(authorizer_, clock_) {
    EXPECT_TRUE(authorizer_.PutKey(kKeyId, kSecret, AccessKeyPolicy::Admin(), "test").ok());
    dispatcher_.Register("DescribeUserPool", [this](const boost::json::object& body,
                                                    const CallContext& ctx) {
      ++calls_;
      EXPECT_NE(ctx.caller, nullptr);
      return Result<boost::json::object>(
          boost::json::object{{"UserPool", {{"Id", body.at("UserPoolId")}}}});
    });
    dispatcher_.Register("SignUp", [this](const boost::json::object&, const CallContext& ctx) {
      ++calls_;
      EXPECT_EQ(ctx.caller, nullptr);
      return Result<boost::json::object>(boost::json::object{{"UserConfirmed", false},
                                                             {"UserSub", "s"}});
    });
  }

  static http::Request Post(std::string action, std::string body) {
    http::Request r;
    r.method = "POST";
    r.target = "/";
    r.headers = {{"Host", "127.0.0.1:9330"},
                 {"Content-Type", "application/x-amz-json-1.1"},
                 {"X-Amz-Target", "AWSCognitoIdentityProviderService." + action}};
    r.body = std::move(body);
    return r;
  }

  static http::Request SignedDescribe() {
    auto r = Post("DescribeUserPool", kDescribeBody);
    r.headers.emplace_back("X-Amz-Date", "20261128T120000Z");
    r.headers.emplace_back("Authorization", kDescribeAuthorization);
    return r;
  }

  static std::string TypeOf(const http::Response& r) {
    auto v = boost::json::parse(r.body);
    return std::string(v.at("__type").as_string());
  }

  static std::string HeaderOf(const http::Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers)
      if (http::IEquals(k, name)) return v;
    return {};
  }

  store::Stores stores_;
  crypto::KeyEncryptionKey kek_;
  FakeClock clock_;
  AccessKeyAuthorizer authorizer_;
  CognitoDispatcher dispatcher_;
  int calls_ = 0;
};

TEST_F(DispatcherTest, SignedAdminCallSucceeds) {
  auto r = dispatcher_.Handle(SignedDescribe());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(boost::json::parse(r.body).at("UserPool").at("Id"), "us-east-1_Abcdefghi");
  EXPECT_EQ(r.log_action, "DescribeUserPool");
  EXPECT_EQ(calls_, 1);
}

// [INVARIANT] An admin action never runs without a valid signature.
TEST_F(DispatcherTest, UnsignedAdminCallIsRejectedBeforeTheAction) {
  auto r = dispatcher_.Handle(Post("DescribeUserPool", kDescribeBody));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(TypeOf(r), "MissingAuthenticationTokenException");
  EXPECT_EQ(HeaderOf(r, "x-amzn-ErrorType"), "MissingAuthenticationTokenException");
  EXPECT_EQ(calls_, 0);
}

TEST_F(DispatcherTest, TamperedBodyIsRejected) {
  auto req = SignedDescribe();
  req.body = R"({"UserPoolId": "us-east-1_Zzzzzzzzz"})";
  EXPECT_EQ(TypeOf(dispatcher_.Handle(req)), "InvalidSignatureException");
  EXPECT_EQ(calls_, 0);
}

TEST_F(DispatcherTest, StaleSignatureIsRejected) {
  clock_.AdvanceMs(20 * 60 * 1000);
  auto r = dispatcher_.Handle(SignedDescribe());
  EXPECT_EQ(TypeOf(r), "InvalidSignatureException");
  EXPECT_NE(r.body.find("Signature expired"), std::string::npos);
  EXPECT_EQ(calls_, 0);
}

TEST_F(DispatcherTest, PolicyLimitsActions) {
  ASSERT_TRUE(authorizer_.PutKey(kKeyId, kSecret, {{"ListUserPools"}, {"*"}}, "narrow").ok());
  auto r = dispatcher_.Handle(SignedDescribe());
  EXPECT_EQ(TypeOf(r), "AccessDeniedException");
  EXPECT_EQ(calls_, 0);
}

TEST_F(DispatcherTest, PublicActionNeedsNoSignature) {
  auto r = dispatcher_.Handle(
      Post("SignUp", R"({"ClientId":"abc","Username":"u","Password":"Passw0rd!"})"));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(calls_, 1);
}

TEST_F(DispatcherTest, UnknownAndUnimplementedActions) {
  EXPECT_EQ(TypeOf(dispatcher_.Handle(Post("NoSuchAction", "{}"))), "UnknownOperationException");
  EXPECT_EQ(TypeOf(dispatcher_.Handle(Post("AdminGetUser", "{}"))), "UnknownOperationException");
  auto no_target = Post("SignUp", "{}");
  no_target.headers.pop_back();
  EXPECT_EQ(TypeOf(dispatcher_.Handle(no_target)), "UnknownOperationException");
  EXPECT_EQ(TypeOf(dispatcher_.Handle(Post(std::string(500, 'A'), "{}"))),
            "UnknownOperationException");
}

TEST_F(DispatcherTest, MalformedBodies) {
  for (const char* body : {"{", "not json", "[1,2]", "\"text\"", "42"}) {
    auto r = dispatcher_.Handle(Post("SignUp", body));
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(TypeOf(r), "SerializationException") << body;
  }
  std::string deep(10000, '[');
  EXPECT_EQ(TypeOf(dispatcher_.Handle(Post("SignUp", deep))), "SerializationException");
  EXPECT_EQ(calls_, 0);
}

TEST_F(DispatcherTest, ModelValidationRunsBeforeTheAction) {
  auto r = dispatcher_.Handle(Post("SignUp", R"({"Username":"u","Password":"Passw0rd!"})"));
  EXPECT_EQ(TypeOf(r), "InvalidParameterException");
  EXPECT_NE(r.body.find("'clientId'"), std::string::npos);
  EXPECT_EQ(calls_, 0);
}

// A full worker queue answers at once instead of queueing without bound.
TEST_F(DispatcherTest, FullWorkerQueueAnswersTooManyRequests) {
  WorkerPool workers(1, 1);
  CognitoDispatcher dispatcher(authorizer_, clock_, &workers);
  dispatcher.Register(
      "SignUp",
      [](const boost::json::object&, const CallContext&) {
        return Result<boost::json::object>(boost::json::object{{"UserSub", "s"}});
      },
      Execution::kWorker);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  ASSERT_TRUE(workers.TrySubmit([gate, &started] {
    started.set_value();
    gate.wait();
  }));
  started.get_future().wait();  // the only worker is busy; the queue is empty
  auto body = R"({"ClientId":"abc","Username":"u","Password":"Passw0rd!"})";
  std::promise<http::Response> queued_answer;
  dispatcher.HandleAsync(Post("SignUp", body),
                         [&](http::Response r) { queued_answer.set_value(std::move(r)); });
  http::Response refused;
  dispatcher.HandleAsync(Post("SignUp", body), [&](http::Response r) { refused = std::move(r); });
  EXPECT_EQ(refused.status, 429);  // answered synchronously: the queue (1) is full
  EXPECT_EQ(TypeOf(refused), "TooManyRequestsException");
  release.set_value();
  EXPECT_EQ(queued_answer.get_future().get().status, 200);  // the queued one still completes
}

// An action registered with a predicate runs on the calling thread when it says so, and on a
// worker otherwise.
TEST_F(DispatcherTest, PredicateChoosesInlineOrWorker) {
  WorkerPool workers(1, 4);
  CognitoDispatcher dispatcher(authorizer_, clock_, &workers);
  std::thread::id ran_on;
  dispatcher.Register(
      "SignUp",
      [&ran_on](const boost::json::object&, const CallContext&) {
        ran_on = std::this_thread::get_id();
        return Result<boost::json::object>(boost::json::object{{"UserSub", "s"}});
      },
      [](const boost::json::object& body) { return body.at("Username") == "inline"; });
  for (std::string name : {"inline", "worker"}) {
    std::promise<void> answered;
    dispatcher.HandleAsync(
        Post("SignUp", R"({"ClientId":"abc","Username":")" + name + R"(","Password":"Passw0rd!"})"),
        [&](http::Response r) {
          EXPECT_EQ(r.status, 200);
          answered.set_value();
        });
    answered.get_future().wait();
    EXPECT_EQ(ran_on == std::this_thread::get_id(), name == "inline") << name;
  }
}

}  // namespace
}  // namespace cognate::api
