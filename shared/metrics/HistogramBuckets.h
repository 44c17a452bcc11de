#pragma once
// Bucket layout shared by Histogram and HistogramSnapshot: log-linear, 16 linear sub-buckets per
// power of two, so a bucket is at most 1/16 (6.25 %) wide relative to its lower bound.
//
// Bucket i holds values v with upperBound(i-1) < v <= upperBound(i) (Prometheus "le" semantics).
// Buckets 0..15 have upper bounds 1..16 µs (everything <= 1 µs, including 0 and negatives, lands
// in bucket 0). The last finite bucket ends at 10 485 760 µs (~10.5 s, the first bound >= 10 s);
// the overflow bucket after it has upper bound +Inf, represented as INT64_MAX.

#include <cstddef>
#include <cstdint>
#include <limits>

namespace skiff::metrics {

namespace detail {
inline constexpr int kSubBucketBits = 4;
inline constexpr int64_t kSubBuckets = int64_t(1) << kSubBucketBits;

// Works on x = v - 1 so that buckets are closed at the top: v in (L, L + width].
constexpr size_t logLinearBucket(int64_t micros)
{
    const uint64_t x = uint64_t(micros - 1);
    if (x < uint64_t(kSubBuckets))
        return size_t(x);
    const int exponent = 63 - __builtin_clzll(x);
    const int shift = exponent - kSubBucketBits;
    const uint64_t sub = (x >> shift) - uint64_t(kSubBuckets);
    return size_t(kSubBuckets + int64_t(shift) * kSubBuckets + int64_t(sub));
}

constexpr int64_t logLinearUpperBound(size_t bucket)
{
    const int64_t b = int64_t(bucket);
    if (b < kSubBuckets)
        return b + 1;
    const int64_t shift = b / kSubBuckets - 1;
    const int64_t sub = b % kSubBuckets;
    return (kSubBuckets + sub + 1) << shift;
}
} // namespace detail

class HistogramBuckets {
public:
    static constexpr int64_t kMaxTrackedMicros = 10'000'000; // 10 s
    static constexpr int64_t kInfinity = std::numeric_limits<int64_t>::max();
    static constexpr size_t kOverflowBucket = detail::logLinearBucket(kMaxTrackedMicros) + 1;
    static constexpr size_t kBucketCount = kOverflowBucket + 1;
    static constexpr int64_t kLastFiniteBound = detail::logLinearUpperBound(kOverflowBucket - 1);

    // Index of the bucket that holds `micros`.
    static constexpr size_t bucketFor(int64_t micros)
    {
        if (micros <= 1)
            return 0;
        if (micros > kLastFiniteBound)
            return kOverflowBucket;
        return detail::logLinearBucket(micros);
    }

    // Inclusive upper bound in µs; kInfinity for the overflow bucket.
    static constexpr int64_t upperBound(size_t bucket)
    {
        return bucket >= kOverflowBucket ? kInfinity : detail::logLinearUpperBound(bucket);
    }

    // Exclusive lower bound (the previous bucket's upper bound); 0 for bucket 0 by convention.
    static constexpr int64_t lowerBound(size_t bucket) { return bucket == 0 ? 0 : upperBound(bucket - 1); }
};

static_assert(HistogramBuckets::kLastFiniteBound >= HistogramBuckets::kMaxTrackedMicros);
static_assert(HistogramBuckets::bucketFor(HistogramBuckets::kLastFiniteBound + 1) == HistogramBuckets::kOverflowBucket);

} // namespace skiff::metrics
