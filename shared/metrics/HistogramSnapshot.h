#pragma once
// A plain copy of a Histogram at one moment: safe to pass between threads, merge across
// histograms (e.g. all partitions of a node) and export (Prometheus "le" buckets, dashboard).

#include "metrics/HistogramBuckets.h"

#include <cstdint>
#include <vector>

namespace skiff::metrics {

class HistogramSnapshot {
public:
    HistogramSnapshot();

    // counts()[i] is the number of values in bucket i; bounds via HistogramBuckets / upperBound().
    const std::vector<uint64_t> &counts() const { return m_counts; }
    uint64_t count() const { return m_count; }
    int64_t sum() const { return m_sum; }
    int64_t min() const { return m_count ? m_min : 0; } // 0 when empty
    int64_t max() const { return m_count ? m_max : 0; } // 0 when empty
    double mean() const { return m_count ? double(m_sum) / double(m_count) : 0.0; }

    // Inclusive upper bound in µs, HistogramBuckets::kInfinity (INT64_MAX) for the overflow bucket.
    static int64_t upperBound(size_t bucket) { return HistogramBuckets::upperBound(bucket); }

    // Value at quantile q in [0, 1]: the upper bound of the bucket holding the value of rank
    // ceil(q * count), clamped to [min, max]. Never below the exact value, and above it by at most
    // one bucket width (<= 6.25 % relative above 16 µs). 0 when empty.
    int64_t quantile(double q) const;

    // Adds other's observations, as if both streams had been recorded into one histogram.
    void merge(const HistogramSnapshot &other);

    // Used by Histogram::snapshot(); count is derived from the buckets so it always matches them.
    void addBucket(size_t bucket, uint64_t n);
    void setSumMinMax(int64_t sum, int64_t min, int64_t max);

private:
    std::vector<uint64_t> m_counts;
    uint64_t m_count = 0;
    int64_t m_sum = 0;
    int64_t m_min = 0;
    int64_t m_max = 0;
};

} // namespace skiff::metrics
