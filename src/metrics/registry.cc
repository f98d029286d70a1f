#include "metrics/registry.h"

#include <cmath>
#include <cstdio>

namespace cognate::metrics {
namespace {

std::string RenderLabels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (const auto& [name, value] : labels) {
    if (out.size() > 1) out += ',';
    out += name + "=\"" + EscapeLabelValue(value) + "\"";
  }
  return out + "}";
}

// Prometheus floats: integers without a fraction, +Inf spelled out.
std::string Number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char text[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(text, sizeof text, "%.0f", v);
  } else {
    std::snprintf(text, sizeof text, "%.9g", v);
  }
  return text;
}

// `labels` plus one more pair, for the le label of histogram buckets.
std::string RenderLabelsWith(Labels labels, std::string name, std::string value) {
  labels.emplace_back(std::move(name), std::move(value));
  return RenderLabels(labels);
}

}  // namespace

std::string EscapeLabelValue(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Registry::Counter(std::string name, std::string help) {
  std::lock_guard lock(mu_);
  metrics_.try_emplace(std::move(name),
                       std::make_unique<Metric>(Metric{Type::kCounter, std::move(help)}));
}

void Registry::Histogram(std::string name, std::string help, std::vector<double> buckets) {
  std::lock_guard lock(mu_);
  metrics_.try_emplace(std::move(name), std::make_unique<Metric>(Metric{
                                            Type::kHistogram, std::move(help), std::move(buckets)}));
}

void Registry::Gauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  metrics_[std::move(name)] =
      std::make_unique<Metric>(Metric{Type::kGauge, std::move(help), {}, std::move(read)});
}

void Registry::Remove(std::string_view name) {
  std::lock_guard lock(mu_);
  if (auto it = metrics_.find(name); it != metrics_.end()) metrics_.erase(it);
}

Registry::Series* Registry::SeriesFor(Metric& metric, const Labels& labels) {
  std::string key = RenderLabels(labels);
  auto it = metric.series.find(key);
  if (it != metric.series.end()) return &it->second;
  Labels stored = labels;
  if (metric.series.size() >= kMaxSeriesPerMetric) {
    for (auto& label : stored) label.second = "other";
    key = RenderLabels(stored);
    it = metric.series.find(key);
    if (it != metric.series.end()) return &it->second;
  }
  Series series{std::move(stored)};
  if (metric.type == Type::kHistogram) series.counts.assign(metric.buckets.size() + 1, 0);
  return &metric.series.emplace(std::move(key), std::move(series)).first->second;
}

void Registry::Add(std::string_view name, const Labels& labels, double value) {
  std::lock_guard lock(mu_);
  auto it = metrics_.find(name);
  if (it == metrics_.end() || it->second->type != Type::kCounter || value < 0) return;
  SeriesFor(*it->second, labels)->value += value;
}

void Registry::Observe(std::string_view name, const Labels& labels, double value) {
  std::lock_guard lock(mu_);
  auto it = metrics_.find(name);
  if (it == metrics_.end() || it->second->type != Type::kHistogram) return;
  const Metric& metric = *it->second;
  Series* series = SeriesFor(*it->second, labels);
  std::size_t bucket = 0;
  while (bucket < metric.buckets.size() && value > metric.buckets[bucket]) ++bucket;
  ++series->counts[bucket];
  series->sum += value;
  ++series->count;
}

std::string Registry::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, metric] : metrics_) {
    const char* type = metric->type == Type::kCounter     ? "counter"
                       : metric->type == Type::kHistogram ? "histogram"
                                                          : "gauge";
    out += "# HELP " + name + " " + metric->help + "\n# TYPE " + name + " " + type + "\n";
    if (metric->type == Type::kGauge) {
      out += name + " " + Number(metric->read ? metric->read() : 0) + "\n";
      continue;
    }
    for (const auto& [labels_text, series] : metric->series) {
      if (metric->type == Type::kCounter) {
        out += name + labels_text + " " + Number(series.value) + "\n";
        continue;
      }
      uint64_t cumulative = 0;
      for (std::size_t b = 0; b <= metric->buckets.size(); ++b) {
        cumulative += series.counts[b];
        const std::string le = b < metric->buckets.size() ? Number(metric->buckets[b]) : "+Inf";
        out += name + "_bucket" + RenderLabelsWith(series.labels, "le", le) + " " +
               Number(static_cast<double>(cumulative)) + "\n";
      }
      out += name + "_sum" + labels_text + " " + Number(series.sum) + "\n";
      out += name + "_count" + labels_text + " " + Number(static_cast<double>(series.count)) +
             "\n";
    }
  }
  return out;
}

Registry& Default() {
  static Registry registry;
  return registry;
}

}  // namespace cognate::metrics
