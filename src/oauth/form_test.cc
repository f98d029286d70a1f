#include "oauth/form.h"

#include <gtest/gtest.h>

#include <string>

namespace cognate::oauth {
namespace {

TEST(FormTest, DecodesParameters) {
  auto form = Form::Parse("grant_type=client_credentials&scope=api%2Fread+api%2Fwrite&x=a%20b");
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(form->Get("grant_type"), "client_credentials");
  EXPECT_EQ(form->Get("scope"), "api/read api/write");
  EXPECT_EQ(form->Get("x"), "a b");
  EXPECT_EQ(form->Get("missing"), std::nullopt);
  EXPECT_EQ(form->params().size(), 3u);
}

TEST(FormTest, EmptyValuesCountAsOmitted) {
  auto form = Form::Parse("client_secret=&scope&&client_id=abc");
  ASSERT_TRUE(form.ok());
  EXPECT_FALSE(form->Has("client_secret"));
  EXPECT_FALSE(form->Has("scope"));
  EXPECT_EQ(form->Get("client_id"), "abc");
  EXPECT_TRUE(Form::Parse("")->params().empty());
}

TEST(FormTest, RefusesRepeatedParameters) {
  for (const char* body :
       {"scope=a&scope=b", "scope=a&scope=a", "scope=&scope=a", "client_id=x&client%5Fid=y"}) {
    auto form = Form::Parse(body);
    ASSERT_FALSE(form.ok()) << body;
    EXPECT_EQ(form.error().type, "invalid_request");
    EXPECT_EQ(form.error().http_status, 400);
  }
}

TEST(FormTest, RefusesMalformedAndOversizeBodies) {
  for (const char* body : {"a=%zz", "a=%2", "a=%00", "%00=1"}) {
    auto form = Form::Parse(body);
    ASSERT_FALSE(form.ok()) << body;
    EXPECT_EQ(form.error().type, "invalid_request") << body;
  }
  FormLimits limits;
  limits.max_body = 32;
  EXPECT_FALSE(Form::Parse(std::string(33, 'a'), limits).ok());
  limits = FormLimits();
  limits.max_params = 2;
  EXPECT_FALSE(Form::Parse("a=1&b=2&c=3", limits).ok());
  EXPECT_TRUE(Form::Parse("a=1&b=2", limits).ok());
  limits = FormLimits();
  limits.max_value = 4;
  EXPECT_FALSE(Form::Parse("a=12345", limits).ok());
  EXPECT_TRUE(Form::Parse("a=1234", limits).ok());
  limits.max_name = 2;
  EXPECT_FALSE(Form::Parse("abc=1", limits).ok());
}

TEST(FormTest, ErrorStatuses) {
  EXPECT_EQ(OAuthError("invalid_client", "x").http_status, 401);
  EXPECT_EQ(OAuthError("server_error", "x").http_status, 500);
  EXPECT_EQ(OAuthError("invalid_scope", "x").http_status, 400);
}

}  // namespace
}  // namespace cognate::oauth
