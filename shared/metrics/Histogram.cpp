#include "metrics/Histogram.h"

#include <limits>

namespace skiff::metrics {

namespace {
constexpr int64_t kNoMin = std::numeric_limits<int64_t>::max();
constexpr int64_t kNoMax = std::numeric_limits<int64_t>::min();
} // namespace

Histogram::Histogram() : m_min(kNoMin), m_max(kNoMax)
{
    for (auto &bucket : m_buckets)
        bucket.store(0, std::memory_order_relaxed);
}

void Histogram::record(int64_t micros)
{
    m_buckets[HistogramBuckets::bucketFor(micros)].fetch_add(1, std::memory_order_relaxed);
    m_sum.fetch_add(micros, std::memory_order_relaxed);
    // min/max settle after a few values: the loads below usually see no change to make.
    int64_t seen = m_min.load(std::memory_order_relaxed);
    while (micros < seen && !m_min.compare_exchange_weak(seen, micros, std::memory_order_relaxed)) {
    }
    seen = m_max.load(std::memory_order_relaxed);
    while (micros > seen && !m_max.compare_exchange_weak(seen, micros, std::memory_order_relaxed)) {
    }
}

HistogramSnapshot Histogram::snapshot() const
{
    HistogramSnapshot snap;
    for (size_t i = 0; i < m_buckets.size(); ++i) {
        if (const uint64_t n = m_buckets[i].load(std::memory_order_relaxed))
            snap.addBucket(i, n);
    }
    const int64_t min = m_min.load(std::memory_order_relaxed);
    const int64_t max = m_max.load(std::memory_order_relaxed);
    snap.setSumMinMax(m_sum.load(std::memory_order_relaxed), min == kNoMin ? 0 : min, max == kNoMax ? 0 : max);
    return snap;
}

void Histogram::reset()
{
    for (auto &bucket : m_buckets)
        bucket.store(0, std::memory_order_relaxed);
    m_sum.store(0, std::memory_order_relaxed);
    m_min.store(kNoMin, std::memory_order_relaxed);
    m_max.store(kNoMax, std::memory_order_relaxed);
}

} // namespace skiff::metrics
