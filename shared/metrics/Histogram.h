#pragma once
// Latency histogram in microseconds (fsync, request handling, Raft round trips).
//
// Threads: record() may be called from any number of threads at once; it is lock-free (relaxed
// atomic increments, no mutex). snapshot() may run concurrently with record(); a snapshot taken
// while values are being recorded is not an atomic cut: sum/min/max may include a value whose
// bucket increment is not yet visible, or the reverse. Counts are never lost.

#include "metrics/HistogramBuckets.h"
#include "metrics/HistogramSnapshot.h"

#include <array>
#include <atomic>
#include <cstdint>

namespace skiff::metrics {

class Histogram {
public:
    Histogram();
    Histogram(const Histogram &) = delete;
    Histogram &operator=(const Histogram &) = delete;

    // Values <= 1 µs (and negative ones) count in the first bucket, > ~10.5 s in the overflow bucket.
    void record(int64_t micros);
    HistogramSnapshot snapshot() const;
    void reset(); // not atomic with concurrent record(): for tests and "since last scrape" use

private:
    std::array<std::atomic<uint64_t>, HistogramBuckets::kBucketCount> m_buckets;
    std::atomic<int64_t> m_sum{0};
    std::atomic<int64_t> m_min;
    std::atomic<int64_t> m_max;
};

} // namespace skiff::metrics
