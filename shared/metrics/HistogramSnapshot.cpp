#include "metrics/HistogramSnapshot.h"

#include <algorithm>
#include <cmath>

namespace skiff::metrics {

HistogramSnapshot::HistogramSnapshot() : m_counts(HistogramBuckets::kBucketCount, 0) {}

void HistogramSnapshot::addBucket(size_t bucket, uint64_t n)
{
    m_counts[bucket] += n;
    m_count += n;
}

void HistogramSnapshot::setSumMinMax(int64_t sum, int64_t min, int64_t max)
{
    m_sum = sum;
    m_min = min;
    m_max = max;
}

int64_t HistogramSnapshot::quantile(double q) const
{
    if (m_count == 0)
        return 0;
    q = std::clamp(q, 0.0, 1.0);
    const uint64_t rank = std::max<uint64_t>(1, uint64_t(std::ceil(q * double(m_count))));
    uint64_t seen = 0;
    for (size_t i = 0; i < m_counts.size(); ++i) {
        seen += m_counts[i];
        if (seen >= rank) {
            // Overflow bucket: the upper bound is +Inf, max is the best we know.
            const int64_t bound = i == HistogramBuckets::kOverflowBucket ? m_max : HistogramBuckets::upperBound(i);
            // min/max may lag the buckets by a few values while recording runs; keep the order sane.
            return std::clamp(bound, std::min(m_min, m_max), m_max);
        }
    }
    return m_max;
}

void HistogramSnapshot::merge(const HistogramSnapshot &other)
{
    if (other.m_count == 0)
        return;
    if (m_count == 0) {
        m_min = other.m_min;
        m_max = other.m_max;
    } else {
        m_min = std::min(m_min, other.m_min);
        m_max = std::max(m_max, other.m_max);
    }
    for (size_t i = 0; i < m_counts.size(); ++i)
        m_counts[i] += other.m_counts[i];
    m_count += other.m_count;
    m_sum += other.m_sum;
}

} // namespace skiff::metrics
