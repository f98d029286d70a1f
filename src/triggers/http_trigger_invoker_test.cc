// HttpTriggerInvoker against a local HTTP listener: the event on the wire, the signature, and
// every mapping of a receiver's answer (or its absence) to Cognito's errors.

#include "triggers/http_trigger_invoker.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "delivery/webhook_signature.h"
#include "triggers/testing/local_http_server.h"
#include "triggers/trigger_secret.h"

namespace cognate::triggers {
namespace {

namespace json = boost::json;
using testing::LocalHttpServer;
using Reply = LocalHttpServer::Reply;

constexpr char kPool[] = "us-east-1_Trig1";

json::object PoolWith(const std::string& pre_sign_up) {
  return json::object{{"LambdaConfig", json::object{{"PreSignUp", pre_sign_up}}}};
}

TriggerCall SignUpCall(std::string client_id = "client-1") {
  TriggerCall call;
  call.trigger_source = "PreSignUp_SignUp";
  call.user_name = "alice";
  call.client_id = std::move(client_id);
  call.request = json::object{{"userAttributes", json::object{{"email", "a@example.com"}}}};
  return call;
}

// Echoes the event with `response` set, as a Lambda function returns it.
Reply Answering(const LocalHttpServer::Request& req, json::object response) {
  json::object event = json::parse(req.body).as_object();
  event["response"] = std::move(response);
  return Reply{200, json::serialize(event)};
}

class HttpTriggerInvokerTest : public ::testing::Test {
 protected:
  HttpTriggerInvokerTest() : kek_(std::string(32, 'k')), clock_(1'700'000'000'000) {}

  std::unique_ptr<HttpTriggerInvoker> Invoker(HttpTriggerOptions options = {},
                                              TriggerTargets targets = {}) {
    return std::make_unique<HttpTriggerInvoker>(
        std::move(targets), kek_, clock_, std::move(options),
        [this](const InvocationReport& r) {
          reports_.push_back({std::string(r.trigger), r.target, r.status,
                              r.error ? r.error->type : "", r.detail});
        });
  }
  Result<json::object> Call(HttpTriggerInvoker& invoker, const std::string& url,
                            TriggerCall call = SignUpCall()) {
    return invoker.Invoke(kPool, PoolWith(url), Trigger::kPreSignUp, call);
  }
  Error CallError(LocalHttpServer::Handler handler, HttpTriggerOptions options = {}) {
    LocalHttpServer server(std::move(handler));
    auto invoker = Invoker(std::move(options));
    Result<json::object> r = Call(*invoker, server.url("/PreSignUp"));
    EXPECT_FALSE(r.ok());
    return r.ok() ? Error{} : r.error();
  }

