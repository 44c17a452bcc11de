#include "models/HistogramDelta.h"

#include "metrics/HistogramBuckets.h"

namespace skiff::gui {

std::optional<int64_t> HistogramDelta::largestMicros(const admin::Histogram &before, const admin::Histogram &after)
{
    using metrics::HistogramBuckets;
    const auto &a = before.bucket_counts();
    const auto &b = after.bucket_counts();
    // An empty `before` is a first snapshot of a histogram that had nothing yet.
    if (!a.empty() && a.size() != b.size())
        return std::nullopt;
    std::optional<int64_t> largest;
    for (int i = 0; i < b.size(); ++i) {
        const uint64_t was = a.empty() ? 0 : a[i];
        if (b[i] < was)
            return std::nullopt;
        if (b[i] > was)
            largest = size_t(i) >= HistogramBuckets::kOverflowBucket ? after.max() : HistogramBuckets::upperBound(size_t(i));
    }
    return largest;
}

} // namespace skiff::gui
