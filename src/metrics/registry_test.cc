#include "metrics/registry.h"

#include <gtest/gtest.h>

#include <string>

namespace cognate::metrics {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(RegistryTest, CountersRenderWithHelpTypeAndLabels) {
  Registry r;
  r.Counter("t_requests_total", "Requests.");
  r.Add("t_requests_total", {{"action", "GetUser"}, {"outcome", "ok"}});
  r.Add("t_requests_total", {{"action", "GetUser"}, {"outcome", "ok"}}, 2);
  r.Add("t_requests_total", {{"action", "GetUser"}, {"outcome", "NotAuthorizedException"}});
  r.Add("t_requests_total", {{"action", "GetUser"}, {"outcome", "ok"}}, -5);  // ignored
  r.Add("t_undeclared_total", {});                                           // ignored
  const std::string text = r.Render();
  EXPECT_TRUE(Has(text, "# HELP t_requests_total Requests.")) << text;
  EXPECT_TRUE(Has(text, "# TYPE t_requests_total counter")) << text;
  EXPECT_TRUE(Has(text, "t_requests_total{action=\"GetUser\",outcome=\"ok\"} 3")) << text;
  EXPECT_TRUE(Has(text, "t_requests_total{action=\"GetUser\",outcome=\"NotAuthorizedException\"} 1"))
      << text;
  EXPECT_EQ(text.find("t_undeclared_total"), std::string::npos);
}

TEST(RegistryTest, LabelValuesAreEscaped) {
  Registry r;
  r.Counter("t_total", "x");
  r.Add("t_total", {{"action", "a\"b\\c\nd"}});
  EXPECT_TRUE(Has(r.Render(), "t_total{action=\"a\\\"b\\\\c\\nd\"} 1")) << r.Render();
}

TEST(RegistryTest, HistogramBucketsAreCumulative) {
  Registry r;
  r.Histogram("t_seconds", "Latency.", {0.01, 0.1, 1});
  for (double v : {0.005, 0.01, 0.05, 0.5, 7.0}) r.Observe("t_seconds", {{"action", "A"}}, v);
  const std::string text = r.Render();
  EXPECT_TRUE(Has(text, "# TYPE t_seconds histogram")) << text;
  EXPECT_TRUE(Has(text, "t_seconds_bucket{action=\"A\",le=\"0.01\"} 2")) << text;  // le is <=
  EXPECT_TRUE(Has(text, "t_seconds_bucket{action=\"A\",le=\"0.1\"} 3")) << text;
  EXPECT_TRUE(Has(text, "t_seconds_bucket{action=\"A\",le=\"1\"} 4")) << text;
  EXPECT_TRUE(Has(text, "t_seconds_bucket{action=\"A\",le=\"+Inf\"} 5")) << text;
  EXPECT_TRUE(Has(text, "t_seconds_count{action=\"A\"} 5")) << text;
  EXPECT_TRUE(Has(text, "t_seconds_sum{action=\"A\"} 7.565")) << text;
}

TEST(RegistryTest, SeriesBeyondTheCapAreFoldedIntoOther) {
  Registry r;
  r.Counter("t_total", "x");
  for (std::size_t i = 0; i < Registry::kMaxSeriesPerMetric + 10; ++i) {
    r.Add("t_total", {{"action", "a" + std::to_string(i)}});
  }
  const std::string text = r.Render();
  EXPECT_TRUE(Has(text, "t_total{action=\"other\"} 10")) << text.substr(text.size() - 200);
  EXPECT_EQ(text.find("action=\"a" + std::to_string(Registry::kMaxSeriesPerMetric) + "\""),
            std::string::npos);
}

TEST(RegistryTest, GaugesAreReadAtRenderAndCanBeRemoved) {
  Registry r;
  double depth = 3;
  r.Gauge("t_depth", "Queue depth.", [&] { return depth; });
  EXPECT_TRUE(Has(r.Render(), "t_depth 3"));
  depth = 0.25;
  EXPECT_TRUE(Has(r.Render(), "t_depth 0.25"));
  r.Remove("t_depth");
  EXPECT_EQ(r.Render().find("t_depth"), std::string::npos);
}

}  // namespace
}  // namespace cognate::metrics
