#pragma once
// Counters, histograms and gauges rendered in the Prometheus text exposition format (0.0.4) for
// GET /metrics. Metrics are process-wide, like the log: Default() is the registry every part of
// the server records into, so recording needs no plumbing through constructors; tests make
// Registry objects of their own.
//
// Label values must come from bounded sets (action names, error types, pool ids, challenge
// names), never from users. As a backstop against a label set that grows anyway, each metric
// keeps at most kMaxSeriesPerMetric series; later label sets are counted under the values
// "other". Thread-safe.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cognate::metrics {

// (name, value) pairs, in the order they are rendered.
using Labels = std::vector<std::pair<std::string, std::string>>;

class Registry {
 public:
  static constexpr std::size_t kMaxSeriesPerMetric = 2000;

  // Declares a metric; recording into an undeclared one is a no-op (so a typo cannot create a
  // series nobody described). `buckets` (upper bounds, ascending) only for histograms.
  void Counter(std::string name, std::string help);
  void Histogram(std::string name, std::string help, std::vector<double> buckets);
  // A gauge read when rendering; Remove() it before what `read` uses goes away.
  void Gauge(std::string name, std::string help, std::function<double()> read);
  void Remove(std::string_view name);

  void Add(std::string_view name, const Labels& labels, double value = 1);
  void Observe(std::string_view name, const Labels& labels, double value);

  std::string Render() const;

 private:
  enum class Type { kCounter, kHistogram, kGauge };
  struct Series {
    Labels labels;
    double value = 0;             // counter
    std::vector<uint64_t> counts;  // histogram: per bucket (not cumulative), then +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  struct Metric {
    Type type;
    std::string help;
    std::vector<double> buckets;
    std::function<double()> read;
    std::map<std::string, Series, std::less<>> series;  // by rendered label set
  };
  Series* SeriesFor(Metric& metric, const Labels& labels);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Metric>, std::less<>> metrics_;  // guarded by mu_
};

Registry& Default();

// `text` escaped for a label value (backslash, double quote, newline).
std::string EscapeLabelValue(std::string_view text);

}  // namespace cognate::metrics
