#pragma once
// Writes the Prometheus text exposition format (version 0.0.4): HELP and TYPE once per family,
// every family's samples together (in the order families first appear, whatever order the caller
// adds samples in), label values escaped, histograms as cumulative `le` buckets in seconds with
// _sum and _count.

#include "metrics/HistogramSnapshot.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace skiff::app {

using Labels = std::vector<std::pair<std::string, std::string>>;

class PrometheusText {
public:
    void counter(const std::string &name, const std::string &help, double value, const Labels &labels = {});
    void gauge(const std::string &name, const std::string &help, double value, const Labels &labels = {});
    // A microsecond histogram exported in seconds on a fixed 1-2-5 ladder from 1 µs to 10 s.
    void histogram(const std::string &name, const std::string &help, const metrics::HistogramSnapshot &micros,
                   const Labels &labels = {});
    std::string text() const;

private:
    std::string &family(const std::string &name, const std::string &help, const char *type);
    static void sample(std::string &out, const std::string &name, const Labels &labels, double value);

    std::vector<std::string> m_order;
    std::map<std::string, std::string> m_families;   // name -> HELP, TYPE and samples
};

} // namespace skiff::app
