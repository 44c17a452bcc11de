#include "models/HistogramDelta.h"

#include "metrics/HistogramBuckets.h"

#include <vector>

namespace skiff::gui {
namespace {

using metrics::HistogramBuckets;

// Per bucket, the samples recorded between the two; nullopt when they are not one run.
std::optional<std::vector<uint64_t>> grown(const admin::Histogram &before, const admin::Histogram &after)
{
    const auto &a = before.bucket_counts();
    const auto &b = after.bucket_counts();
    // An empty `before` is a first snapshot of a histogram that had nothing yet.
    if (!a.empty() && a.size() != b.size())
        return std::nullopt;
    std::vector<uint64_t> out(size_t(b.size()));
    for (int i = 0; i < b.size(); ++i) {
        const uint64_t was = a.empty() ? 0 : a[i];
        if (b[i] < was)
            return std::nullopt;
        out[size_t(i)] = b[i] - was;
    }
    return out;
}

int64_t upperOf(size_t bucket, const admin::Histogram &after)
{
    return bucket >= HistogramBuckets::kOverflowBucket ? after.max() : HistogramBuckets::upperBound(bucket);
}

} // namespace

std::optional<int64_t> HistogramDelta::largestMicros(const admin::Histogram &before, const admin::Histogram &after)
{
    const auto delta = grown(before, after);
    if (!delta)
        return std::nullopt;
    for (size_t i = delta->size(); i-- > 0;)
        if ((*delta)[i])
            return upperOf(i, after);
    return std::nullopt;
}

} // namespace skiff::gui