  struct Seen {
    std::string trigger, target;
    long status;
    std::string error, detail;
  };
  crypto::KeyEncryptionKey kek_;
  FakeClock clock_;
  std::vector<Seen> reports_;
};

TEST_F(HttpTriggerInvokerTest, PostsCognitosEventAndReturnsTheResponse) {
  LocalHttpServer server([](const auto& req) {
    return Answering(req, {{"autoConfirmUser", true}});
  });
  HttpTriggerOptions options;
  options.region = "eu-west-1";
  auto invoker = Invoker(options);
  Result<json::object> r = Call(*invoker, server.url("/PreSignUp?x=1"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(json::serialize(*r), R"({"autoConfirmUser":true})");

  ASSERT_EQ(server.requests().size(), 1u);
  const LocalHttpServer::Request req = server.requests()[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.path, "/PreSignUp?x=1");
  EXPECT_EQ(req.headers.at("content-type"), "application/json");
  EXPECT_EQ(req.body,
            R"({"version":"1","triggerSource":"PreSignUp_SignUp","region":"eu-west-1",)"
            R"("userPoolId":"us-east-1_Trig1","userName":"alice","callerContext":)"
            R"({"awsSdkVersion":"aws-sdk-unknown-unknown","clientId":"client-1"},)"
            R"("request":{"userAttributes":{"email":"a@example.com"}},"response":{}})");
  ASSERT_EQ(reports_.size(), 1u);
  EXPECT_EQ(reports_[0].target, "http://127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(reports_[0].status, 200);
  EXPECT_EQ(reports_[0].error, "");
}

TEST_F(HttpTriggerInvokerTest, SignsWithThePoolsSecretDerivedFromTheKek) {
  LocalHttpServer server([](const auto& req) { return Answering(req, {}); });
  auto invoker = Invoker();
  ASSERT_TRUE(Call(*invoker, server.url("/PreSignUp")).ok());
  const auto req = server.requests().at(0);
  const std::string header = req.headers.at("x-cognate-signature");
  const std::string secret = TriggerSecret(kek_, kPool);
  EXPECT_EQ(secret.size(), 64u);
  EXPECT_EQ(invoker->SecretFor(kPool), secret);
  EXPECT_EQ(header.substr(0, 13), "t=1700000000,");
  EXPECT_TRUE(delivery::VerifyWebhookSignature(secret, header, req.body, 1'700'000'000));
  // Another pool's secret, another KEK's, or an altered body do not verify.
  EXPECT_NE(TriggerSecret(kek_, "us-east-1_Other"), secret);
  EXPECT_FALSE(delivery::VerifyWebhookSignature(TriggerSecret(kek_, "us-east-1_Other"), header,
                                                req.body, 1'700'000'000));
  crypto::KeyEncryptionKey other_kek(std::string(32, 'o'));
  EXPECT_NE(TriggerSecret(other_kek, kPool), secret);
  EXPECT_FALSE(delivery::VerifyWebhookSignature(secret, header, req.body + " ", 1'700'000'000));
}

TEST_F(HttpTriggerInvokerTest, AdminCallsHaveNoClientId) {
  LocalHttpServer server([](const auto& req) { return Answering(req, {}); });
  auto invoker = Invoker();
  ASSERT_TRUE(Call(*invoker, server.url("/p"), SignUpCall("")).ok());
  json::value event = json::parse(server.requests().at(0).body);
  EXPECT_EQ(event.at("callerContext").at("clientId").as_string(), "CLIENT_ID_NOT_APPLICABLE");
}

TEST_F(HttpTriggerInvokerTest, LambdaErrorPayloadIsARejection) {
  for (int status : {200, 400, 500}) {
    Error e = CallError([status](const auto&) {
      return Reply{status, R"({"errorType":"Error","errorMessage":"Domain not allowed",)"
                           R"("trace":["at handler"]})"};
    });
    EXPECT_EQ(e.type, "UserLambdaValidationException") << status;
    EXPECT_EQ(e.message, "PreSignUp failed with error Domain not allowed.") << status;
  }
}

TEST_F(HttpTriggerInvokerTest, NonSuccessStatusWithoutPayloadUsesStatusAndBody) {
  Error e = CallError([](const auto&) { return Reply{502, "bad\ngateway"}; });
  EXPECT_EQ(e.type, "UserLambdaValidationException");
  EXPECT_EQ(e.message, "PreSignUp failed with error HTTP 502: bad gateway.");
  e = CallError([](const auto&) { return Reply{403, ""}; });
  EXPECT_EQ(e.message, "PreSignUp failed with error HTTP 403.");
  // A long body is cut to a bounded message.
  e = CallError([](const auto&) { return Reply{500, std::string(100'000, 'x')}; });
  EXPECT_EQ(e.type, "UserLambdaValidationException");
  EXPECT_LE(e.message.size(), 1100u);
}

TEST_F(HttpTriggerInvokerTest, AnswersThatAreNotAnEventAreInvalid) {
  struct Case {
    std::string body, message;
  } cases[] = {
      {"not json", "Invalid lambda function output : Invalid JSON"},
      {"", "Invalid lambda function output : Invalid JSON"},
      {"[1,2]", "Invalid lambda function output : Invalid JSON"},
      {R"({"version":"1"})", "Unrecognizable lambda output"},
      {R"({"response":null})", "Unrecognizable lambda output"},
      {R"({"response":"yes"})", "Unrecognizable lambda output"},
  };
  for (const Case& c : cases) {
    Error e = CallError([&c](const auto&) { return Reply{200, c.body}; });
    EXPECT_EQ(e.type, "InvalidLambdaResponseException") << c.body;
    EXPECT_EQ(e.message, c.message) << c.body;
  }
}

TEST_F(HttpTriggerInvokerTest, BoundsTheAnswer) {
  HttpTriggerOptions small;
  small.max_response_bytes = 1024;
  Error e = CallError(
      [](const auto&) {
        return Reply{200, R"({"response":{"pad":")" + std::string(5000, 'p') + R"("}})"};
      },
      small);
  EXPECT_EQ(e.type, "InvalidLambdaResponseException");
  EXPECT_EQ(e.message, "Invalid lambda function output : Response too large");
}

TEST_F(HttpTriggerInvokerTest, UnreachableReceiverIsUnexpected) {
  auto invoker = Invoker();
  const std::string url =
      "http://127.0.0.1:" + std::to_string(LocalHttpServer::ClosedPort()) + "/PreSignUp?k=v";
  Result<json::object> r = Call(*invoker, url);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().type, "UnexpectedLambdaException");
  EXPECT_EQ(r.error().message, "PreSignUp invocation failed due to error ConnectionError.");
  ASSERT_EQ(reports_.size(), 1u);
  EXPECT_EQ(reports_[0].status, 0);
  EXPECT_NE(reports_[0].detail, "");
  EXPECT_EQ(reports_[0].detail.find("k=v"), std::string::npos) << "query left out of the log";
}

TEST_F(HttpTriggerInvokerTest, SlowReceiverTimesOutWithinTheLimit) {
  HttpTriggerOptions fast;
  fast.timeout_ms = 300;
  const auto start = std::chrono::steady_clock::now();
  Error e = CallError([](const auto& req) {
    Reply r = Answering(req, {});
    r.delay_ms = 3000;
    return r;
  }, fast);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(e.type, "UnexpectedLambdaException");
  EXPECT_EQ(e.message, "PreSignUp invocation failed due to error TimeoutError.");
  EXPECT_LT(took, std::chrono::milliseconds(2000));
}

TEST_F(HttpTriggerInvokerTest, DefaultTimeoutIsCognitosFiveSeconds) {
  EXPECT_EQ(HttpTriggerOptions{}.timeout_ms, 5000);
  EXPECT_EQ(HttpTriggerOptions{}.max_response_bytes, 256u * 1024);
}

TEST_F(HttpTriggerInvokerTest, ArnsGoThroughTheTriggerMap) {
  LocalHttpServer server([](const auto& req) { return Answering(req, {{"mapped", true}}); });
  const std::string arn = "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up";
  auto targets = TriggerTargets::Parse(R"({")" + arn + R"(":")" + server.url("/mapped") + R"("})");
  ASSERT_TRUE(targets.ok()) << targets.error().message;
  auto invoker = Invoker({}, std::move(*targets));
  Result<json::object> r = invoker->Invoke(kPool, PoolWith(arn), Trigger::kPreSignUp,
                                           SignUpCall());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->at("mapped").as_bool());
  EXPECT_EQ(server.requests().at(0).path, "/mapped");

  const std::string unmapped = "arn:aws:lambda:us-east-1:123456789012:function:other";
  r = invoker->Invoke(kPool, PoolWith(unmapped), Trigger::kPreSignUp, SignUpCall());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().type, "UnexpectedLambdaException");
  EXPECT_EQ(r.error().message,
            "PreSignUp invocation failed due to error ResourceNotFoundException.");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(HttpTriggerInvokerTest, ConfiguredFollowsLambdaConfig) {
  auto invoker = Invoker();
  json::object pool = PoolWith("https://hooks.example.com/pre");
  EXPECT_TRUE(invoker->Configured(pool, Trigger::kPreSignUp));
  EXPECT_FALSE(invoker->Configured(pool, Trigger::kPostConfirmation));
  EXPECT_FALSE(invoker->Configured(json::object{}, Trigger::kPreSignUp));
  EXPECT_FALSE(invoker->Configured(PoolWith(""), Trigger::kPreSignUp));
  json::object v2{{"LambdaConfig",
                   json::object{{"PreTokenGenerationConfig",
                                 json::object{{"LambdaVersion", "V2_0"},
                                              {"LambdaArn", "https://h.example.com/ptg"}}}}}};
  EXPECT_TRUE(invoker->Configured(v2, Trigger::kPreTokenGeneration));
  Result<json::object> r =
      invoker->Invoke(kPool, json::object{}, Trigger::kPostConfirmation, SignUpCall());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "PostConfirmation invocation failed due to error ResourceNotFoundException.");
}

}  // namespace
}  // namespace cognate::triggers
